import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedEnv, startServer } from './helpers/process';
import type { ServerProcess } from './helpers/process';
import { connect } from './helpers/socket';

// The built server as a real process: SIGTERM with connections that would never finish on their own.
let dataDir: string;
let server: ServerProcess | undefined;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-stop-'));
});
afterAll(async () => {
  if (server?.child.exitCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('SIGTERM with silent and half-sent connections open stops within SHUTDOWN_GRACE_MS, exits 0 and refuses late requests cleanly', async () => {
  const env = embeddedEnv(dataDir, { SHUTDOWN_GRACE_MS: '2000', LOG_LEVEL: 'info' });
  delete env.NODE_ENV; // as in production: libraries that act on signals outside of tests would do so here
  server = await startServer(env);
  const token = (await server.waitForOutput(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
  const port = Number(new URL(server.baseUrl).port);
  const create = (name: string) => {
    const body = JSON.stringify({ name, expire: 86400 });
    return `POST /v1.0/accesskeys?accesskey=${token} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  };

  const silent = await connect(port);
  const halfHeaders = await connect(port);
  await halfHeaders.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  const halfBody = await connect(port);
  await halfBody.write(create('never').slice(0, -5));
  const late = await connect(port);
  await late.write(create('late').split('\r\n')[0] + '\r\n');
  // An idle keep-alive connection; its answer also shows that every connection above was accepted.
  const idle = await connect(port);
  await idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await idle.waitFor(/\r\n\r\n\{"status":"ok"\}/);

  const started = Date.now();
  server.child.kill('SIGTERM');
  await server.waitForOutput(/shutting down/);

  // A write that arrives after the stop began is refused (nothing applied) and its connection closed.
  const refused = await late.write(create('late').split('\r\n').slice(1).join('\r\n')).then(() => late.waitFor(/\r\n\r\n\{.*\}$/s));
  expect(refused).toMatch(/^HTTP\/1\.1 503 /);
  expect(refused).toMatch(/\r\nconnection: close\r\n/i);
  expect(JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4)).error.status).toBe('UNAVAILABLE');
  expect(await late.closed).toBeNull();
  // New connections find nobody listening.
  await expect(connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

  // The idle keep-alive connection is closed at once; the stalled ones only when the grace period runs out.
  await idle.closed;
  const stalled = [silent, halfHeaders, halfBody];
  expect(stalled.map((c) => c.socket.closed)).toEqual([false, false, false]);
  await Promise.all(stalled.map((c) => c.closed));

  expect(await server.exited).toBe(0);
  expect(Date.now() - started).toBeLessThan(8000); // generous: the grace period is 2 s
  expect(server.stdout()).toMatch(/"msg":"stopped"/);
  expect(fs.existsSync(path.join(dataDir, 'accesskeyd.lock'))).toBe(false);
}, 120000);

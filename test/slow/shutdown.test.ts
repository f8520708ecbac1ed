import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { usingPostgres } from '../helpers/database';
import { embeddedEnv, startServer } from '../helpers/process';
import type { ServerProcess } from '../helpers/process';
import { scratchPostgres } from '../helpers/scratch';
import { connect } from '../helpers/socket';

// The built server as a real process: SIGTERM with connections that carry no request being handled, and
// with one that does. The grace period is a minute, so a stop that waited for it cannot be mistaken
// for one that did not; the bound below is a third of it.
const GRACE_MS = 60000;
const WELL_BEFORE_GRACE_MS = 20000;

/** `promise`, or a failure naming `what` once `WELL_BEFORE_GRACE_MS` has passed. */
function wellBeforeGrace<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} waited for the grace period`)), WELL_BEFORE_GRACE_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const createRequest = (token: string, name: string) => {
  const body = JSON.stringify({ name, expire: 86400 });
  return `POST /v1.0/accesskeys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

/** Connections that carry no request being handled: silent, half a request line, half a body, idle keep-alive. */
async function quietConnections(port: number, token: string) {
  const silent = await connect(port);
  const halfHeaders = await connect(port);
  await halfHeaders.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  const halfBody = await connect(port);
  await halfBody.write(createRequest(token, 'never').slice(0, -5));
  // An idle keep-alive connection; its answer also shows that every connection above was accepted.
  const idle = await connect(port);
  await idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await idle.waitFor(/\r\n\r\n\{"status":"ok"\}/);
  return [silent, halfHeaders, halfBody, idle];
}

describe('SIGTERM on the embedded database', () => {
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

  it('closes silent, idle and half-sent connections at once, finishes an answer on its way, and exits 0 long before the grace period', async () => {
    const env = embeddedEnv(dataDir, { SHUTDOWN_GRACE_MS: String(GRACE_MS), LOG_LEVEL: 'info', PLAYGROUND: 'true' });
    delete env.NODE_ENV; // as in production: libraries that act on signals outside of tests would do so here
    server = await startServer(env);
    const token = (await server.waitForOutput(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
    const port = Number(new URL(server.baseUrl).port);
    // A keep-alive request whose answer (1.7 MB) is on its way when the stop begins: the client reads it only later.
    const reader = await connect(port);
    reader.socket.pause();
    await reader.write('GET /v1.0/docs/static/swagger-ui-bundle.js HTTP/1.1\r\nHost: x\r\n\r\n');
    const quiet = await quietConnections(port, token);

    server.child.kill('SIGTERM');
    await wellBeforeGrace(Promise.all(quiet.map((c) => c.closed)), 'closing the quiet connections');
    // Cut, not answered: none of them had a request of ours to answer.
    expect(quiet.slice(0, 3).map((c) => c.received())).toEqual(['', '', '']);
    expect(reader.socket.closed).toBe(false);
    // Once read, the whole answer arrives and its connection (kept alive when the answer began) is closed.
    reader.socket.resume();
    expect(await wellBeforeGrace(reader.closed, 'closing the answered connection')).toBeNull();
    const [head, body] = reader.received().split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(Buffer.byteLength(body)).toBe(Number(/\r\ncontent-length: (\d+)/i.exec(head)![1]));
    expect(await wellBeforeGrace(server.exited, 'the exit')).toBe(0);
    expect(server.stdout()).toMatch(/"msg":"stopped"/);
    expect(server.stdout()).not.toMatch(/"level":(40|50|60)/);
    expect(fs.existsSync(path.join(dataDir, 'accesskeyd.lock'))).toBe(false);
  }, 120000);
});

if (!usingPostgres) console.log('shutdown: the request held in flight by a lock needs PostgreSQL (DATABASE_URL); skipped on PGlite');

(usingPostgres ? describe : describe.skip)('SIGTERM with a request being handled (PostgreSQL)', () => {
  const scratch = scratchPostgres('akd_stop');

  it('closes the quiet connections at once, lets the handled request finish within its grace, applies nothing that arrives late, exits 0', async () => {
    const server = await startServer({
      ...process.env,
      DATABASE_URL: scratch.url,
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      DB_STATEMENT_TIMEOUT_MS: '120000',
      LOG_LEVEL: 'info',
      JWT_KEY: 'k'.repeat(40),
    });
    scratch.servers.push(server);
    const token = (await server.waitForOutput(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
    const port = Number(new URL(server.baseUrl).port);

    // A key creation held inside its handler: its audit event waits for a lock the test holds.
    const locker = new Client({ connectionString: scratch.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE audit_events IN EXCLUSIVE MODE');
      const held = await connect(port);
      await held.write(createRequest(token, 'held'));
      const waiting = async () => {
        const { rows } = await locker.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        return rows[0].n > 0;
      };
      for (const giveUp = Date.now() + 20000; !(await waiting()); ) {
        if (Date.now() > giveUp) throw new Error('the create never reached the lock');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const quiet = await quietConnections(port, token);

      server.child.kill('SIGTERM');
      await server.waitForOutput(/shutting down/);
      // A request that arrives behind the held one, on its connection, is refused: nothing of it is applied.
      await held.write(createRequest(token, 'late'));
      await wellBeforeGrace(Promise.all(quiet.map((c) => c.closed)), 'closing the quiet connections');
      expect(held.received()).toBe('');
      // Nobody listens any more.
      await expect(connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

      await locker.query('ROLLBACK');
      expect(await held.closed).toBeNull();
      // The held request's answer, and only that: the connection closes after it (the late request behind it
      // gets no answer, as HTTP has a pipelined request behind a `Connection: close`).
      expect(held.received()).toMatch(/^HTTP\/1\.1 200 [^]*\r\nconnection: close\r\n[^]*\r\n\r\n\{[^]*"name":"held"[^]*\}$/i);
      expect(held.received().match(/HTTP\/1\.1/g)).toHaveLength(1);
      expect(await wellBeforeGrace(server.exited, 'the exit')).toBe(0);

      const { rows } = await locker.query<{ name: string }>('SELECT name FROM accesskeys ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(['default', 'held']);
    } finally {
      await locker.end();
    }
  }, 120000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockDataDir } from '../../src/db/lock';
import { admin, embeddedEnv, freePort, startServer } from '../helpers/process';
import type { ServerProcess } from '../helpers/process';

// The built server and CLI as real processes on an embedded data directory.
let dataDir: string;
let server: ServerProcess | undefined;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-proc-'));
});
afterAll(async () => {
  if (server?.child.exitCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const TOKEN = /vb_[0-9A-Za-z]{32}/;

it('first start provisions a default customer and prints its key once; SIGTERM exits 0; restart keeps every key', async () => {
  const env = embeddedEnv(dataDir, { LOG_LEVEL: 'debug' });
  server = await startServer(env);
  const banner = await server.waitForOutput(/FIRST START[\s\S]*?access key\s*:\s*(vb_[0-9A-Za-z]{32})/);
  const token = banner[1];
  const logLines = server.stdout().split('\n').filter((l) => l.startsWith('{'));
  expect(logLines.join('\n')).not.toMatch(TOKEN);

  // The same banner names the console and the admin agent's password, once; the log never holds it.
  const [, consoleUrl, password] = await server.waitForOutput(/Console\s*:\s*(http:\S+\/console)\n\s*username\s*:\s*admin\n\s*password\s*:\s*(\S{24})\n/);
  expect(consoleUrl).toBe(`${server.baseUrl}/console`);
  expect(logLines.join('\n')).not.toContain(password);
  const signIn = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  expect(signIn.status).toBe(200);
  expect((await fetch(consoleUrl)).status).toBe(200);

  const list = await fetch(`${server.baseUrl}/v1.0/accesskeys?accesskey=${token}`);
  expect(list.status).toBe(200);
  const [key] = ((await list.json()) as any).result;
  expect(key).toMatchObject({ name: 'default', detail: 'Auto-provisioned API key' });
  expect(Date.parse(key.tm_expire) - Date.parse(key.tm_create)).toBe(365 * 24 * 3600 * 1000);

  // The CLI refuses to open the data directory the server holds, and says why.
  const refused = await admin(['customer', 'create', '--name', 'acme'], env);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toBe('');
  expect(refused.stderr).toMatch(/in use by process \d+/);

  // Requests in flight when SIGTERM arrives still complete (all 20 received: a connection whose
  // request has not arrived yet is closed at once by the stop, by design).
  const received = (out: string) => out.split('"msg":"request received"').length - 1;
  const before = received(server.stdout());
  const inFlight = Array.from({ length: 20 }, (_, i) =>
    fetch(`${server!.baseUrl}/v1.0/accesskeys?accesskey=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `f${i}`, expire: 86400 }) }),
  );
  await server.waitForLines((out) => received(out) >= before + 20);
  server.child.kill('SIGTERM');
  const statuses = await Promise.all(inFlight.map(async (p) => (await p).status));
  expect(statuses.every((s) => s === 200)).toBe(true);
  expect(await server.exited).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'accesskeyd.lock'))).toBe(false);
  const sessionKey = fs.readFileSync(path.join(dataDir, 'session.key'), 'utf8');

  // With the server stopped the CLI works and prints exactly one JSON object.
  const created = await admin(['customer', 'create', '--name', 'acme'], env);
  expect(created.code).toBe(0);
  const out = JSON.parse(created.stdout);
  expect(Object.keys(out)).toEqual(['customer', 'accesskey']);
  expect(out.customer.name).toBe('acme');
  expect(out.accesskey.token).toMatch(TOKEN);
  expect(out.accesskey.customer_id).toBe(out.customer.id);

  const second = await admin(['accesskey', 'create', '--customer', out.customer.id, '--expire', '86400', '--name', 'ci', '--detail', 'from the CLI'], env);
  expect(second.code).toBe(0);
  const key2 = JSON.parse(second.stdout);
  expect(key2).toMatchObject({ customer_id: out.customer.id, name: 'ci', detail: 'from the CLI' });
  expect(key2.token).toMatch(TOKEN);
  // The CLI may grant any scope, verify included.
  const verifierOut = await admin(['accesskey', 'create', '--customer', out.customer.id, '--expire', '86400', '--scopes', 'verify'], env);
  expect(verifierOut.code).toBe(0);
  const verifier = JSON.parse(verifierOut.stdout).token as string;

  // Agents: the password comes from stdin, never from argv, and is never printed.
  const agentOut = await admin(['agent', 'create', '--customer', out.customer.id, '--username', 'ops', '--permission', 'admin', '--name', 'Ops'], env, 'correct horse battery\n');
  expect(agentOut.code).toBe(0);
  const agent = JSON.parse(agentOut.stdout);
  expect(agent).toMatchObject({ customer_id: out.customer.id, username: 'ops', name: 'Ops', permission: 0x20, permissions: ['CUSTOMER_ADMIN'] });
  expect(agentOut.stdout + agentOut.stderr).not.toMatch(/correct horse|scrypt/);
  const reset = await admin(['agent', 'set-password', '--username', 'ops'], env, 'another long secret\n');
  expect(reset.code).toBe(0);
  const short = await admin(['agent', 'create', '--customer', out.customer.id, '--username', 'x', '--permission', 'agent'], env, 'short\n');
  expect(short.code).toBe(1);
  expect(short.stderr).toMatch(/password/);
  const removed = await admin(['agent', 'create', '--customer', out.customer.id, '--username', 'temp', '--permission', 'agent'], env, 'temporary secret\n');
  expect(removed.code).toBe(0);
  const deleted = await admin(['agent', 'delete', '--username', 'temp'], env);
  expect(JSON.parse(deleted.stdout).tm_delete).not.toBe('9999-01-01T00:00:00.000000Z');

  // Restart (metrics on a port of their own this time): no second provisioning; the old key,
  // the in-flight keys and the CLI's keys all work.
  const metricsPort = await freePort();
  server = await startServer({ ...env, METRICS_PORT: String(metricsPort) });
  expect((await fetch(`${server.baseUrl}/metrics`)).status).toBe(404);
  expect((await fetch(`${server.baseUrl}/v1.0/accesskeys`, { headers: { authorization: 'Bearer vb_bad' } })).status).toBe(401);
  const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(scraped.status).toBe(200);
  expect(scraped.headers.get('x-content-type-options')).toBe('nosniff');
  const scrapedText = await scraped.text();
  expect(scrapedText).toContain('http_requests_total');
  // The monitoring port is the private view: it says why a credential was refused.
  expect(scrapedText).toMatch(/^auth_attempts_total\{credential="accesskey",outcome="malformed"\} 1$/m);
  const again = await fetch(`${server.baseUrl}/v1.0/accesskeys?accesskey=${token}&page_size=100`);
  expect(again.status).toBe(200);
  expect(((await again.json()) as any).result).toHaveLength(21);
  expect((await fetch(`${server.baseUrl}/v1.0/accesskeys?accesskey=${key2.token}`)).status).toBe(200);
  const verified = await fetch(`${server.baseUrl}/v1.0/accesskeys/verify`, {
    method: 'POST', headers: { authorization: `Bearer ${verifier}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: key2.token }),
  });
  expect(((await verified.json()) as any)).toMatchObject({ valid: true, code: 'VALID', accesskey_id: key2.id, scopes: ['accesskeys:read', 'accesskeys:write'] });
  expect((await fetch(`${server.baseUrl}/v1.0/accesskeys?accesskey=${verifier}`)).status).toBe(403);
  expect(server.stdout()).not.toContain('FIRST START');
  // The session key was kept in the data directory; the new password works, the old one and the deleted agent do not.
  const loginAs = (username: string, password: string) =>
    fetch(`${server!.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect((await loginAs('ops', 'correct horse battery')).status).toBe(400);
  expect((await loginAs('temp', 'temporary secret')).status).toBe(400);
  const session = (await (await loginAs('ops', 'another long secret')).json()) as { token: string };
  expect((await fetch(`${server.baseUrl}/v1.0/accesskeys`, { headers: { authorization: `Bearer ${session.token}` } })).status).toBe(200);
  expect(fs.statSync(path.join(dataDir, 'session.key')).mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(path.join(dataDir, 'session.key'), 'utf8')).toBe(sessionKey);
  server.child.kill('SIGINT');
  expect(await server.exited).toBe(0);
  // Two server starts and eight CLI runs, each opening the embedded database: on a loaded 2-core
  // machine this takes about a minute, so it gets more than the default 60 s.
}, 180000);

describe('admin CLI refusals', () => {
  it('names the bad argument and prints nothing on stdout', async () => {
    const env = embeddedEnv(dataDir);
    const bad = await admin(['accesskey', 'create', '--customer', '00000000-0000-4000-8000-000000000000', '--expire', '60'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/expire/);
    const unknown = await admin(['accesskey', 'create', '--customer', '00000000-0000-4000-8000-000000000000', '--expire', '86400'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/NOT_FOUND/);
    const badScope = await admin(['accesskey', 'create', '--customer', '00000000-0000-4000-8000-000000000000', '--expire', '86400', '--scopes', 'read,admin'], env);
    expect(badScope.code).toBe(1);
    expect(badScope.stderr).toMatch(/scopes/);
    const usage = await admin(['frobnicate'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Usage/);
  });

  it('refuses while another live process holds the data directory', async () => {
    const release = lockDataDir(dataDir);
    try {
      const res = await admin(['customer', 'create', '--name', 'x'], embeddedEnv(dataDir));
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`in use by process ${process.pid}`);
    } finally {
      release();
    }
  });

  it('refuses a bad configuration value by name', async () => {
    const res = await admin(['customer', 'create', '--name', 'x'], embeddedEnv(dataDir, { DATABASE_URL: 'mysql://nope' }));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/DATABASE_URL/);
  });
});

describe('admin CLI key lifecycle', () => {
  it('rotates, disables and enables a key by id, printing one JSON object each', async () => {
    const env = embeddedEnv(dataDir);
    const created = JSON.parse((await admin(['customer', 'create', '--name', 'lifecycle', '--expire', '172800'], env)).stdout);
    const oldKey = created.accesskey;

    const rotated = await admin(['accesskey', 'rotate', '--id', oldKey.id, '--grace', '0'], env);
    expect(rotated.code).toBe(0);
    const out = JSON.parse(rotated.stdout);
    expect(Object.keys(out)).toEqual(['accesskey', 'previous']);
    expect(out.accesskey.token).toMatch(TOKEN);
    expect(out.accesskey).toMatchObject({ name: oldKey.name, rotated_from_id: oldKey.id, customer_id: created.customer.id });
    expect(out.previous.id).toBe(oldKey.id);
    expect(out.previous.tm_expire).toBe(out.accesskey.tm_create); // grace 0: the old key ended as the new one began
    expect(out.previous.token).toBeUndefined();

    const bad = await admin(['accesskey', 'rotate', '--id', out.accesskey.id, '--grace', '2592001'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/gracePeriod/);

    const disabled = JSON.parse((await admin(['accesskey', 'disable', '--id', out.accesskey.id], env)).stdout);
    expect(disabled.id).toBe(out.accesskey.id);
    expect(disabled.tm_disable).toMatch(/^20\d\d-/); // when it was disabled
    const enabled = JSON.parse((await admin(['accesskey', 'enable', '--id', out.accesskey.id], env)).stdout);
    expect(enabled.tm_disable).toBe('9999-01-01T00:00:00.000000Z');

    // MAX_KEY_LIFETIME_SECONDS binds the CLI as it binds the API.
    const policed = { ...env, MAX_KEY_LIFETIME_SECONDS: '86400' };
    const tooLong = await admin(['accesskey', 'create', '--customer', created.customer.id, '--expire', '86401'], policed);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stdout).toBe('');
    expect(tooLong.stderr).toMatch(/expire.*86400.*MAX_KEY_LIFETIME_SECONDS/);
  }, 120000);
});

describe('admin CLI list', () => {
  it('lists a customer\'s keys by state as {"result": [...]}, every page or --limit', async () => {
    // On PostgreSQL when the run has one (its customer is new, so other files' rows do not matter).
    const url = process.env.DATABASE_URL;
    const env = url ? embeddedEnv(dataDir, { DATABASE_URL: url }) : embeddedEnv(dataDir);
    const created = JSON.parse((await admin(['customer', 'create', '--name', 'listing'], env)).stdout);
    const customer = created.customer.id;
    const second = JSON.parse((await admin(['accesskey', 'create', '--customer', customer, '--expire', '86400', '--name', 'second'], env)).stdout);
    expect((await admin(['accesskey', 'disable', '--id', second.id], env)).code).toBe(0);

    const all = await admin(['accesskey', 'list', '--customer', customer], env);
    expect(all.code).toBe(0);
    const listed = JSON.parse(all.stdout);
    expect(Object.keys(listed)).toEqual(['result']);
    expect(listed.result.map((k: { id: string }) => k.id)).toEqual([second.id, created.accesskey.id]);
    expect(listed.result[0]).toMatchObject({ customer_id: customer, name: 'second', tm_last_used: null });
    expect(listed.result[0].token).toBeUndefined();
    expect(listed.result[0].tm_disable).toMatch(/^20\d\d-/);

    const disabled = JSON.parse((await admin(['accesskey', 'list', '--customer', customer, '--state', 'disabled'], env)).stdout);
    expect(disabled.result.map((k: { id: string }) => k.id)).toEqual([second.id]);
    const limited = JSON.parse((await admin(['accesskey', 'list', '--customer', customer, '--state', 'all', '--limit', '1'], env)).stdout);
    expect(limited.result.map((k: { id: string }) => k.id)).toEqual([second.id]);

    const bad = await admin(['accesskey', 'list', '--customer', customer, '--state', 'asleep'], env);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--state/);
  }, 120000);
});

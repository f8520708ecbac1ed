import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { usingPostgres } from '../helpers/database';
import { admin, embeddedEnv, freePort, startServer } from '../helpers/process';
import type { ServerProcess } from '../helpers/process';
import { Receiver } from '../helpers/receiver';
import { scratchPostgres } from '../helpers/scratch';

jest.setTimeout(180000);

const WEBHOOK_ENV = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '1000' };

let receiver: Receiver;
beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(() => receiver.close());

const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const createKey = (server: ServerProcess, token: string, name: string) =>
  fetch(`${server.baseUrl}/v1.0/accesskeys`, { method: 'POST', headers: auth(token), body: JSON.stringify({ name, expire: 86400 }) });

async function stop(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  server.child.kill(signal);
  await server.exited;
}

describe('a server killed mid-delivery (embedded database)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'akd-webhook-crash-'));
  const started: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) await stop(s, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers after restart, with the same webhook-id, once the dead attempt\'s lease has passed', async () => {
    const env = embeddedEnv(dataDir, WEBHOOK_ENV);
    const start = async () => {
      const s = await startServer(env);
      started.push(s);
      return s;
    };
    let server = await start();
    const customerId = (await server.waitForOutput(/customer id\s*:\s*(\S+)/))[1];
    const token = (await server.waitForOutput(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
    await stop(server);
    // The key that seals signing secrets was generated on first start, owner-only; every later start (and the CLI) reuses it.
    const keyFile = path.join(dataDir, 'webhook-secret.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    expect(Buffer.from(key.trim(), 'base64')).toHaveLength(32);

    const made = await admin(['webhook', 'create', '--customer', customerId, '--url', receiver.url, '--events', 'accesskey.created'], env);
    expect(made.code).toBe(0);
    const { endpoint, secret } = JSON.parse(made.stdout) as { endpoint: { id: string }; secret: string };
    expect(secret).toMatch(/^whsec_/);

    receiver.behave('hang', { status: 200 });
    server = await start();
    const created = await createKey(server, token, 'after-commit');
    expect(created.status).toBe(200);
    await receiver.waitFor(1); // the attempt is under way: the receiver holds it
    const [first] = receiver.received;
    await stop(server, 'SIGKILL');

    server = await start();
    await receiver.waitFor(2, 60000);
    const second = receiver.received[1];
    expect(second.id).toBe(first.id);
    expect(Receiver.verify(second, secret)).toMatchObject({ type: 'accesskey.created', data: { name: 'after-commit' } });
    await stop(server);

    // The secret made before both restarts signed both attempts (verified above): the same key, still owner-only.
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    Receiver.verify(first, secret);

    const listed = await admin(['webhook', 'deliveries', '--endpoint', endpoint.id], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).result).toEqual([expect.objectContaining({ id: first.id, status: 'DELIVERED', attempts: 1, last_status_code: 200 })]);

    // The other operator commands: list (never the secret), delete.
    const endpoints = await admin(['webhook', 'list', '--customer', customerId], env);
    expect(endpoints.code).toBe(0);
    expect(JSON.parse(endpoints.stdout).result).toEqual([expect.objectContaining({ id: endpoint.id, url: receiver.url, events: ['accesskey.created'], disabled: false })]);
    expect(endpoints.stdout).not.toContain(secret.slice(6));
    const deleted = await admin(['webhook', 'delete', '--id', endpoint.id], env);
    expect(deleted.code).toBe(0);
    expect(JSON.parse((await admin(['webhook', 'list', '--customer', customerId], env)).stdout).result).toEqual([]);
  });
});

(usingPostgres ? describe : describe.skip)('two replicas on one PostgreSQL database', () => {
  const { url, servers } = scratchPostgres('akd_webhooks_two');

  it('deliver 200 events each exactly once, and both replicas deliver some', async () => {
    // Each answer takes 20 ms and a replica holds one attempt per endpoint at a time (at most 50 a second):
    // while one replica waits for an answer the other claims the next delivery, so both must work.
    receiver.behave({ status: 200, delayMs: 20 });
    receiver.reset();
    const env = {
      ...process.env, DATABASE_URL: url, WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn', ...WEBHOOK_ENV,
      WEBHOOK_CONCURRENCY: '2', WEBHOOK_ENDPOINT_CONCURRENCY: '1',
    };
    const metricsPorts = [await freePort(), await freePort()];
    const a = await startServer({ ...env, LOG_LEVEL: 'info', METRICS_PORT: String(metricsPorts[0]) });
    servers.push(a);
    const customerId = (await a.waitForOutput(/customer id\s*:\s*(\S+)/))[1];
    const token = (await a.waitForOutput(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
    const b = await startServer({ ...env, LOG_LEVEL: 'info', METRICS_PORT: String(metricsPorts[1]) });
    servers.push(b);
    const made = await admin(['webhook', 'create', '--customer', customerId, '--url', receiver.url, '--events', '*'], env);
    expect(made.code).toBe(0);
    const { secret } = JSON.parse(made.stdout) as { secret: string };

    const EVENTS = 200;
    const committed = new Map<string, number>();
    const started = performance.now();
    for (let i = 0; i < EVENTS; i += 10) {
      await Promise.all(Array.from({ length: 10 }, async (_, j) => {
        const res = await createKey((i + j) % 2 === 0 ? a : b, token, `k${i + j}`);
        expect(res.status).toBe(200);
        committed.set(`k${i + j}`, performance.now());
      }));
    }
    await receiver.waitFor(EVENTS, 120000);
    const drained = performance.now() - started;
    // A moment more: a duplicate would arrive now.
    await new Promise((r) => setTimeout(r, 1500));
    const ids = receiver.received.map((r) => r.id);
    expect(ids).toHaveLength(EVENTS);
    expect(new Set(ids).size).toBe(EVENTS);
    const names = receiver.received.map((r) => Receiver.verify(r, secret).data.name as string);
    expect(new Set(names)).toEqual(new Set(committed.keys()));
    // Who delivered what: each replica's own count on its private metrics view.
    const delivered = await Promise.all(metricsPorts.map(async (port) => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^webhook_deliveries_total\{outcome="delivered"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    }));
    expect(delivered[0] + delivered[1]).toBe(EVENTS);
    expect(delivered[0]).toBeGreaterThan(0);
    expect(delivered[1]).toBeGreaterThan(0);
    process.stdout.write(`two replicas delivered ${EVENTS} events exactly once in ${drained.toFixed(0)} ms (${delivered.join(' + ')}; answers took 20 ms)\n`);
  });
});

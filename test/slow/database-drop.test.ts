import { Client } from 'pg';
import { usingPostgres } from '../helpers/database';
import { startServer } from '../helpers/process';
import type { ServerProcess } from '../helpers/process';
import { TcpProxy } from '../helpers/proxy';
import { scratchPostgres } from '../helpers/scratch';

// A real server process on PostgreSQL behind a TCP proxy, the proxy vanishing while writes are in flight:
// the way a host crash, a failover or a proxy restart looks to the server.

const WRITERS = 6;

if (!usingPostgres) console.log('database-drop: needs PostgreSQL (DATABASE_URL); skipped on PGlite');

(usingPostgres ? describe : describe.skip)('the database connection drops under write load', () => {
  const scratch = scratchPostgres('akd_drop');
  let proxy: TcpProxy;
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    const target = new URL(scratch.url);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    server = await startServer({
      ...process.env,
      DATABASE_URL: proxy.urlFor(scratch.url),
      LOG_LEVEL: 'info',
      JWT_KEY: 'k'.repeat(40),
      DB_POOL_MAX: '4',
      DB_ACQUIRE_TIMEOUT_MS: '500',
      DB_STATEMENT_TIMEOUT_MS: '1000',
      DB_CONNECT_RETRY_SECONDS: '0',
    });
    scratch.servers.push(server);
    token = (await server.waitForOutput(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
  });
  afterAll(async () => {
    await proxy.close();
  });

  interface Outcome {
    readonly status: number;
    readonly id?: string;
    readonly reason?: string;
  }

  async function create(name: string): Promise<Outcome> {
    try {
      const res = await fetch(`${server.baseUrl}/v1.0/accesskeys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, expire: 86400 }),
        signal: AbortSignal.timeout(15000),
      });
      const body = (await res.json()) as { id?: string; error?: { status: string; reason: string } };
      return { status: res.status, id: res.status === 200 ? body.id : undefined, reason: body.error?.status };
    } catch {
      // The process died or the answer never came: not an answer at all.
      return { status: 0 };
    }
  }

  /** `WRITERS` clients creating keys one after the other until `stop()`. */
  function writeLoad() {
    const outcomes: Outcome[] = [];
    let running = true;
    let n = 0;
    const loops = Array.from({ length: WRITERS }, async (_, w) => {
      while (running) outcomes.push(await create(`w${w}-${n++}`));
    });
    return {
      outcomes,
      async stop() {
        running = false;
        await Promise.all(loops);
      },
    };
  }

  /** Polls until `probe` holds (bounded). */
  async function until(probe: () => boolean | Promise<boolean>, what: string, boundMs = 20000): Promise<void> {
    const giveUp = Date.now() + boundMs;
    while (!(await probe())) {
      if (server.child.exitCode !== null) throw new Error(`the server exited with ${server.child.exitCode} while waiting for ${what}; stderr: ${server.stderr()}`);
      if (Date.now() > giveUp) throw new Error(`gave up waiting for ${what}; stderr: ${server.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('stays up, answers 503 UNAVAILABLE during the outage and 200 soon after, and loses no acknowledged write (3 drops)', async () => {
    const load = writeLoad();
    try {
      for (let drop = 1; drop <= 3; drop++) {
        const before = load.outcomes.length;
        await until(() => load.outcomes.filter((o) => o.status === 200).length >= before / 2 + 20, 'writes going through');
        // The host goes away: every open connection closes, new ones are refused.
        await proxy.refuse();
        const during = load.outcomes.length;
        await until(() => load.outcomes.slice(during).filter((o) => o.status === 503).length >= WRITERS, '503s during the outage');
        const ready = await fetch(`${server.baseUrl}/readyz`);
        expect(ready.status).toBe(503);
        expect(server.child.exitCode).toBeNull();

        await proxy.listen();
        const back = load.outcomes.length;
        await until(() => load.outcomes.slice(back).some((o) => o.status === 200), 'a created key after the database came back');
        await until(async () => (await fetch(`${server.baseUrl}/readyz`)).status === 200, '/readyz 200 again');
      }
    } finally {
      await load.stop();
    }
    expect(server.child.exitCode).toBeNull();

    // Every answer was a created key or a named outage; nothing else (no 500, no dropped connection).
    const statuses = new Set(load.outcomes.map((o) => o.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    expect(new Set(load.outcomes.filter((o) => o.status === 503).map((o) => o.reason))).toEqual(new Set(['UNAVAILABLE']));

    // Every acknowledged key is in the database.
    const acknowledged = load.outcomes.filter((o) => o.status === 200).map((o) => o.id!);
    const db = new Client({ connectionString: scratch.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM accesskeys WHERE id = ANY($1::uuid[])', [acknowledged]);
      expect(rows.map((r) => r.id).sort()).toEqual([...acknowledged].sort());
    } finally {
      await db.end();
    }

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stderr()).not.toMatch(/Unhandled|uncaught/i);
  }, 180000);
});

(usingPostgres ? describe : describe.skip)('a start while the database goes away', () => {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const started: ServerProcess[] = [];
  let admin: Client;
  beforeAll(async () => {
    admin = new Client({ connectionString: base.toString() });
    await admin.connect();
  });
  afterAll(async () => {
    for (const server of started) {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await server.exited;
    }
    await admin.end();
  });

  it.each([
    ['migrating', 'pg_advisory_lock('],
    ['provisioning', 'pg_advisory_xact_lock('],
  ])('lost while %s: retried within DB_CONNECT_RETRY_SECONDS, comes up and provisions once', async (what, statement) => {
    const name = `akd_drop_start_${what}_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = Object.assign(new URL(base.toString()), { pathname: `/${name}` }).toString();
    const proxy = await TcpProxy.start({ host: base.hostname, port: Number(base.port || 5432) });
    // The first time the server sends that statement, the database goes away for a second (connections
    // cut, new ones refused), then comes back.
    let tripped = false;
    proxy.onClientData = (chunk) => {
      if (tripped || !chunk.includes(statement)) return;
      tripped = true;
      void proxy.refuse().then(() => setTimeout(() => void proxy.listen(), 1000));
    };
    try {
      const server = await startServer({ ...process.env, DATABASE_URL: proxy.urlFor(url), LOG_LEVEL: 'info', JWT_KEY: 'k'.repeat(40), DB_CONNECT_RETRY_SECONDS: '30' });
      started.push(server);
      expect(tripped).toBe(true);
      expect(server.stderr()).toMatch(/not reachable \(attempt 1:/);
      // The banner follows the listening line.
      await server.waitForOutput(/access key\s*:\s*vb_[0-9A-Za-z]{32}/);
      const banners = [...server.stdout().matchAll(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/g)];
      expect(banners).toHaveLength(1);
      const res = await fetch(`${server.baseUrl}/v1.0/accesskeys`, { headers: { authorization: `Bearer ${banners[0][1]}` } });
      expect(res.status).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      await proxy.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }, 120000);
});

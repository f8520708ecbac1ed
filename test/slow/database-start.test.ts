import { Client } from 'pg';
import { bearer } from '../helpers/app';
import { usingPostgres } from '../helpers/database';
import { freePort, run, startServer } from '../helpers/process';
import type { ServerProcess } from '../helpers/process';
import { TcpProxy } from '../helpers/proxy';

// The server process starting while PostgreSQL is unreachable, or empty (moved from
// test/database-outage.test.ts, which keeps the outages of a running app).
if (!usingPostgres) {
  console.log('database-start: the start-retry and paired-start tests need PostgreSQL (DATABASE_URL); skipped on PGlite');
}
const onPostgres = usingPostgres ? describe : describe.skip;

onPostgres('starting against PostgreSQL', () => {
  const baseUrl = process.env.DATABASE_URL ?? '';
  const serverEnv = (databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    JWT_KEY: 'k'.repeat(40),
    ...extra,
  });
  const withPassword = (port: number) => {
    const url = new URL(baseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    url.password = 'not-the-password-9f3';
    return url.toString();
  };
  const started: ServerProcess[] = [];
  afterEach(async () => {
    for (const server of started.splice(0)) {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await server.exited;
    }
  });

  it.each([
    ['a closed port (connection refused)', 'closed'],
    ['a network that accepts and never answers', 'blackhole'],
  ])('with the database unreachable at %s: retries, logging each attempt, then exits 1 naming the host, never the password', async (_what, kind) => {
    const proxy = kind === 'blackhole' ? await TcpProxy.start({ host: '127.0.0.1', port: 1 }) : null;
    proxy?.setMode('blackhole');
    const port = proxy ? proxy.port : await freePort();
    try {
      const began = Date.now();
      const result = await run(process.execPath, ['dist/src/main.js'], serverEnv(withPassword(port), { DB_CONNECT_RETRY_SECONDS: '2', DB_ACQUIRE_TIMEOUT_MS: '300' }), undefined, 30000);
      expect(result.code).toBe(1);
      expect(Date.now() - began).toBeLessThan(20000);
      const attempts = result.stderr.split('\n').filter((l) => l.includes(`Database at postgres@127.0.0.1:${port}/`) && /not reachable \(attempt \d+/.test(l));
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(result.stderr).toMatch(new RegExp(`Could not reach the database at postgres@127\\.0\\.0\\.1:${port}/\\S+ after \\d+ attempts`));
      expect(result.stderr).not.toContain('not-the-password-9f3');
      expect(result.stdout).not.toContain('Server listening');
    } finally {
      await proxy?.close();
    }
  });

  it('comes up once the database becomes reachable within the retry budget', async () => {
    const target = new URL(baseUrl);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    proxy.setMode('reset');
    proxy.onConnection = () => {
      if (proxy.connections >= 3) proxy.setMode('forward');
    };
    try {
      const server = await startServer(serverEnv(proxy.urlFor(baseUrl), { DB_CONNECT_RETRY_SECONDS: '30' }));
      started.push(server);
      expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
      expect(server.stderr()).toMatch(/not reachable \(attempt 1:/);
      expect(server.stderr()).toMatch(/not reachable \(attempt 2:/);
    } finally {
      await proxy.close();
    }
  });

  it('two servers starting together on an empty database both come up (3 pairs)', async () => {
    const admin = new Client({ connectionString: baseUrl });
    await admin.connect();
    const name = `${new URL(baseUrl).pathname.slice(1)}_pair`;
    try {
      for (let pair = 1; pair <= 3; pair++) {
        const database = `${name}_${pair}`;
        await admin.query(`DROP DATABASE IF EXISTS ${database}`);
        await admin.query(`CREATE DATABASE ${database}`);
        try {
          const url = new URL(baseUrl);
          url.pathname = `/${database}`;
          const servers = await Promise.all([startServer(serverEnv(url.toString())), startServer(serverEnv(url.toString()))]);
          started.push(...servers);
          for (const server of servers) expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
          // Provisioned exactly once, and that key works on both servers.
          const banners = servers.map((s) => /access key\s*:\s*(vb_\w+)/.exec(s.stdout())).filter((m) => m !== null);
          expect(banners).toHaveLength(1);
          for (const server of servers) {
            expect((await fetch(`${server.baseUrl}/v1.0/accesskeys`, { headers: bearer(banners[0][1]) })).status).toBe(200);
          }
          for (const server of servers) server.child.kill('SIGTERM');
          expect(await Promise.all(servers.map((s) => s.exited))).toEqual([0, 0]);
        } finally {
          await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        }
      }
    } finally {
      await admin.end();
    }
  });
});

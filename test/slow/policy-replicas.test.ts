import { usingPostgres } from '../helpers/database';
import { startServer } from '../helpers/process';
import type { ServerProcess } from '../helpers/process';
import { redisOrSkip, redisProxy } from '../helpers/redis';
import { scratchPostgres } from '../helpers/scratch';

// Two real server processes on one PostgreSQL database sharing one key's rate limit through the
// database and through the machine's Redis; and Redis cut mid-run (through a TCP proxy).

const auth = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });

/** A key limited to 5 uses per day (a day, so the fixed window does not roll over during the test). */
async function limitedKey(server: ServerProcess, bootstrap: string): Promise<string> {
  const res = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: auth(bootstrap),
    body: JSON.stringify({ query: 'mutation { createAccesskey(input: { name: "limited", expire: 86400, rateLimit: { limit: 5, windowSeconds: 86400 } }) { token } }' }),
  });
  const body = (await res.json()) as { data: { createAccesskey: { token: string } } };
  return body.data.createAccesskey.token;
}

const use = async (server: ServerProcess, token: string) => (await fetch(`${server.baseUrl}/v1.0/accesskeys?page_size=1`, { headers: auth(token) })).status;

/** `n` uses alternating between the servers; the statuses in order. */
async function alternate(servers: ServerProcess[], token: string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push(await use(servers[i % servers.length], token));
  return statuses;
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

(usingPostgres ? describe : describe.skip)('one rate limit shared by two server processes', () => {
  const { url, servers } = scratchPostgres('akd_policy_replicas');
  let bootstrap = '';

  async function pair(env: Record<string, string>): Promise<ServerProcess[]> {
    const base = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info', ...env };
    const a = await startServer(base);
    servers.push(a);
    if (!bootstrap) bootstrap = (await a.waitForOutput(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
    const b = await startServer(base);
    servers.push(b);
    return [a, b];
  }

  async function stop(pairOf: ServerProcess[]): Promise<void> {
    for (const s of pairOf) {
      s.child.kill('SIGTERM');
      await s.exited;
      servers.splice(servers.indexOf(s), 1);
    }
  }

  it('through PostgreSQL: a key limited to 5 serves 5 in all across both', async () => {
    const both = await pair({ RATE_LIMIT_STORE: 'postgres' });
    const token = await limitedKey(both[0], bootstrap);
    const statuses = await alternate(both, token, 12);
    expect(count(statuses, 200)).toBe(5);
    expect(count(statuses, 429)).toBe(7);
    await stop(both);
  });

  it('through Redis: the same; Redis cut mid-run: per-process limits, one warning each, never a 5xx; then shared again', async () => {
    if (!(await redisOrSkip())) return;
    const { proxy, url: redisUrl } = await redisProxy();
    try {
      const both = await pair({ RATE_LIMIT_STORE: 'redis', REDIS_URL: redisUrl, RATE_LIMIT_TIMEOUT_MS: '300' });
      const token = await limitedKey(both[0], bootstrap);
      const shared = await alternate(both, token, 12);
      expect(count(shared, 200)).toBe(5);
      expect(count(shared, 429)).toBe(7);

      // A partition: connections stay open and nothing answers. Every use is answered within the bound, by the process's own counters.
      const other = await limitedKey(both[0], bootstrap);
      proxy.setMode('blackhole');
      const started = performance.now();
      const cut = await alternate(both, other, 16);
      const perUse = (performance.now() - started) / 16;
      process.stdout.write(`Redis partitioned: ${perUse.toFixed(0)} ms per use (bound 300 ms), statuses ${cut.join(',')}\n`);
      expect(cut.every((s) => s === 200 || s === 429)).toBe(true);
      // Each process counts alone: 5 each.
      expect(count(cut.filter((_, i) => i % 2 === 0), 200)).toBe(5);
      expect(count(cut.filter((_, i) => i % 2 === 1), 200)).toBe(5);
      expect(perUse).toBeLessThan(1500);
      // The connections drop too (a Redis that went away): still answered, still no 5xx.
      proxy.setMode('reset');
      proxy.cut();
      const dropped = await alternate(both, other, 4);
      expect(dropped.every((s) => s === 429)).toBe(true);
      for (const s of both) {
        const warnings = s.stdout().split('\n').filter((line) => line.includes('the rate-limit store failed'));
        expect(warnings).toHaveLength(1);
      }

      // Back: the shared counters answer again (and say so).
      proxy.setMode('forward');
      const fresh = await limitedKey(both[0], bootstrap);
      const deadline = performance.now() + 10_000;
      while (performance.now() < deadline && !both.every((s) => s.stdout().includes('the rate-limit store answers again'))) {
        await alternate(both, fresh, 2);
      }
      expect(both.every((s) => s.stdout().includes('the rate-limit store answers again'))).toBe(true);
      await stop(both);
    } finally {
      await proxy.close();
    }
  });
});

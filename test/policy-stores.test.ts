import { loggerOptions } from '../src/http/logging';
import type { RateLimitStore } from '../src/policy/rate-limiter';
import { bearer, buildTestApp, createTenant, gql } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { LogCapture } from './helpers/log';
import { REDIS_URL, redisOrSkip, redisProxy, redisUp, skipWithoutRedis } from './helpers/redis';

// The rate limit on each shared store, in process with the test clock; and the Redis store failing.

async function limitedKey(t: TestApp, owner: Tenant, limit: number): Promise<string> {
  const { body } = await gql(
    t,
    `mutation { createAccesskey(input: { expire: 86400, rateLimit: { limit: ${limit}, windowSeconds: 60 } }) { token } }`,
    {},
    bearer(owner.token),
  );
  t.clock.tick();
  return body.data.createAccesskey.token as string;
}

const use = async (t: TestApp, token: string) => (await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(token) })).statusCode;

describe.each<RateLimitStore>(['postgres', 'redis'])('RATE_LIMIT_STORE=%s', (store) => {
  let t: TestApp | null = null;
  let owner: Tenant;
  beforeAll(async () => {
    if (store === 'redis' && !(await redisUp())) return;
    t = await buildTestApp({ policy: { rateLimit: { store, redisUrl: REDIS_URL, timeoutMs: 500 }, usageFlushSeconds: 60, usageRetentionDays: 90 } });
    owner = await createTenant(t, 'owner');
  });
  afterAll(() => t?.close());

  it('counts in the shared store: the limit, a refusal, a fresh window on the service clock', async () => {
    if (!t) return skipWithoutRedis();
    t.clock.toNextWindow(60);
    const token = await limitedKey(t, owner, 2);
    expect([await use(t, token), await use(t, token), await use(t, token)]).toEqual([200, 200, 429]);
    // Another process's counters are the store's: this one's own (insurance) counters were never used.
    expect((t.services.policy.rateLimiter as unknown as { localLimiters: Map<string, unknown> }).localLimiters.size).toBe(0);
    t.clock.toNextWindow(60);
    expect(await use(t, token)).toBe(200);
  });
});

describe('the Redis store failing', () => {
  it('hanging: answered within the bound by per-process counters, one warning; dropped: the same, never a 5xx', async () => {
    if (!(await redisOrSkip())) return;
    const { proxy, url } = await redisProxy();
    const log = new LogCapture();
    const t = await buildTestApp({
      logger: loggerOptions('info', log),
      policy: { rateLimit: { store: 'redis', redisUrl: url, timeoutMs: 200 }, usageFlushSeconds: 60, usageRetentionDays: 90 },
    });
    try {
      const warnings = () => log.records().filter((r) => r.msg === 'the rate-limit store failed; counting rate limits per process until it answers again');
      // Ready means connected to Redis: the first use counts there, not in this process, and no outage is logged.
      expect(t.services.policy.redis?.status).toBe('ready');
      const owner = await createTenant(t, 'owner');
      const token = await limitedKey(t, owner, 3);
      expect(await use(t, token)).toBe(200);
      expect(warnings()).toHaveLength(0);
      proxy.setMode('blackhole');
      const started = performance.now();
      const statuses = [await use(t, token), await use(t, token), await use(t, token), await use(t, token)];
      const elapsed = performance.now() - started;
      // The per-process counter starts empty: three more, then refused. Never a 5xx.
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(elapsed).toBeLessThan(2000);
      proxy.setMode('reset');
      proxy.cut();
      expect(await use(t, token)).toBe(429);
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0].level).toBe(40);
    } finally {
      await t.close();
      await proxy.close();
    }
  });
});

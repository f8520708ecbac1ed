import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Database } from '../db/database';
import type { AccesskeyStore } from '../keys/accesskey.store';
import type { Observer } from '../observability';
import type { PolicyConfig } from '../policy/config';
import { PolicyEnforcer } from '../policy/enforcer';
import { KeyRateLimiter } from '../policy/rate-limiter';
import { openRedis, postgresLimiters, redisConnectTimeoutMs, redisLimiters, redisReady } from '../policy/stores';
import { UsageCounter } from '../policy/usage-counter';
import { UsageStore } from '../policy/usage.store';
import type { Clock } from '../time';

/** The usage policy's parts (issue 18), built once per app. */
export interface PolicyServices {
  readonly enforcer: PolicyEnforcer;
  readonly rateLimiter: KeyRateLimiter;
  /** Usage analytics, counted in memory and written in batches. */
  readonly usageCounts: UsageCounter;
  readonly usageStore: UsageStore;
  /** The counters' Redis connection with `RATE_LIMIT_STORE=redis`. */
  readonly redis: Redis | null;
  /** Resolves when the shared store can count (Redis connected), or after one connection attempt's bound. */
  ready(): Promise<void>;
}

export function createPolicyServices(database: Database, keys: AccesskeyStore, clock: Clock, config: PolicyConfig, observer?: Observer): PolicyServices {
  const { store, redisUrl, timeoutMs } = config.rateLimit;
  const redis = store === 'redis' ? openRedis(redisUrl!, timeoutMs) : null;
  const shared = store === 'postgres' ? postgresLimiters(database.sql) : redis ? redisLimiters(redis) : null;
  const rateLimiter = new KeyRateLimiter({ clock, shared, timeoutMs });
  const usageStore = new UsageStore(database.sql);
  const usageCounts = new UsageCounter(usageStore, { clock, flushSeconds: config.usageFlushSeconds, retentionDays: config.usageRetentionDays });
  const enforcer = new PolicyEnforcer({ clock, rateLimiter, credits: keys, usage: usageCounts, observer });
  const ready = () => (redis ? redisReady(redis, redisConnectTimeoutMs(timeoutMs)) : Promise.resolve());
  return { enforcer, rateLimiter, usageCounts, usageStore, redis, ready };
}

/** Logs through the app, writes usage counts on a timer and once more on close, then closes the Redis connection. */
export function startPolicyServices(policy: PolicyServices, app: FastifyInstance): void {
  policy.rateLimiter.setLogger(app.log);
  policy.usageCounts.setErrorHandler((err) => app.log.warn({ err }, 'writing usage counts of access keys failed; kept for the next try'));
  policy.usageCounts.start();
  app.addHook('onReady', () => policy.ready());
  app.addHook('onClose', async () => {
    await policy.usageCounts.stop();
    policy.redis?.disconnect();
  });
}

import { Redis } from 'ioredis';
import { RateLimiterPostgres, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Queryable } from '../db/sql';
import type { Logger, SharedLimiterFactory } from './rate-limiter';

/** The table of shared counters (created by the migration, in rate-limiter-flexible's layout). */
const COUNTERS_TABLE = 'rate_limit_counters';

/**
 * Counters in PostgreSQL: rate-limiter-flexible's upsert, run through the
 * app's own pool (`db/sql`, so statement names follow the pool's setting and
 * every statement is bounded like the others). The library prunes expired rows.
 */
export function postgresLimiters(db: Queryable): SharedLimiterFactory {
  const client = {
    query: async (q: { name?: string; text: string; values?: unknown[] }) => ({
      rows: await db.query(q.name ? `rl_${q.name.replace(/[^a-z0-9]+/gi, '_')}` : '', q.text, q.values ?? []),
    }),
  };
  return (opts) => new RateLimiterPostgres({ ...opts, storeClient: client, storeType: 'pool', tableName: COUNTERS_TABLE, tableCreated: true });
}

/** Counters in Redis: refused at once while the connection is down, so the insurance counters answer without waiting. */
export function redisLimiters(redis: Redis): SharedLimiterFactory {
  return (opts) => new RateLimiterRedis({ ...opts, storeClient: redis, rejectIfRedisNotReady: true });
}

/** How long one connection attempt to Redis may take: `RATE_LIMIT_TIMEOUT_MS`, at least a second. */
export const redisConnectTimeoutMs = (timeoutMs: number): number => Math.max(timeoutMs, 1000);

/**
 * A Redis connection for the counters: commands fail instead of queueing while
 * it is down, each is bounded by `timeoutMs`, and it reconnects in the
 * background. Connection errors are the limiter's to report (once per outage);
 * here they are only kept from crashing the process.
 */
export function openRedis(url: string, timeoutMs: number, log?: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: redisConnectTimeoutMs(timeoutMs),
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (err: Error) => log?.info({ error: err.message }, 'redis connection error'));
  return redis;
}

/**
 * Resolves once the connection is ready, or after `timeoutMs`, whichever is
 * first; never rejects. Awaited at start, so the first uses count in Redis
 * rather than, for the moments connecting takes, per process (which would
 * also log an outage that was none); a Redis that is down delays the start
 * by at most `timeoutMs`.
 */
export function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}

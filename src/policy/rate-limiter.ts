import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimit } from '../keys/key-policy';
import type { Clock } from '../time';

/** Where rate-limit counters are kept (`RATE_LIMIT_STORE`). */
export const RATE_LIMIT_STORES = ['memory', 'postgres', 'redis'] as const;
export type RateLimitStore = (typeof RATE_LIMIT_STORES)[number];

export interface RateLimitConfig {
  readonly store: RateLimitStore;
  /** `REDIS_URL`; required with the `redis` store. */
  readonly redisUrl: string | null;
  /** `RATE_LIMIT_TIMEOUT_MS`: the longest wait for the shared store before the per-process counters answer. */
  readonly timeoutMs: number;
}

/** A key's standing in its current window, after this use was counted. */
export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  /** Whole seconds until the window resets (at least 1). */
  readonly resetSeconds: number;
  readonly allowed: boolean;
}

/** Makes the shared store's counter for one (limit, window) pair; rate-limiter-flexible does the counting. */
export type SharedLimiterFactory = (opts: { points: number; duration: number; keyPrefix: string }) => RateLimiterAbstract;

export interface Logger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface KeyRateLimiterDeps {
  readonly clock: Clock;
  /** `null`: counters in this process only (`memory`). */
  readonly shared: SharedLimiterFactory | null;
  readonly timeoutMs: number;
  readonly log?: Logger;
}

const TIMED_OUT = Symbol('timed out');
const PROBE_INTERVAL_MS = 1000;

/**
 * Per-key rate limits in fixed windows aligned to the epoch on the service
 * clock (so every replica agrees on the window, and tests move time by hand).
 * Each window is its own counter (`<key>:<window length>:<window index>`),
 * counted by rate-limiter-flexible in the shared store (PostgreSQL or Redis)
 * or in memory. When the shared store fails or does not answer within
 * `timeoutMs`, the per-process counters (an insurance limiter) answer instead,
 * with one warning per outage; never an error, never a hang. While it is out,
 * only one use a second waits for it (a probe); the others are answered locally at once.
 */
export class KeyRateLimiter {
  private readonly sharedLimiters = new Map<string, RateLimiterAbstract>();
  private readonly localLimiters = new Map<string, RateLimiterAbstract>();
  private outage = false;
  /** During an outage, when the shared store is tried again (real time: one probe a second, the rest answered locally at once). */
  private probeAtMs = 0;
  private log: Logger | undefined;

  constructor(private readonly deps: KeyRateLimiterDeps) {
    this.log = deps.log;
  }

  /** Who hears of an outage of the shared store (once per outage) and of its end, e.g. the app's log. */
  setLogger(log: Logger): void {
    this.log = log;
  }

  /** Counts one use of `keyId` against `limit`. Never rejects. */
  async consume(keyId: string, limit: RateLimit): Promise<RateLimitState> {
    const windowMs = limit.windowSeconds * 1000;
    const now = this.deps.clock.now().epochMs;
    const index = Math.floor(now / windowMs);
    const resetSeconds = Math.max(1, Math.ceil(((index + 1) * windowMs - now) / 1000));
    const counter = `${keyId}:${index}`;
    const consumed = (await this.consumeShared(counter, limit)) ?? (await this.consumeIn(this.localLimiters, counter, limit, null));
    return { limit: limit.limit, remaining: Math.max(0, limit.limit - consumed), resetSeconds, allowed: consumed <= limit.limit };
  }

  /** Points consumed in the shared store, or `null` when it failed (or there is none). */
  private async consumeShared(counter: string, limit: RateLimit): Promise<number | null> {
    if (!this.deps.shared) return null;
    if (this.outage && Date.now() < this.probeAtMs) return null;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.deps.timeoutMs);
    });
    try {
      const outcome = await Promise.race([this.consumeIn(this.sharedLimiters, counter, limit, this.deps.shared), bound]);
      if (outcome === TIMED_OUT) throw new Error(`the rate-limit store did not answer within ${this.deps.timeoutMs} ms`);
      if (this.outage) {
        this.outage = false;
        this.log?.info({}, 'the rate-limit store answers again; limits are shared across replicas again');
      }
      return outcome;
    } catch (err) {
      this.probeAtMs = Date.now() + PROBE_INTERVAL_MS;
      if (!this.outage) {
        this.outage = true;
        this.log?.warn({ err }, 'the rate-limit store failed; counting rate limits per process until it answers again');
      }
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Consumes one point; the points consumed in the window, over the limit too. Rejects only when the store fails. */
  private async consumeIn(limiters: Map<string, RateLimiterAbstract>, counter: string, limit: RateLimit, factory: SharedLimiterFactory | null): Promise<number> {
    const name = `${limit.limit}/${limit.windowSeconds}`;
    let limiter = limiters.get(name);
    if (!limiter) {
      const opts = { points: limit.limit, duration: limit.windowSeconds, keyPrefix: `akd_rl_${limit.windowSeconds}` };
      limiter = factory ? factory(opts) : new RateLimiterMemory(opts);
      limiters.set(name, limiter);
    }
    try {
      return (await limiter.consume(counter)).consumedPoints;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return refusal.consumedPoints;
      throw refusal;
    }
  }
}

import { RateLimitedError } from '../errors';
import type { Clock } from '../time';

const MAX_TRACKED_KEYS = 100_000;

/**
 * Counts failed logins per key (a username, a client address) in a sliding
 * window. Kept in memory: a restart forgets, which only helps the legitimate
 * user; several servers behind one balancer each count on their own.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  /** Throws `RateLimitedError` when any key has used up its failures. */
  assertAllowed(keys: readonly string[]): void {
    const now = this.clock.now().epochMs;
    let retryAfterMs = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures) {
        retryAfterMs = Math.max(retryAfterMs, recent[recent.length - this.maxFailures] + this.windowSeconds * 1000 - now);
      }
    }
    if (retryAfterMs > 0) throw new RateLimitedError(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.clock.now().epochMs;
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key); // re-insert so the map stays ordered by last use
      this.failures.set(key, recent);
    }
    while (this.failures.size > MAX_TRACKED_KEYS) {
      const oldest = this.failures.keys().next().value as string;
      this.failures.delete(oldest);
    }
  }

  private recent(key: string, now: number): number[] {
    const since = now - this.windowSeconds * 1000;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}

import { createHash } from 'node:crypto';
import type { Queryable } from '../db/sql';
import { RateLimitedError } from '../errors';
import type { Clock, Instant } from '../time';

const MAX_TRACKED_KEYS = 100_000;

/**
 * Counts failed logins per key (a username, a client address) in a sliding
 * window, and refuses once a key has used up its failures.
 */
export interface LoginLimiter {
  /** Throws `RateLimitedError` (with when to come back) when any key has used up its failures. */
  assertAllowed(keys: readonly string[]): Promise<void>;
  recordFailure(keys: readonly string[]): Promise<void>;
}

interface Window {
  readonly maxFailures: number;
  readonly windowSeconds: number;
}

/** Seconds until the oldest failure that still counts leaves the window (at least 1). */
function retryAfter(countingFailureAt: number, window: Window, now: number): number {
  return Math.max(1, Math.ceil((countingFailureAt + window.windowSeconds * 1000 - now) / 1000));
}

/**
 * In memory, for the embedded database (one process). A restart forgets,
 * which only helps the legitimate user.
 */
export class MemoryLoginLimiter implements LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly window: Window,
  ) {}

  async assertAllowed(keys: readonly string[]): Promise<void> {
    const now = this.clock.now().epochMs;
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.window.maxFailures) {
        wait = Math.max(wait, retryAfter(recent[recent.length - this.window.maxFailures], this.window, now));
      }
    }
    if (wait > 0) throw new RateLimitedError(wait);
  }

  async recordFailure(keys: readonly string[]): Promise<void> {
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
    const since = now - this.window.windowSeconds * 1000;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}

/**
 * A key as stored: its SHA-256. Usernames as typed can hold anything (a NUL,
 * which PostgreSQL text cannot), and the table need not list who was guessed at.
 */
const storedKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * In PostgreSQL (`login_failures`), so several servers on one database share
 * one count: the limit does not multiply by the number of replicas.
 */
export class SharedLoginLimiter implements LoginLimiter {
  private lastPurge = 0;

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly window: Window,
  ) {}

  async assertAllowed(keys: readonly string[]): Promise<void> {
    const now = this.clock.now();
    // For each key with at least maxFailures failures in the window: the maxFailures-th newest.
    const rows = await this.db.query<{ at: Instant }>(
      'login_limit_check',
      `SELECT at FROM (
         SELECT at, row_number() OVER (PARTITION BY key ORDER BY at DESC) AS n
           FROM login_failures WHERE key = ANY($1::text[]) AND at > $2
       ) counted WHERE n = $3`,
      [keys.map(storedKey), this.windowStart(now), this.window.maxFailures],
    );
    if (rows.length === 0) return;
    throw new RateLimitedError(Math.max(...rows.map((r) => retryAfter(r.at.epochMs, this.window, now.epochMs))));
  }

  async recordFailure(keys: readonly string[]): Promise<void> {
    const now = this.clock.now();
    await this.db.query(
      'login_limit_record',
      'INSERT INTO login_failures (key, at) SELECT unnest($1::text[]), $2',
      [keys.map(storedKey), now],
    );
    // Rows older than the window count for nothing; each process sweeps them at most once per window.
    if (now.epochMs - this.lastPurge >= this.window.windowSeconds * 1000) {
      this.lastPurge = now.epochMs;
      await this.db.query('login_limit_purge', 'DELETE FROM login_failures WHERE at <= $1', [this.windowStart(now)]);
    }
  }

  private windowStart(now: Instant): Instant {
    return now.plusSeconds(-this.window.windowSeconds);
  }
}

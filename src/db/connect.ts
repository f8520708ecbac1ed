import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from './config';
import { describeDriverError, isUnavailable } from './errors';

/** One failed attempt to reach the database while starting. */
export interface RetryNotice {
  /** `user@host:port/database`: never the password. */
  readonly target: string;
  readonly attempt: number;
  readonly error: string;
  /** The wait before the next attempt. */
  readonly delayMs: number;
  /** Time left before the start gives up. */
  readonly remainingMs: number;
}

export interface RetryPolicy {
  /** `Date.now()` after which no further attempt is made. */
  readonly deadline: number;
  readonly target: string;
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** One stderr line about a failed attempt (the server's logger does not exist yet; the CLI has none). */
export function retryLine({ target, attempt, error, delayMs, remainingMs }: RetryNotice): string {
  return (
    `Database at ${target} not reachable (attempt ${attempt}: ${error}); retrying in ${(delayMs / 1000).toFixed(2)} s, ` +
    `giving up in ${Math.ceil(remainingMs / 1000)} s\n`
  );
}

/** The database could not be reached within the start's retry budget. */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/** Where the database is, fit for a log line: the URL without its password or parameters. */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${user}${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}

/** The retry policy of a start: until `DB_CONNECT_RETRY_SECONDS` from now, for PostgreSQL; none for the embedded database. */
export function startRetry(config: DatabaseConfig, onRetry?: (notice: RetryNotice) => void): RetryPolicy | null {
  if (config.kind !== 'postgres') return null;
  return { deadline: Date.now() + config.connectRetrySeconds * 1000, target: describeTarget(config.url), onRetry };
}

/**
 * Runs `attempt` until it resolves. With a policy, a failure that says the
 * database is unavailable (refused, reset, lost, timed out, starting up) is
 * retried with exponential backoff until the deadline; any other failure (bad
 * credentials, no such database, a bug) is thrown at once. `attempt` must be
 * safe to run again: a unit of the start that holds nothing when it fails.
 */
export async function retryWhileUnavailable<T>(attempt: () => Promise<T>, retry: RetryPolicy | null): Promise<T> {
  const started = Date.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!retry || !isUnavailable(err)) throw err;
      const remainingMs = retry.deadline - Date.now();
      if (remainingMs <= 0) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        throw new DatabaseUnreachableError(
          `Could not reach the database at ${retry.target} after ${n} attempt${n === 1 ? '' : 's'} in ${seconds} s ` +
            `(DB_CONNECT_RETRY_SECONDS): ${describeDriverError(err)}`,
        );
      }
      const delayMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (n - 1), remainingMs);
      retry.onRetry?.({ target: retry.target, attempt: n, error: describeDriverError(err), delayMs, remainingMs });
      await sleep(delayMs);
    }
  }
}

/** Initializes a fresh DataSource from `make()`; a half-opened one is destroyed, so a retry starts clean. */
export async function connect(make: () => DataSource): Promise<DataSource> {
  const dataSource = make();
  try {
    return await dataSource.initialize();
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw err;
  }
}

/** `connect`, retried while the database is unavailable (see `retryWhileUnavailable`). */
export function connectWithRetry(make: () => DataSource, retry: RetryPolicy | null): Promise<DataSource> {
  return retryWhileUnavailable(() => connect(make), retry);
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
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

/**
 * Initializes a fresh DataSource from `make()` until one connects. With a
 * policy, an unavailable database (refused, reset, timed out, starting up) is
 * retried with exponential backoff until the deadline; any other failure
 * (bad credentials, no such database) is thrown at once.
 */
export async function connectWithRetry(make: () => DataSource, retry: RetryPolicy | null): Promise<DataSource> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await make().initialize();
    } catch (err) {
      if (!retry || !isUnavailable(err)) throw err;
      const remainingMs = retry.deadline - Date.now();
      if (remainingMs <= 0) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        throw new DatabaseUnreachableError(
          `Could not reach the database at ${retry.target} after ${attempt} attempt${attempt === 1 ? '' : 's'} in ${seconds} s ` +
            `(DB_CONNECT_RETRY_SECONDS): ${describeDriverError(err)}`,
        );
      }
      const delayMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempt - 1), remainingMs);
      retry.onRetry?.({ target: retry.target, attempt, error: describeDriverError(err), delayMs, remainingMs });
      await sleep(delayMs);
    }
  }
}

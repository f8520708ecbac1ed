import { DatabaseError } from 'pg';

/**
 * The one place that decides whether a driver error means "the database cannot
 * be reached or did not answer in time" (answered `UNAVAILABLE`, worth a retry)
 * rather than a bug. Only what the driver raises about the database's own
 * connection counts: an error that merely looks alike (Node's HTTP server
 * reports a client's aborted body as `ECONNRESET` too) is not the database failing.
 */

// Socket-level failures of the driver's connection: the server refused, dropped or never answered.
// Counted only on a system error, which names the socket call that failed (`connect`, `read`, …).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

const SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout ran out (lock waits included)
  '55P03', // lock_not_available: lock_timeout or NOWAIT
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting or recovering
  '53300', // too_many_connections
]);
// Deadlocks (40P01) and serialization failures (40001) stay out: they are about the transaction's
// own work, not the database's reachability, and retrying them is the service's decision.

// pg and pg-pool raise these as plain Errors without a code.
const MESSAGES = [
  /^Connection terminated/, // lost connection, or pg-pool's "due to connection timeout"
  /^timeout exceeded when trying to connect$/, // pg-pool checkout bound
  /^Query read timeout$/, // pg's client-side query_timeout
  /^timeout expired$/, // pg's connect timeout
  /not queryable/, // a client whose connection already broke
];

interface DriverError {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
  thrownValue?: unknown;
}

function matches(err: DriverError): boolean {
  if (typeof err.code === 'string') {
    // A SQLSTATE only from the database server itself (what pg parses off the wire).
    if (err instanceof DatabaseError && (SQLSTATES.has(err.code) || err.code.startsWith('08'))) return true;
    if (typeof err.syscall === 'string' && NETWORK_CODES.has(err.code)) return true;
    // The embedded database's private socket is gone for a moment while its thread is started again.
    if (err.code === 'ENOENT' && err.syscall === 'connect') return true;
  }
  return typeof err.message === 'string' && MESSAGES.some((re) => re.test(err.message as string));
}

/**
 * True when `err` (or what it wraps: TypeORM's `driverError`, a `cause`, an `AggregateError`'s
 * errors, graphql-js's `thrownValue` for a value it did not recognise as an Error) says the
 * database is unavailable.
 */
export function isUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as DriverError;
  if (matches(e)) return true;
  if ([e.driverError, e.cause, e.thrownValue].some((inner) => isUnavailable(inner, depth + 1))) return true;
  // Node reports a failed connect to a host with several addresses as an AggregateError.
  return Array.isArray(e.errors) && e.errors.some((inner) => isUnavailable(inner, depth + 1));
}

/** A short description for a log line: code and message of the innermost driver error, never a stack or the query's values. */
export function describeDriverError(err: unknown): string {
  let current = err as DriverError | undefined;
  for (let i = 0; i < 4 && current && typeof current === 'object' && (current.driverError || current.thrownValue); i++) {
    current = (current.driverError ?? current.thrownValue) as DriverError;
  }
  if (!current || typeof current !== 'object') return String(err);
  const code = typeof current.code === 'string' ? `${current.code} ` : '';
  const message = typeof current.message === 'string' && current.message !== '' ? current.message : 'no message';
  return `${code}${message}`;
}

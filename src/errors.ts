/** The closed set of domain error codes; every edge maps each one explicitly. */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'FAILED_PRECONDITION',
  'RESOURCE_EXHAUSTED',
  // The client did not send its whole request within REQUEST_TIMEOUT_MS (raised by the HTTP layer only).
  'DEADLINE_EXCEEDED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A failure the caller is meant to see. Services throw these and nothing else
 * on purpose; anything that is not an `AppError` is treated as a bug and masked.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Machine-readable detail, e.g. `INVALID_CREDENTIALS`, `STATE_INVALID`. */
    readonly reason: string,
    message: string,
    /** The input field at fault, for `INVALID_ARGUMENT`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * Too many attempts (failed logins), or too many uses of a rate-limited key
 * (reason `RATE_LIMITED`); the edge tells the client when to come back (`Retry-After`).
 */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    reason = 'TOO_MANY_ATTEMPTS',
    message = 'Too many failed attempts. Try again later.',
  ) {
    super('RESOURCE_EXHAUSTED', reason, message);
  }
}

/**
 * `Retry-After` for `UNAVAILABLE`. 5 s: about what a PostgreSQL restart or failover needs to
 * make progress, and the default statement timeout, so clients that obey do not pile onto a
 * struggling database, yet come back soon after it recovers.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * A dependency (the database) cannot serve right now: unreachable, too slow, or
 * out of connections. The edge tells the client when to come back (`Retry-After`).
 */
export class UnavailableError extends AppError {
  readonly retryAfterSeconds = UNAVAILABLE_RETRY_AFTER_SECONDS;

  constructor(reason: string, message: string) {
    super('UNAVAILABLE', reason, message);
  }
}

export const permissionDenied = (message: string): AppError => new AppError('PERMISSION_DENIED', 'PERMISSION_DENIED', message);

export const invalidArgument = (field: string, problem: string): AppError =>
  new AppError('INVALID_ARGUMENT', 'FIELD_INVALID', `${field}: ${problem}`, field);

export const authenticationRequired = (): AppError =>
  new AppError('UNAUTHENTICATED', 'AUTHENTICATION_REQUIRED', 'Authentication is required.');

export const invalidCredentials = (): AppError =>
  new AppError('UNAUTHENTICATED', 'INVALID_CREDENTIALS', 'The credentials are invalid.');

export const notFound = (what: string): AppError =>
  new AppError('NOT_FOUND', 'NOT_FOUND', `${what} was not found.`);

export const stateInvalid = (message: string): AppError =>
  new AppError('FAILED_PRECONDITION', 'STATE_INVALID', message);

export const unavailable = (reason: string, message: string): UnavailableError => new UnavailableError(reason, message);

/** The answer to a request whose database work could not be done in time (see db/errors.ts). */
export const databaseUnavailable = (): UnavailableError =>
  new UnavailableError('DATABASE_UNAVAILABLE', 'The database is not answering in time. Try again later.');

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

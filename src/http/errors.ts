import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DatabaseHealth } from '../db/health';
import { isUnavailable } from '../db/errors';
import { AppError, RateLimitedError, UnavailableError, databaseUnavailable, isAppError } from '../errors';
import type { ErrorCode } from '../errors';

/** The REST edge's one mapping from domain code to HTTP status. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'PERMISSION_DENIED':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'FAILED_PRECONDITION':
      return 409;
    case 'RESOURCE_EXHAUSTED':
      return 429;
    case 'DEADLINE_EXCEEDED':
      return 408;
    case 'UNAVAILABLE':
      return 503;
    case 'INTERNAL':
      return 500;
  }
}

/** The platform's error envelope. */
export function errorEnvelope(error: AppError, requestId: string) {
  return { error: { status: error.code, reason: error.reason, message: error.message, request_id: requestId } };
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error instanceof RateLimitedError || error instanceof UnavailableError) reply.header('Retry-After', String(error.retryAfterSeconds));
  return reply.code(httpStatusFor(error.code)).type('application/json; charset=utf-8').send(errorEnvelope(error, reply.request.id));
}

/** What every unexpected error is answered (the details stay in the log). */
export const INTERNAL = new AppError('INTERNAL', 'INTERNAL', 'An internal error occurred.');

/**
 * An error the HTTP layer raised about the request itself (Fastify's refusals
 * carry a 4xx `statusCode`: bad JSON, wrong content type, body too large, or a
 * body the client stopped sending). Never the database's, whatever its code.
 */
function requestError(err: Partial<FastifyError>, request: FastifyRequest): AppError {
  if (request.raw.destroyed && !request.raw.complete) {
    // The client went away mid-body: its own doing, and nobody is left to read the answer.
    request.log.debug({ error: err.code ?? err.message }, 'the client went away before sending the whole request');
    return new AppError('INVALID_ARGUMENT', 'BODY_INCOMPLETE', 'body: the connection closed before the whole body arrived', 'body');
  }
  return bodyRefusal(err);
}

/** The answer to a body Fastify could not take (unreadable JSON, too large, an unsupported content type). */
export function bodyRefusal(err: Partial<FastifyError>): AppError {
  const status = err.statusCode;
  const reason = status === 413 ? 'BODY_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BODY_INVALID';
  return new AppError('INVALID_ARGUMENT', reason, `body: ${err.message ?? 'is invalid'}`, 'body');
}

/**
 * Turns whatever was thrown into an `AppError`: the request's own faults are
 * the client's (400); a database that did not answer in time is `UNAVAILABLE`
 * (recorded, logged at most once in a while, no stack); anything else
 * unexpected is logged with its stack and masked.
 */
export function toAppError(err: unknown, request: FastifyRequest, health: DatabaseHealth): AppError {
  if (isAppError(err)) return err;
  const status = (err as Partial<FastifyError> | null)?.statusCode;
  // Checked first: a client's aborted body is reported with ECONNRESET, a code a lost database connection shares.
  if (typeof status === 'number' && status >= 400 && status < 500) return requestError(err as Partial<FastifyError>, request);
  if (isUnavailable(err)) {
    health.unavailable(err, request.id);
    return databaseUnavailable();
  }
  request.log.error({ err }, 'unexpected error');
  return INTERNAL;
}

/** What an unknown path, or a known path with another method, is answered (the OpenAPI document's `RouteNotFound` shows one). */
export const routeNotFound = (method: string, path: string): AppError => new AppError('NOT_FOUND', 'ROUTE_NOT_FOUND', `No route for ${method} ${path}.`);

/** Installs the envelope for every error and for unknown routes. */
export function installErrorHandling(app: FastifyInstance, health: DatabaseHealth): void {
  app.setErrorHandler((err, request, reply) => sendError(reply, toAppError(err, request, health)));
  app.setNotFoundHandler((request, reply) => sendError(reply, routeNotFound(request.method, request.url.split('?')[0])));
}

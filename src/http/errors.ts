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

const INTERNAL = new AppError('INTERNAL', 'INTERNAL', 'An internal error occurred.');

/**
 * Turns whatever was thrown into an `AppError`: a database that did not answer
 * in time is `UNAVAILABLE` (recorded, logged at most once in a while, no stack);
 * anything else unexpected is logged with its stack and masked.
 */
export function toAppError(err: unknown, request: FastifyRequest, health: DatabaseHealth): AppError {
  if (isAppError(err)) return err;
  if (isUnavailable(err)) {
    health.unavailable(err, request.id);
    return databaseUnavailable();
  }
  const fastifyError = err as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own refusals (bad JSON, wrong content type, body too large) are about the body.
    const reason = status === 413 ? 'BODY_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BODY_INVALID';
    return new AppError('INVALID_ARGUMENT', reason, `body: ${fastifyError.message ?? 'is invalid'}`, 'body');
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

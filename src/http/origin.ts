import type { FastifyRequest } from 'fastify';
import type { RequestOrigin, UseSite } from '../context';

/** Where a request came from: the client address (as `trustProxy` resolves it) and user agent. */
export function originOf(request: FastifyRequest): RequestOrigin {
  return { clientAddress: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
}

/** The use site of an HTTP request (the client address as `trustProxy` resolves it). */
export function useSiteOf(request: FastifyRequest): UseSite {
  return {
    requestId: request.id,
    clientAddress: request.ip ?? null,
    userAgent: request.headers['user-agent'] ?? null,
    method: request.method,
    route: request.routeOptions?.url ?? request.url.split('?')[0],
  };
}

import type { FastifyRequest } from 'fastify';
import type { Origin } from '../context';

/**
 * Where an HTTP request came from (REST and GraphQL alike): the client address
 * as `trustProxy` resolves it, the user agent, the method and the route
 * template, never the query string.
 */
export function originOf(request: FastifyRequest): Origin {
  return {
    requestId: request.id,
    clientAddress: request.ip ?? null,
    userAgent: request.headers['user-agent'] ?? null,
    method: request.method,
    route: request.routeOptions?.url ?? request.url.split('?')[0],
  };
}

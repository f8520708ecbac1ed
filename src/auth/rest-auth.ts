import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from './authenticator';
import { extractCredentials } from './credentials';
import { authorize } from './permissions';
import type { Action } from '../scopes';
import type { Caller, RequestContext } from '../context';
import { originOf } from '../http/origin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every authenticated route. */
    caller: Caller | null;
  }
}

/**
 * Authenticates an HTTP request: the REST hook below, and the GraphQL context
 * (app/ hands it this function). Whatever answers a request that presents a
 * credential is the caller's own, so it is `Cache-Control: no-store`: a shared
 * cache keeps off answers to `Authorization` by itself, but not off those to a
 * session cookie or a credential in the query string (RFC 9111 §3.5, RFC 6750 §2.3).
 */
export async function authenticateHttp(authenticator: Pick<Authenticator, 'authenticate'>, request: FastifyRequest, reply: FastifyReply): Promise<Caller> {
  const presented = extractCredentials(request);
  if (presented.viaQuery || presented.malformed || presented.session !== undefined || presented.accesskey !== undefined) {
    reply.header('Cache-Control', 'no-store');
  }
  return authenticator.authenticate(presented, originOf(request), (limits) => {
    // The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), on every answer to a rate-limited key.
    reply.header('RateLimit-Limit', String(limits.limit));
    reply.header('RateLimit-Remaining', String(limits.remaining));
    reply.header('RateLimit-Reset', String(limits.resetSeconds));
  });
}

/** Registers the one authentication hook for a REST scope; with `action`, the permission rule too. */
export function requireCaller(scope: FastifyInstance, authenticator: Authenticator, action?: Action): void {
  scope.addHook('onRequest', async (request, reply) => {
    request.caller = await authenticateHttp(authenticator, request, reply);
    if (action) authorize(request.caller, action);
  });
}

/** The request context of an authenticated REST request. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.caller) throw new Error('route registered without the authentication hook');
  return { requestId: request.id, caller: request.caller, origin: originOf(request) };
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import type { Caller, RequestContext } from '../context';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every authenticated route. */
    caller: Caller | null;
  }
}

/** Registers the one authentication hook for a REST scope. */
export function requireCaller(scope: FastifyInstance, authenticator: Authenticator): void {
  scope.addHook('onRequest', async (request, reply) => {
    request.caller = await authenticator.authenticateRequest(request, reply);
  });
}

/** The request context of an authenticated REST request. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.caller) throw new Error('route registered without the authentication hook');
  return { requestId: request.id, caller: request.caller };
}

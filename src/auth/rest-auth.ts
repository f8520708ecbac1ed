import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator } from './authenticator';
import { authorize } from './permissions';
import type { Action } from './permissions';
import type { Caller, RequestContext } from '../context';
import { originOf } from '../http/origin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every authenticated route. */
    caller: Caller | null;
  }
}

/** Registers the one authentication hook for a REST scope; with `action`, the permission rule too. */
export function requireCaller(scope: FastifyInstance, authenticator: Authenticator, action?: Action): void {
  scope.addHook('onRequest', async (request, reply) => {
    request.caller = await authenticator.authenticateRequest(request, reply);
    if (action) authorize(request.caller, action);
  });
}

/** The request context of an authenticated REST request. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.caller) throw new Error('route registered without the authentication hook');
  return { requestId: request.id, caller: request.caller, origin: originOf(request) };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, Origin, RequestContext } from '../context';
import { originOf } from '../http/origin';

/** Authenticates an HTTP request (app/ builds it from auth/rest-auth.ts, the same as REST's). */
export type AuthenticateRequest = (request: FastifyRequest, reply: FastifyReply) => Promise<Caller>;

/** What every resolver receives. Authentication runs only when an operation needs it. */
export interface GraphQLContext {
  readonly requestId: string;
  readonly request: FastifyRequest;
  /** Where the request came from, built once per request. */
  readonly origin: Origin;
  /** Authenticates the request once; later calls reuse the outcome. */
  authenticate(): Promise<Caller>;
}

export function graphQLContextFactory(authenticateRequest: AuthenticateRequest) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<GraphQLContext> => {
    let outcome: Promise<Caller> | undefined;
    return {
      requestId: request.id,
      request,
      origin: originOf(request),
      authenticate() {
        outcome ??= authenticateRequest(request, reply);
        return outcome;
      },
    };
  };
}

/** The service-level context of an authorized resolver call. */
export async function requestContext(ctx: GraphQLContext): Promise<RequestContext> {
  return { requestId: ctx.requestId, caller: await ctx.authenticate(), origin: ctx.origin };
}

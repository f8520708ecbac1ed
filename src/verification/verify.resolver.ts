import { isIP } from 'node:net';
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { invalidArgument } from '../errors';
import type { Action } from '../scopes';
import type { GraphQLContext } from '../graphql/context';
import { AccesskeyVerification } from './verify.types';
import type { VerifyService } from './verify.service';

/** GraphQL face of `VerifyService`. */
@Resolver()
export class VerifyResolver {
  constructor(private readonly service: VerifyService) {}

  // A mutation, not a query: a verification counts as a use of the key (and matches REST's POST).
  @Authorized<Action>('accesskeys:verify')
  @Mutation(() => AccesskeyVerification, {
    description: "Checks any customer's token for a service holding accesskeys:verify; counts as a use of the key.",
  })
  async verifyAccesskey(
    @Ctx() ctx: GraphQLContext,
    @Arg('token', () => String) token: string,
    @Arg('clientIp', () => String, { nullable: true, description: "The address the gateway's own caller came from; required for a key with an allowlist." })
    clientIp: string | null,
  ): Promise<AccesskeyVerification> {
    if (clientIp !== null && clientIp !== undefined && isIP(clientIp) === 0) throw invalidArgument('clientIp', 'must be an IPv4 or IPv6 address');
    const v = await this.service.verify(token, ctx.origin, clientIp ?? null);
    const limits = {
      rateLimit: v.rateLimit && { limit: v.rateLimit.limit, remaining: v.rateLimit.remaining, reset: v.rateLimit.resetSeconds },
      creditsRemaining: v.creditsRemaining,
      meta: v.meta,
    };
    return v.valid
      ? { valid: true, code: v.code, accesskeyId: v.accesskeyId, customerId: v.customerId, scopes: [...v.scopes], tmExpire: v.tmExpire, ...limits }
      : { valid: false, code: v.code, accesskeyId: null, customerId: null, scopes: null, tmExpire: null, ...limits };
  }
}

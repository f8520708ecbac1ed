import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
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
  async verifyAccesskey(@Ctx() ctx: GraphQLContext, @Arg('token', () => String) token: string): Promise<AccesskeyVerification> {
    const v = await this.service.verify(token, ctx.origin);
    return v.valid
      ? { valid: true, code: v.code, accesskeyId: v.accesskeyId, customerId: v.customerId, scopes: [...v.scopes], tmExpire: v.tmExpire }
      : { valid: false, code: v.code, accesskeyId: null, customerId: null, scopes: null, tmExpire: null };
  }
}

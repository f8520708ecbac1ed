import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { CallerKind, Me } from './me.types';
import { permissionNames } from '../agents/permission';
import { isAllowed, mayGrant, permissionOf } from './permissions';
import { ACTIONS, SCOPES } from '../scopes';

@Resolver(() => Me)
export class MeResolver {
  @Authorized()
  @Query(() => Me, { description: 'Who is calling: an access key or an agent, with its permissions.' })
  async me(@Ctx() ctx: GraphQLContext): Promise<Me> {
    const caller = await ctx.authenticate();
    const permission = permissionOf(caller);
    return {
      kind: caller.kind === 'agent' ? CallerKind.AGENT : CallerKind.ACCESSKEY,
      customerId: caller.customerId,
      agentId: caller.kind === 'agent' ? caller.agentId : null,
      username: caller.kind === 'agent' ? caller.username : null,
      accesskeyId: caller.kind === 'accesskey' ? caller.accesskeyId : null,
      permission,
      permissions: permissionNames(permission),
      grantableScopes: SCOPES.filter((scope) => mayGrant(caller, scope)),
      allowedActions: ACTIONS.filter((action) => isAllowed(caller, action)),
    };
  }
}

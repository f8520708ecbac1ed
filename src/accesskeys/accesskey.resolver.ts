import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isAllowed } from '../auth/permissions';
import type { Action } from '../scopes';
import type { GraphQLContext } from '../graphql/context';
import { requestContext } from '../graphql/context';
import { Accesskey, AccesskeyLeak } from '../keys/accesskey.entity';
import { AccesskeyFilter, CreateAccesskeyWithScopesInput, UpdateAccesskeyInput } from './accesskey.inputs';
import { DEFAULT_GRACE_SECONDS, MAX_GRACE_SECONDS } from './accesskey.service';
import type { AccesskeyService } from './accesskey.service';
import { AccesskeyConnection, CreateAccesskeyPayload, RotateAccesskeyPayload } from './accesskey.types';
import { parsePageRequest } from '../pagination';
import { connectionOf } from '../graphql/connection';
import type { Connection } from '../graphql/connection';
import { parsePolicyChange } from './accesskey-policy';

/** GraphQL face of `AccesskeyService`: parse, call one method, shape. */
@Resolver(() => Accesskey)
export class AccesskeyResolver {
  constructor(private readonly service: AccesskeyService) {}

  @Authorized<Action>('accesskeys:read')
  @Query(() => AccesskeyConnection, {
    description: "The caller's access keys, newest first: by default those not deleted (expired and disabled included). "
      + 'A cursor is valid for the same filter.',
  })
  async accesskeys(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => AccesskeyFilter, { nullable: true }) filter: AccesskeyFilter | null,
  ): Promise<Connection<Accesskey>> {
    const pageRequest = parsePageRequest({ size: first ?? undefined, token: after, fields: { size: 'first', token: 'after' } });
    const page = await this.service.list(await requestContext(ctx), pageRequest, {
      state: filter?.state ?? 'default',
      nameContains: filter?.nameContains ?? null,
      expiresBefore: filter?.expiresBefore ?? null,
      unusedSince: filter?.unusedSince ?? null,
    });
    return connectionOf(page.items, page.cursors, page.nextPageToken !== null);
  }

  @Authorized<Action>('accesskeys:read')
  @Query(() => Accesskey, { nullable: true })
  async accesskey(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Accesskey> {
    return this.service.get(await requestContext(ctx), id);
  }

  @Authorized<Action>('accesskeys:write')
  @Mutation(() => CreateAccesskeyPayload)
  async createAccesskey(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateAccesskeyWithScopesInput) input: CreateAccesskeyWithScopesInput,
  ): Promise<CreateAccesskeyPayload> {
    return this.service.create(await requestContext(ctx), { ...input, policy: parsePolicyChange(input) }, input.scopes);
  }

  @Authorized<Action>('accesskeys:write')
  @Mutation(() => Accesskey)
  async updateAccesskey(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateAccesskeyInput) input: UpdateAccesskeyInput,
  ): Promise<Accesskey> {
    return this.service.update(await requestContext(ctx), id, input);
  }

  @Authorized<Action>('accesskeys:write')
  @Mutation(() => Accesskey)
  async deleteAccesskey(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Accesskey> {
    return this.service.delete(await requestContext(ctx), id);
  }

  @Authorized<Action>('accesskeys:write')
  @Mutation(() => RotateAccesskeyPayload, {
    description: 'Replaces a key by a new one with the same name, detail and lifetime length (counted from now). '
      + 'The old key keeps working for gracePeriod seconds at most.',
  })
  async rotateAccesskey(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('gracePeriod', () => Int, {
      nullable: true,
      description: `Seconds the old key keeps working, 0 to ${MAX_GRACE_SECONDS}; default ${DEFAULT_GRACE_SECONDS}, 0 ends it at once.`,
    })
    gracePeriod: number | null,
  ): Promise<RotateAccesskeyPayload> {
    return this.service.rotate(await requestContext(ctx), id, gracePeriod);
  }

  @Authorized<Action>('accesskeys:write')
  @Mutation(() => Accesskey, { description: 'Stops a key from authenticating until it is enabled again.' })
  async disableAccesskey(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Accesskey> {
    return this.service.disable(await requestContext(ctx), id);
  }

  @Authorized<Action>('accesskeys:write')
  @Mutation(() => Accesskey, { description: 'Lets a disabled key authenticate again. A deleted key cannot be enabled.' })
  async enableAccesskey(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Accesskey> {
    return this.service.enable(await requestContext(ctx), id);
  }

  /** `canary`, told only to callers who may tell canaries apart (every answer holding a key comes through here). */
  @FieldResolver(() => Boolean)
  async canary(@Root() key: Accesskey, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return key.canary && isAllowed(await ctx.authenticate(), 'canaries:read');
  }

  /** `leak`, except a canary's to those who may not tell canaries apart: a reported canary stays enabled, and would stand out. */
  @FieldResolver(() => AccesskeyLeak, { nullable: true })
  async leak(@Root() key: Accesskey, @Ctx() ctx: GraphQLContext): Promise<AccesskeyLeak | null> {
    if (key.canary && !isAllowed(await ctx.authenticate(), 'canaries:read')) return null;
    return key.leak;
  }
}

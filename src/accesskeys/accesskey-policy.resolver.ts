import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import type { Action } from '../scopes';
import type { GraphQLContext } from '../graphql/context';
import { requestContext } from '../graphql/context';
import { DateTimeScalar } from '../graphql/scalars';
import { Accesskey } from '../keys/accesskey.entity';
import type { UsageInterval } from '../policy/usage.store';
import type { Instant } from '../time';
import { AccesskeyPolicyInput } from './accesskey-policy.inputs';
import type { AccesskeyPolicyService } from './accesskey-policy.service';

export enum UsageIntervalEnum {
  HOUR = 'HOUR',
  DAY = 'DAY',
}
registerEnumType(UsageIntervalEnum, { name: 'UsageInterval', description: 'UTC hours or UTC days.' });

@ObjectType('UsageBucket', { description: 'Uses counted in one interval, by outcome.' })
export class UsageBucket {
  @Field(() => DateTimeScalar)
  start!: Instant;

  @Field(() => Int)
  valid!: number;

  @Field(() => Int)
  rateLimited!: number;

  @Field(() => Int)
  usageExceeded!: number;

  @Field(() => Int)
  ipNotAllowed!: number;

  @Field(() => Int, { description: 'Uses while the key was disabled, expired or deleted.' })
  other!: number;
}

const USAGE_DESCRIPTION = 'Uses counted per interval from since (inclusive) to until (exclusive), every interval listed; at most 31 days of HOUR or 400 of DAY. '
  + 'Counts are written in batches (USAGE_FLUSH_SECONDS), so the latest may not show yet.';

/** GraphQL face of `AccesskeyPolicyService`: a key's usage policy and its usage. */
@Resolver(() => Accesskey)
export class AccesskeyPolicyResolver {
  constructor(private readonly service: AccesskeyPolicyService) {}

  @Authorized<Action>('accesskeys:write')
  @Mutation(() => Accesskey, { description: 'Sets or (with null) clears each part of a key\'s usage policy; parts left out stay. A key may not change its own.' })
  async setAccesskeyPolicy(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => AccesskeyPolicyInput) input: AccesskeyPolicyInput,
  ): Promise<Accesskey> {
    return this.service.set(await requestContext(ctx), id, input);
  }

  @Authorized<Action>('accesskeys:read')
  @Query(() => [UsageBucket], { description: `Uses of all the caller's keys. ${USAGE_DESCRIPTION}` })
  async usage(
    @Ctx() ctx: GraphQLContext,
    @Arg('since', () => DateTimeScalar) since: Instant,
    @Arg('until', () => DateTimeScalar) until: Instant,
    @Arg('interval', () => UsageIntervalEnum, { defaultValue: UsageIntervalEnum.HOUR }) interval: UsageInterval,
  ): Promise<UsageBucket[]> {
    const { caller } = await requestContext(ctx);
    return this.service.usage({ customerId: caller.customerId }, since, until, interval);
  }

  /** Reached only through a key the caller was allowed to read. */
  @FieldResolver(() => [UsageBucket], { name: 'usage', description: `Uses of this key. ${USAGE_DESCRIPTION}` })
  async keyUsage(
    @Root() key: Accesskey,
    @Arg('since', () => DateTimeScalar) since: Instant,
    @Arg('until', () => DateTimeScalar) until: Instant,
    @Arg('interval', () => UsageIntervalEnum, { defaultValue: UsageIntervalEnum.HOUR }) interval: UsageInterval,
  ): Promise<UsageBucket[]> {
    return this.service.usage({ keyId: key.id }, since, until, interval);
  }
}

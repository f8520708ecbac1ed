import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';
import type { Instant } from '../time';

/**
 * The usage policy a key may carry (issue 18): its shape, as stored on the
 * key's row and shown on `Accesskey`. Enforcement lives in `src/policy/`.
 */

/** How often credits are refilled (lazily, at the first use after the interval has passed). */
export const REFILL_INTERVALS = ['DAILY', 'MONTHLY'] as const;
export type RefillInterval = (typeof REFILL_INTERVALS)[number];

/** The enum `RefillInterval` of the schema, derived from the one list. */
export const RefillIntervalEnum = Object.fromEntries(REFILL_INTERVALS.map((i) => [i, i])) as { [K in RefillInterval]: K };
registerEnumType(RefillIntervalEnum, {
  name: 'RefillInterval',
  description: 'DAILY: one day after the last refill; MONTHLY: one calendar month after it (UTC).',
});

/** The largest `meta`, as UTF-8 JSON text. */
export const MAX_META_BYTES = 4096;

@ObjectType('RateLimit', { description: 'At most `limit` uses per window of `windowSeconds` (fixed windows aligned to the epoch).' })
export class RateLimit {
  @Field(() => Int)
  limit!: number;

  @Field(() => Int)
  windowSeconds!: number;
}

@ObjectType('CreditsRefill')
export class CreditsRefill {
  @Field(() => Int, { description: 'What `remaining` is set to at each refill.' })
  amount!: number;

  @Field(() => RefillIntervalEnum)
  interval!: RefillInterval;
}

@ObjectType('Credits', { description: 'Uses left; each use spends one, and a key with none left is refused (USAGE_EXCEEDED).' })
export class Credits {
  @Field(() => Int, { description: 'As last written; a refill that is due happens at the next use.' })
  remaining!: number;

  @Field(() => CreditsRefill, { nullable: true })
  refill!: CreditsRefill | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the credits were last refilled; null if never.' })
  tmLastRefill!: Instant | null;
}

/** A key's policy as authentication keeps it in memory (credits are never cached: they are counted in the database). */
export interface KeyPolicy {
  readonly rateLimit: RateLimit | null;
  /** Whether each use must spend a credit (one conditional UPDATE). */
  readonly hasCredits: boolean;
  /** `null`: any address. */
  readonly allowedCidrs: readonly string[] | null;
  readonly meta: Record<string, unknown> | null;
}

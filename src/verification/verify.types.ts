import { Field, ID, ObjectType } from 'type-graphql';
import { Int } from 'type-graphql';
import { DateTimeScalar, JSONObjectScalar } from '../graphql/scalars';
import type { Instant } from '../time';
import { VERIFICATION_CODES, listed } from './verify.codes';

@ObjectType('VerificationRateLimit', { description: "The key's rate-limit window after this use." })
export class VerificationRateLimit {
  @Field(() => Int)
  limit!: number;

  @Field(() => Int)
  remaining!: number;

  @Field(() => Int, { description: 'Seconds until the window resets.' })
  reset!: number;
}

/** The answer of `verifyAccesskey`: the key's identity when valid, otherwise only why not. */
@ObjectType('AccesskeyVerification')
export class AccesskeyVerification {
  @Field(() => Boolean)
  valid!: boolean;

  @Field(() => String, { description: `${listed(VERIFICATION_CODES)}.` })
  code!: string;

  @Field(() => ID, { nullable: true, description: 'Null unless valid.' })
  accesskeyId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Null unless valid.' })
  customerId!: string | null;

  @Field(() => [String], { nullable: true, description: 'Null unless valid.' })
  scopes!: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Null unless valid.' })
  tmExpire!: Instant | null;

  @Field(() => VerificationRateLimit, { nullable: true, description: 'Null unless the key has a rate limit and was counted against it.' })
  rateLimit!: VerificationRateLimit | null;

  @Field(() => Int, { nullable: true, description: 'Credits left after this use; null when the key has none.' })
  creditsRemaining!: number | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "The owner's free-form data on the key (null when none, or not usable)." })
  meta!: Record<string, unknown> | null;
}

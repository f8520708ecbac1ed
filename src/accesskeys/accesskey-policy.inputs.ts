import { Field, InputType, Int } from 'type-graphql';
import { JSONObjectScalar } from '../graphql/scalars';
import { RefillIntervalEnum } from '../keys/key-policy';
import type { RefillInterval } from '../keys/key-policy';

@InputType('RateLimitInput')
export class RateLimitInput {
  @Field(() => Int, { description: 'Uses allowed per window, 1 to 1,000,000,000.' })
  limit!: number;

  @Field(() => Int, { description: 'The window, 1 to 2,592,000 seconds (30 days).' })
  windowSeconds!: number;
}

@InputType('CreditsRefillInput')
export class CreditsRefillInput {
  @Field(() => Int, { description: 'What `remaining` is set to at each refill, at least 1.' })
  amount!: number;

  @Field(() => RefillIntervalEnum)
  interval!: RefillInterval;
}

@InputType('CreditsInput')
export class CreditsInput {
  @Field(() => Int, { description: 'Uses left, 0 or more; each use spends one.' })
  remaining!: number;

  @Field(() => CreditsRefillInput, { nullable: true, description: 'Absent or null: never refilled.' })
  refill?: CreditsRefillInput | null;
}

/** What `setAccesskeyPolicy` changes: a field left out stays as it is; `null` clears it. */
@InputType('AccesskeyPolicyInput', { description: 'A field left out stays as it is; null clears it.' })
export class AccesskeyPolicyInput {
  @Field(() => RateLimitInput, { nullable: true })
  rateLimit?: RateLimitInput | null;

  @Field(() => CreditsInput, { nullable: true, description: 'Setting credits also restarts the refill interval from now.' })
  credits?: CreditsInput | null;

  @Field(() => [String], { nullable: true, description: 'IPv4 and IPv6 CIDRs or plain addresses, at most 100; the key is refused from anywhere else (IP_NOT_ALLOWED).' })
  allowedCidrs?: string[] | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Free-form data (a JSON object of at most 4 KiB), returned by every verification.' })
  meta?: Record<string, unknown> | null;
}

import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';
import type { Instant } from '../time';
import { VERIFICATION_CODES, listed } from './verify.codes';

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
}

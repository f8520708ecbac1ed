import { Field, ObjectType } from 'type-graphql';
import { connectionType } from '../graphql/connection';
import { Accesskey } from '../keys/accesskey.entity';

export const AccesskeyConnection = connectionType(Accesskey, { connection: 'AccesskeyConnection', edge: 'AccesskeyEdge', pageInfo: 'PageInfo' });

/** The one response that carries a secret: the token, shown this once. */
@ObjectType()
export class CreateAccesskeyPayload {
  @Field(() => Accesskey)
  accesskey!: Accesskey;

  @Field(() => String, { description: 'The full token. It is shown only here and cannot be retrieved again.' })
  token!: string;
}

/** A rotation's answer: the new key and its token (shown this once), and the old key with its shortened expiry. */
@ObjectType()
export class RotateAccesskeyPayload {
  @Field(() => Accesskey, { description: 'The new key.' })
  accesskey!: Accesskey;

  @Field(() => String, { description: 'The new key\'s full token. It is shown only here and cannot be retrieved again.' })
  token!: string;

  @Field(() => Accesskey, { description: 'The old key; it works until its tmExpire (the end of the grace period at the latest).' })
  previous!: Accesskey;
}

import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ACTIONS } from '../scopes';

export enum CallerKind {
  ACCESSKEY = 'ACCESSKEY',
  AGENT = 'AGENT',
}
registerEnumType(CallerKind, { name: 'CallerKind', description: 'How the caller authenticated.' });

/** Who is calling. */
@ObjectType()
export class Me {
  @Field(() => CallerKind)
  kind!: CallerKind;

  @Field(() => ID)
  customerId!: string;

  @Field(() => ID, { nullable: true, description: 'Set when the caller is an agent (session token).' })
  agentId!: string | null;

  @Field(() => String, { nullable: true })
  username!: string | null;

  @Field(() => ID, { nullable: true, description: 'Set when the caller is an access key.' })
  accesskeyId!: string | null;

  @Field(() => Int, { description: 'Permission bit flags (an access key acts as customer admin, 0x0020).' })
  permission!: number;

  @Field(() => [String], { description: 'Names of the permission bits, e.g. CUSTOMER_ADMIN.' })
  permissions!: string[];

  @Field(() => [String], { description: 'The scopes this caller may give a new key (only those it holds; accesskeys:verify only a super admin agent).' })
  grantableScopes!: string[];

  @Field(() => [String], { description: `Every action this caller may take, among ${ACTIONS.join(', ')} (what a frontend offers).` })
  allowedActions!: string[];
}

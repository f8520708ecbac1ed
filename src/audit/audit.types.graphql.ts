import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../graphql/connection';
import { DateTimeScalar, JSONObjectScalar } from '../graphql/scalars';
import type { Instant } from '../time';
import { AUDIT_ACTIONS } from './audit.types';

@ObjectType({ description: 'Who did it. Credentials appear only as their SHA-256 hex.' })
export class AuditActorType {
  @Field(() => String, { description: 'agent, accesskey, cli or system.' })
  kind!: string;

  @Field(() => ID, { nullable: true, description: "The agent's or key's id." })
  id!: string | null;

  @Field(() => String, { nullable: true, description: "An agent's username, a key's display prefix, the operator's OS user, or the part of the server that acted." })
  name!: string | null;

  @Field(() => String, { nullable: true, description: "SHA-256 hex of the credential used: a key's token hash, or a session token's hash." })
  tokenHash!: string | null;
}

@ObjectType('AuditEvent', { description: 'One entry of the tamper-evident audit trail.' })
export class AuditEventType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "Position in the customer's chain, from 1." })
  seq!: number;

  @Field(() => DateTimeScalar)
  time!: Instant;

  @Field(() => String)
  action!: string;

  @Field(() => ID, { nullable: true, description: 'The key or agent acted on.' })
  targetId!: string | null;

  @Field(() => AuditActorType)
  actor!: AuditActorType;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => String, { nullable: true })
  clientAddress!: string | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The changed fields as they were.' })
  before!: Record<string, unknown> | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The changed fields as they are now.' })
  after!: Record<string, unknown> | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "What else the action has on record (a leak's URL, a canary's route)." })
  detail!: Record<string, unknown> | null;

  @Field(() => String, { description: 'SHA-256 of the previous hash and this event (hex).' })
  hash!: string;

  @Field(() => String, { description: "The previous event's hash (64 zeros for the first)." })
  prevHash!: string;
}

export const AuditEventConnection = connectionType(AuditEventType, { connection: 'AuditEventConnection', edge: 'AuditEventEdge', pageInfo: 'AuditPageInfo' });

@InputType()
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: `One of: ${AUDIT_ACTIONS.join(', ')}.` })
  action?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events about this key or agent.' })
  targetId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only events done with this credential (SHA-256 hex, e.g. a key\'s token hash as a leak report gives it).' })
  actorTokenHash?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only events at or after this time.' })
  since?: Instant | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only events strictly before this time.' })
  until?: Instant | null;
}

@ObjectType({ description: "The verdict on the caller's customer's audit chain, recomputed from its checkpoint." })
export class AuditChainVerdict {
  @Field(() => Boolean, { description: 'Every event links to the one before it and the chain ends at its recorded head.' })
  ok!: boolean;

  @Field(() => Int, { nullable: true, description: 'How many events were checked (from the retention checkpoint on); null when broken.' })
  events!: number | null;

  @Field(() => Int, { nullable: true, description: 'Where the first broken link was found; null when ok.' })
  brokenAtSeq!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the link is broken; null when ok.' })
  reason!: string | null;
}

import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * The declared schema of the audit trail's tables (migrations create them;
 * test/schema.test.ts holds the two equal). Queries go through audit.store.ts,
 * which has its own row type: these classes are never instantiated. Not
 * declarable here: the triggers that keep `audit_events` append-only.
 */

/** The head of each customer's hash chain, and the checkpoint retention pruning leaves it verifiable from. */
@Entity({ name: 'audit_chains' })
export class AuditChainTable {
  @PrimaryColumn({ type: 'text' })
  chain!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'head_hash', type: 'char', length: 64 })
  headHash!: string;

  /** The head event's `prev_hash` (what the one-statement append returns as its event's link); null until a chain's next event when all were pruned. */
  @Column({ name: 'prev_hash', type: 'char', length: 64, nullable: true })
  prevHash!: string | null;

  @Column({ name: 'checkpoint_seq', type: 'bigint', default: 0 })
  checkpointSeq!: string;

  @Column({ name: 'checkpoint_hash', type: 'char', length: 64 })
  checkpointHash!: string;
}

@Entity({ name: 'audit_events' })
@Unique('ux_audit_events_chain_seq', ['chain', 'seq'])
@Index('ix_audit_events_target', ['chain', 'targetId', 'seq'], { where: 'target_id IS NOT NULL' })
@Index('ix_audit_events_actor_token', ['chain', 'actorTokenHash', 'seq'], { where: 'actor_token_hash IS NOT NULL' })
@Index('ix_audit_events_tm', ['tm'])
@Check('audit_events_actor_kind_check', "actor_kind IN ('agent', 'accesskey', 'cli', 'system')")
export class AuditEventTable {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  chain!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  tm!: Date;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId!: string | null;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_name', type: 'text', nullable: true })
  actorName!: string | null;

  @Column({ name: 'actor_token_hash', type: 'char', length: 64, nullable: true })
  actorTokenHash!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_id', type: 'uuid', nullable: true })
  targetId!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'client_address', type: 'text', nullable: true })
  clientAddress!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  detail!: unknown;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}

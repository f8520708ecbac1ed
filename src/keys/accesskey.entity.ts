import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { DateTimeScalar } from '../graphql/scalars';
import type { Instant } from '../time';
import { DEFAULT_SCOPES } from '../scopes';
import type { Scope } from '../scopes';

/**
 * The latest report that a key's token was found in public (a secret-scanning partner's leak report).
 * Its columns are embedded in `accesskeys`, all null until a report arrives.
 */
@ObjectType('AccesskeyLeak', { description: "The latest report that the key's token was found in public (secret scanning)." })
export class AccesskeyLeak {
  @Field(() => DateTimeScalar, { description: 'When the report arrived.' })
  @Column({ name: 'tm_leak_reported', type: 'timestamptz', nullable: true })
  tmReported!: Instant;

  @Field(() => String, { description: 'Where the token was found, as the reporter gave it.' })
  @Column({ name: 'leak_url', type: 'text', nullable: true })
  url!: string;

  @Field(() => String, { nullable: true, description: 'What kind of place it was found in (e.g. content, commit, issue_comment), as the reporter gave it.' })
  @Column({ name: 'leak_source', type: 'text', nullable: true })
  source!: string | null;
}

/**
 * A long-lived API key. Only the SHA-256 of the token and its first 11
 * characters are stored; the token itself exists only in the create response.
 */
@ObjectType('Accesskey', { description: 'An API access key. The token itself is never shown here.' })
@Entity({ name: 'accesskeys' })
// Newest first per customer, keyset-paginated on (tm_create DESC, id DESC): live keys, and every key (accesskey.store.ts).
@Index('ix_accesskeys_customer_live_newest', ['customerId', 'tmCreate', 'id'], { where: 'tm_delete IS NULL' })
@Index('ix_accesskeys_customer_newest', ['customerId', 'tmCreate', 'id'])
@Check('ck_accesskeys_scopes', "scopes <@ ARRAY['accesskeys:read', 'accesskeys:write', 'accesskeys:verify']::text[]")
export class Accesskey {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Field(() => ID)
  @Column({ name: 'customer_id', type: 'uuid' })
  @ForeignKey(() => Customer, { name: 'accesskeys_customer_id_fkey', onDelete: 'RESTRICT' })
  customerId!: string;

  @Field(() => String)
  @Column({ type: 'varchar', length: 255, default: '' })
  name!: string;

  @Field(() => String)
  @Column({ type: 'text', default: '' })
  detail!: string;

  /** Lowercase hex SHA-256 of the full token. Never exposed. */
  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash!: string;

  @Field(() => String, { description: 'The first 11 characters of the token (vb_ + 8), to tell keys apart.' })
  @Column({ name: 'token_prefix', type: 'varchar', length: 16 })
  tokenPrefix!: string;

  @Field(() => DateTimeScalar)
  @Column({ name: 'tm_expire', type: 'timestamptz' })
  tmExpire!: Instant;

  @Field(() => DateTimeScalar)
  @Column({ name: 'tm_create', type: 'timestamptz' })
  tmCreate!: Instant;

  @Field(() => DateTimeScalar)
  @Column({ name: 'tm_update', type: 'timestamptz' })
  tmUpdate!: Instant;

  /** `null` while the key is live. */
  @Field(() => DateTimeScalar, { nullable: true, description: 'Null while the key is live.' })
  @Column({ name: 'tm_delete', type: 'timestamptz', nullable: true })
  tmDelete!: Instant | null;

  /** `null` while the key is enabled; a disabled key authenticates nowhere until enabled again. */
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the key was disabled; null while it is enabled.' })
  @Column({ name: 'tm_disable', type: 'timestamptz', nullable: true })
  tmDisable!: Instant | null;

  /** The key this one replaced by rotation. */
  @Field(() => ID, { nullable: true, description: 'The key this one was rotated from; null unless it was created by rotation.' })
  @Column({ name: 'rotated_from_id', type: 'uuid', nullable: true })
  @ForeignKey(() => Accesskey, { name: 'accesskeys_rotated_from_id_fkey' })
  rotatedFromId!: string | null;

  /** Written in batches (see usage.ts), so it may lag the true last use by up to a minute. */
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the key last authenticated, accurate to within a minute; null if never.',
  })
  @Column({ name: 'tm_last_used', type: 'timestamptz', nullable: true })
  tmLastUsed!: Instant | null;

  /** What the key may do, from the closed set in `scopes.ts`, in canonical order. */
  @Field(() => [String], { description: 'What the key may do: accesskeys:read, accesskeys:write, accesskeys:verify.' })
  @Column({ type: 'text', array: true, default: DEFAULT_SCOPES })
  scopes!: Scope[];

  /** Stored in `tm_leak_reported`, `leak_url`, `leak_source`; `null` until a leak is reported. Resolved in accesskey.resolver.ts (a canary's is hidden from keys). */
  @Field(() => AccesskeyLeak, {
    nullable: true,
    description:
      "The latest report that the key's token was found in public, which may be why the key was disabled or deleted; null if none. " +
      "An access key caller sees null on canary keys (a reported canary stays enabled, and must not stand out).",
  })
  @Column(() => AccesskeyLeak, { prefix: false })
  leak!: AccesskeyLeak | null;
  /** A canary never authorizes anything: it is refused like an unknown token, and each use is recorded (auth/canary.ts). Resolved in accesskey.resolver.ts. */
  @Field(() => Boolean, {
    description:
      'A canary key never authorizes anything; each use of its token is refused like an unknown token and recorded (accesskey.canary_used). ' +
      'Only agents (customer admins, super admins) are told: for an access key caller it is false on every key, so a leaked key cannot tell the canaries apart.',
  })
  @Column({ type: 'boolean', default: false })
  canary!: boolean;
}

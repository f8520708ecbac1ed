import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { DateTimeScalar, JSONObjectScalar } from '../graphql/scalars';
import { Credits, RateLimit } from './key-policy';
import type { KeyPolicy, RefillInterval } from './key-policy';
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
// One successor per key (migration 1766150000000): concurrent rotations cannot both make one.
@Index('ux_accesskeys_rotated_from', ['rotatedFromId'], { unique: true, where: 'rotated_from_id IS NOT NULL' })
// The expiry reminders' scan (webhooks/reminder.store.ts).
@Index('ix_accesskeys_live_expire', ['tmExpire'], { where: 'tm_delete IS NULL AND tm_disable IS NULL AND NOT canary' })
@Check('ck_accesskeys_rate_limit', '(rate_limit_limit IS NULL) = (rate_limit_window IS NULL) AND (rate_limit_limit IS NULL OR (rate_limit_limit > 0 AND rate_limit_window > 0))')
@Check('ck_accesskeys_credits', 'credits_remaining IS NULL OR credits_remaining >= 0')
@Check(
  'ck_accesskeys_refill',
  "(credits_refill_amount IS NULL) = (credits_refill_interval IS NULL) AND (credits_refill_interval IS NULL OR (credits_remaining IS NOT NULL AND credits_refill_amount > 0 AND credits_refill_interval IN ('DAILY', 'MONTHLY')))",
)
@Check('ck_accesskeys_meta', "meta IS NULL OR (jsonb_typeof(meta) = 'object' AND octet_length(meta::text) <= 4096)")
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

  /** The usage policy (issue 18), column by column; `rateLimit` and `credits` below show them composed. */
  @Column({ name: 'rate_limit_limit', type: 'integer', nullable: true })
  rateLimitLimit!: number | null;

  @Column({ name: 'rate_limit_window', type: 'integer', nullable: true })
  rateLimitWindow!: number | null;

  @Column({ name: 'credits_remaining', type: 'integer', nullable: true })
  creditsRemaining!: number | null;

  @Column({ name: 'credits_refill_amount', type: 'integer', nullable: true })
  creditsRefillAmount!: number | null;

  @Column({ name: 'credits_refill_interval', type: 'varchar', length: 16, nullable: true })
  creditsRefillInterval!: RefillInterval | null;

  @Column({ name: 'tm_last_refill', type: 'timestamptz', nullable: true })
  tmLastRefill!: Instant | null;

  @Field(() => [String], { nullable: true, description: 'The addresses (CIDRs) the key may be used from; null: anywhere.' })
  @Column({ name: 'allowed_cidrs', type: 'text', array: true, nullable: true })
  allowedCidrs!: string[] | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "The owner's free-form data (at most 4 KiB), returned by every verification of the key." })
  @Column({ type: 'jsonb', nullable: true })
  meta!: Record<string, unknown> | null;

  @Field(() => RateLimit, { nullable: true, description: 'Null: no rate limit.' })
  get rateLimit(): RateLimit | null {
    return this.rateLimitLimit !== null && this.rateLimitWindow !== null ? { limit: this.rateLimitLimit, windowSeconds: this.rateLimitWindow } : null;
  }

  @Field(() => Credits, { nullable: true, description: 'Null: unlimited uses.' })
  get credits(): Credits | null {
    if (this.creditsRemaining === null) return null;
    const refill = this.creditsRefillAmount !== null && this.creditsRefillInterval !== null ? { amount: this.creditsRefillAmount, interval: this.creditsRefillInterval } : null;
    return { remaining: this.creditsRemaining, refill, tmLastRefill: this.tmLastRefill };
  }

  /** What authentication keeps of the policy; `null` for a key without any (the common case). */
  get policy(): KeyPolicy | null {
    const rateLimit = this.rateLimit;
    if (!rateLimit && this.creditsRemaining === null && this.allowedCidrs === null && this.meta === null) return null;
    return { rateLimit, hasCredits: this.creditsRemaining !== null, allowedCidrs: this.allowedCidrs, meta: this.meta };
  }
}

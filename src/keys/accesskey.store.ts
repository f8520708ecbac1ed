import { notifyInvalidationSql } from '../db/invalidation';
import type { Queryable } from '../db/sql';
import type { Instant } from '../time';
import { Accesskey } from './accesskey.entity';
import type { KeyFilter, KeyListState } from './accesskey.filter';
import { likeLiteral } from './accesskey.filter';
import type { PageRequest } from '../pagination';
import type { LeakPolicy } from './leak-policy';
import type { Scope } from '../scopes';
import type { RateLimit, RefillInterval } from './key-policy';

/**
 * The one home of every SQL statement about `accesskeys`: one row type, one
 * mapper, and the one rule for which key may authenticate. Hot statements are
 * named, so with named statements on they are parsed once per connection.
 */

/** A row of `accesskeys`, as `pg` returns it. */
export interface AccesskeyRow {
  id: string;
  customer_id: string;
  name: string;
  detail: string;
  token_hash: string;
  token_prefix: string;
  tm_expire: Instant;
  tm_create: Instant;
  tm_update: Instant;
  tm_delete: Instant | null;
  tm_disable: Instant | null;
  rotated_from_id: string | null;
  tm_last_used: Instant | null;
  scopes: Scope[];
  tm_leak_reported: Instant | null;
  leak_url: string | null;
  leak_source: string | null;
  canary: boolean;
  rate_limit_limit: number | null;
  rate_limit_window: number | null;
  credits_remaining: number | null;
  credits_refill_amount: number | null;
  credits_refill_interval: RefillInterval | null;
  tm_last_refill: Instant | null;
  allowed_cidrs: string[] | null;
  meta: Record<string, unknown> | null;
}

/** The usage policy's columns (issue 18), written at creation, copied by a rotation, replaced by `setPolicy`. */
const POLICY_COLUMN_NAMES = [
  'rate_limit_limit', 'rate_limit_window', 'credits_remaining', 'credits_refill_amount', 'credits_refill_interval', 'tm_last_refill', 'allowed_cidrs', 'meta',
] as const;
const POLICY_COLUMNS = POLICY_COLUMN_NAMES.join(', ');

/** The columns a new key is written with (its last use and leak report start as null). */
const WRITE_COLUMN_NAMES = [
  'id', 'customer_id', 'name', 'detail', 'token_hash', 'token_prefix',
  'tm_expire', 'tm_create', 'tm_update', 'tm_delete', 'tm_disable', 'rotated_from_id', 'scopes', 'canary',
  ...POLICY_COLUMN_NAMES,
] as const;
const WRITE_COLUMNS = WRITE_COLUMN_NAMES.join(', ');
const COLUMN_NAMES = [...WRITE_COLUMN_NAMES, 'tm_last_used', 'tm_leak_reported', 'leak_url', 'leak_source'] as const;
const COLUMNS = COLUMN_NAMES.join(', ');
/** The columns of table alias `alias` (for statements that join `accesskeys` with itself). */
const columnsOf = (alias: string): string => COLUMN_NAMES.map((c) => `${alias}.${c}`).join(', ');

/** The one mapper from a row to the domain object. */
export function fromRow(row: AccesskeyRow): Accesskey {
  return Object.assign(new Accesskey(), {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    detail: row.detail,
    tokenHash: row.token_hash,
    tokenPrefix: row.token_prefix,
    tmExpire: row.tm_expire,
    tmCreate: row.tm_create,
    tmUpdate: row.tm_update,
    tmDelete: row.tm_delete,
    tmDisable: row.tm_disable,
    rotatedFromId: row.rotated_from_id,
    tmLastUsed: row.tm_last_used ?? null,
    scopes: row.scopes,
    leak: row.tm_leak_reported ? { tmReported: row.tm_leak_reported, url: row.leak_url ?? '', source: row.leak_source } : null,
    canary: row.canary,
    rateLimitLimit: row.rate_limit_limit ?? null,
    rateLimitWindow: row.rate_limit_window ?? null,
    creditsRemaining: row.credits_remaining ?? null,
    creditsRefillAmount: row.credits_refill_amount ?? null,
    creditsRefillInterval: row.credits_refill_interval ?? null,
    tmLastRefill: row.tm_last_refill ?? null,
    allowedCidrs: row.allowed_cidrs ?? null,
    meta: row.meta ?? null,
  });
}

/** Why a key may not authenticate, or `usable`. */
export type KeyState = 'usable' | 'deleted' | 'disabled' | 'expired';

/** The one rule for which key may authenticate: not deleted, not disabled, not yet expired. */
export function keyState(key: Pick<Accesskey, 'tmDelete' | 'tmDisable' | 'tmExpire'>, now: Instant): KeyState {
  if (key.tmDelete !== null) return 'deleted';
  if (key.tmDisable !== null) return 'disabled';
  if (!now.isBefore(key.tmExpire)) return 'expired';
  return 'usable';
}

/** Every change that can stop a token also tells the other replicas (delivered when the change commits). */
const notify = (tokenHash: string): string => `${notifyInvalidationSql('key', tokenHash)} AS notified`;
const NOTIFY = notify('token_hash');

/** The two keys a rotation leaves: the new one, and the old one with its expiry brought forward. */
export interface RotatedRows {
  readonly created: Accesskey;
  readonly previous: Accesskey;
}

/** What a rotation writes besides what it copies from the old key. */
export interface Rotation {
  readonly id: string;
  readonly tokenHash: string;
  readonly tokenPrefix: string;
  readonly now: Instant;
  /** The old key's expiry becomes the earlier of its own and this. */
  readonly previousExpiresBy: Instant;
  /** Latest expiry the new key may get (`null`: no cap); the seam for a lifetime policy. */
  readonly maxExpire: Instant | null;
}

/** The condition of each list state; `$now` stands for the statement's current-time parameter. */
const STATE_CONDITIONS: Record<KeyListState, string> = {
  default: 'tm_delete IS NULL',
  live: 'tm_delete IS NULL AND tm_disable IS NULL AND tm_expire > $now',
  expired: 'tm_delete IS NULL AND tm_expire <= $now',
  disabled: 'tm_delete IS NULL AND tm_disable IS NOT NULL',
  deleted: 'tm_delete IS NOT NULL',
  all: 'TRUE',
};

/** A leak report as stored on the key (the latest one wins). */
export interface LeakRecord {
  readonly at: Instant;
  readonly url: string;
  readonly source: string | null;
}

/** What each leak policy does to the key besides recording the report, and whether that changed it. */
const LEAK_POLICY_SQL: Record<LeakPolicy, { readonly set: string; readonly changed: string; readonly notify: string }> = {
  disable: {
    set: ', tm_disable = COALESCE(a.tm_disable, $2), tm_update = CASE WHEN a.tm_disable IS NULL THEN $2 ELSE a.tm_update END',
    changed: 'was.tm_disable IS NULL',
    notify: `, ${notify('a.token_hash')}`,
  },
  revoke: { set: ', tm_delete = $2, tm_update = $2', changed: 'TRUE', notify: `, ${notify('a.token_hash')}` },
  notify: { set: '', changed: 'FALSE', notify: '' },
};

/** One recorded use of a key, for `writeLastUsed`. */
export interface KeyUse {
  readonly id: string;
  readonly at: Instant;
}

/** The policy columns' values of a key, in `POLICY_COLUMN_NAMES` order (`meta` as JSON text). */
function policyValues(key: PolicyColumns): unknown[] {
  return [
    key.rateLimitLimit, key.rateLimitWindow, key.creditsRemaining, key.creditsRefillAmount, key.creditsRefillInterval, key.tmLastRefill,
    key.allowedCidrs, key.meta === null ? null : JSON.stringify(key.meta),
  ];
}

/** The usage policy's columns of a key. */
export type PolicyColumns = Pick<
  Accesskey,
  'rateLimitLimit' | 'rateLimitWindow' | 'creditsRemaining' | 'creditsRefillAmount' | 'creditsRefillInterval' | 'tmLastRefill' | 'allowedCidrs' | 'meta'
>;

/** A change of usage policy: each part given replaces the key's, `null` clears it, a part left out stays. */
export interface PolicyChange {
  readonly rateLimit?: RateLimit | null;
  readonly credits?: { readonly remaining: number; readonly refill: { readonly amount: number; readonly interval: RefillInterval } | null } | null;
  readonly allowedCidrs?: string[] | null;
  readonly meta?: Record<string, unknown> | null;
}

/** The policy columns of a new key given `change` (its refill interval counts from the key's creation). */
export function policyColumnsOf(change: PolicyChange | null | undefined): PolicyColumns {
  const credits = change?.credits ?? null;
  return {
    rateLimitLimit: change?.rateLimit?.limit ?? null,
    rateLimitWindow: change?.rateLimit?.windowSeconds ?? null,
    creditsRemaining: credits?.remaining ?? null,
    creditsRefillAmount: credits?.refill?.amount ?? null,
    creditsRefillInterval: credits?.refill?.interval ?? null,
    tmLastRefill: null,
    allowedCidrs: change?.allowedCidrs ?? null,
    meta: change?.meta ?? null,
  };
}

/** What spending one credit found: spent (with what is left), none left, or a key without credits. */
export type CreditSpend = { readonly outcome: 'spent'; readonly remaining: number } | { readonly outcome: 'exhausted' } | { readonly outcome: 'unlimited' };

/** A refill is due when its interval has passed since the last one (or since the key was made). */
const REFILL_DUE = `(credits_refill_interval IS NOT NULL AND $2::timestamptz >= COALESCE(tm_last_refill, tm_create)
  + CASE credits_refill_interval WHEN 'DAILY' THEN interval '1 day' ELSE interval '1 month' END)`;

export class AccesskeyStore {
  constructor(private readonly db: Queryable) {}

  /** The key a token hash belongs to, whatever its state (authentication decides with `keyState`). */
  async findByTokenHash(tokenHash: string): Promise<Accesskey | null> {
    const rows = await this.db.query<AccesskeyRow>('ak_by_hash', `SELECT ${COLUMNS} FROM accesskeys WHERE token_hash = $1`, [tokenHash]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** The keys these token hashes belong to, whatever their state; unknown hashes are left out. */
  async findByTokenHashes(tokenHashes: readonly string[]): Promise<Accesskey[]> {
    if (tokenHashes.length === 0) return [];
    const rows = await this.db.query<AccesskeyRow>('ak_by_hashes', `SELECT ${COLUMNS} FROM accesskeys WHERE token_hash = ANY($1::bpchar[])`, [tokenHashes]);
    return rows.map(fromRow);
  }

  /**
   * Records a leak report on a key that is not deleted and applies `policy`
   * (disable: disabled unless it already is; revoke: soft-deleted; notify:
   * nothing more), telling every replica when the key stops. `changed` says
   * whether the policy changed the key's state. `null` when no key that is not
   * deleted has this id.
   */
  async recordLeak(id: string, leak: LeakRecord, policy: LeakPolicy, db: Queryable = this.db): Promise<{ key: Accesskey; changed: boolean } | null> {
    const sql = LEAK_POLICY_SQL[policy];
    const rows = await db.query<AccesskeyRow & { changed: boolean }>(
      `ak_leak_${policy}`,
      `UPDATE accesskeys a SET tm_leak_reported = $2, leak_url = $3, leak_source = $4${sql.set}
         FROM accesskeys was
        WHERE a.id = $1 AND a.tm_delete IS NULL AND was.id = a.id
        RETURNING ${columnsOf('a')}, ${sql.changed} AS changed${sql.notify}`,
      [id, leak.at, leak.url, leak.source],
    );
    return rows[0] ? { key: fromRow(rows[0]), changed: rows[0].changed } : null;
  }

  /** Any customer's key by id, whatever its state (operator commands). */
  async findById(id: string): Promise<Accesskey | null> {
    const rows = await this.db.query<AccesskeyRow>('ak_by_key_id', `SELECT ${COLUMNS} FROM accesskeys WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** One of a customer's keys, whatever its state; another customer's key is `null`. */
  async findForCustomer(customerId: string, id: string): Promise<Accesskey | null> {
    const rows = await this.db.query<AccesskeyRow>(
      'ak_by_id',
      `SELECT ${COLUMNS} FROM accesskeys WHERE id = $1 AND customer_id = $2`,
      [id, customerId],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Locks one of a customer's keys for the rest of `tx` (a rotation's first
   * step: a concurrent rotation of the same key waits here until this one
   * commits, then sees its successor); `null` when the customer has no such key.
   */
  async lockForCustomer(customerId: string, id: string, tx: Queryable): Promise<Accesskey | null> {
    const rows = await tx.query<AccesskeyRow>(
      'ak_lock_by_id',
      `SELECT ${COLUMNS} FROM accesskeys WHERE id = $1 AND customer_id = $2 FOR UPDATE`,
      [id, customerId],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * The id of the key rotated from this one, if any (at most one:
   * `ux_accesskeys_rotated_from`). Run as its own statement after
   * `lockForCustomer`, so it sees a successor committed while the lock was awaited.
   */
  async successorOf(id: string, db: Queryable = this.db): Promise<string | null> {
    const rows = await db.query<{ id: string }>('ak_successor', 'SELECT id FROM accesskeys WHERE rotated_from_id = $1', [id]);
    return rows[0]?.id ?? null;
  }

  /**
   * A customer's keys matching `filter`, newest first, keyset-paginated on
   * (tm_create, id); one more row than asked for tells whether a next page exists.
   * The states that exclude deleted keys are served by the partial
   * `ix_accesskeys_customer_live_newest`, `deleted` and `all` by
   * `ix_accesskeys_customer_newest`. Every value is a parameter; the statement's
   * name is derived from its shape (which conditions are present), so one name
   * always means one SQL text.
   */
  async list(customerId: string, filter: KeyFilter, page: PageRequest, now: Instant): Promise<Accesskey[]> {
    const values: unknown[] = [customerId];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    const where = ['customer_id = $1'];
    const shape: string[] = [filter.state];
    const state = STATE_CONDITIONS[filter.state];
    if (state.includes('$now')) where.push(state.replace('$now', `${param(now.toISOString())}::timestamptz`));
    else if (filter.state !== 'all') where.push(state);
    if (filter.nameContains !== null) {
      shape.push('n');
      where.push(`name ILIKE '%' || ${param(likeLiteral(filter.nameContains))} || '%' ESCAPE '\\'`);
    }
    if (filter.expiresBefore !== null) {
      shape.push('e');
      where.push(`tm_expire < ${param(filter.expiresBefore.toISOString())}::timestamptz`);
    }
    if (filter.unusedSince !== null) {
      shape.push('u');
      where.push(`(tm_last_used IS NULL OR tm_last_used < ${param(filter.unusedSince.toISOString())}::timestamptz)`);
    }
    const { after } = page;
    if (after?.id) {
      shape.push('a');
      where.push(`(tm_create, id) < (${param(after.tmCreate.toISOString())}::timestamptz, ${param(after.id)}::uuid)`);
    } else if (after) {
      shape.push('b');
      where.push(`tm_create < ${param(after.tmCreate.toISOString())}::timestamptz`);
    }
    const limit = param(page.size + 1);
    const rows = await this.db.query<AccesskeyRow>(
      `ak_list_${shape.join('_')}`,
      `SELECT ${COLUMNS} FROM accesskeys WHERE ${where.join(' AND ')} ORDER BY tm_create DESC, id DESC LIMIT ${limit}`,
      values,
    );
    return rows.map(fromRow);
  }

  /**
   * Records last uses in one statement. A value never moves backwards (a
   * replica's older report loses to a newer one already written).
   */
  async writeLastUsed(uses: readonly KeyUse[]): Promise<void> {
    await this.db.query(
      'ak_write_last_used',
      `UPDATE accesskeys a SET tm_last_used = v.t
         FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, t)
        WHERE a.id = v.id AND (a.tm_last_used IS NULL OR a.tm_last_used < v.t)`,
      [uses.map((u) => u.id), uses.map((u) => u.at.toISOString())],
    );
  }

  async insert(key: Accesskey, db: Queryable = this.db): Promise<void> {
    await db.query(
      'ak_insert',
      `INSERT INTO accesskeys (${WRITE_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14, $15, $16, $17, $18, $19, $20, $21::text[], $22::jsonb)`,
      [
        key.id, key.customerId, key.name, key.detail, key.tokenHash, key.tokenPrefix,
        key.tmExpire, key.tmCreate, key.tmUpdate, key.tmDelete, key.tmDisable, key.rotatedFromId, key.scopes, key.canary,
        ...policyValues(key),
      ],
    );
  }

  /**
   * Replaces name and detail of a live key of the customer, as the change of
   * a statement that also records it (`AuditLog.recordInline`): no row when
   * no live key of the customer has this id, else the key after the change,
   * plus `was_name` and `was_detail` (the self-join `was` sees the row as it
   * was before the update).
   */
  static updateTextChange(customerId: string, id: string, name: string, detail: string, now: Instant): { sql: string; values: unknown[] } {
    return {
      sql: `UPDATE accesskeys a SET name = $3, detail = $4, tm_update = $5
              FROM accesskeys was
             WHERE a.id = $1 AND a.customer_id = $2 AND a.tm_delete IS NULL AND was.id = a.id
             RETURNING ${columnsOf('a')}, was.name AS was_name, was.detail AS was_detail`,
      values: [id, customerId, name, detail, now],
    };
  }

  /**
   * Soft-deletes a live key and tells every replica, as the change of a
   * statement that also records it (`AuditLog.recordInline`): no row when no
   * live key of the customer has this id.
   */
  static softDeleteChange(customerId: string, id: string, now: Instant): { sql: string; values: unknown[] } {
    return {
      sql: `UPDATE accesskeys SET tm_delete = $3, tm_update = $3
             WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL RETURNING ${COLUMNS}, ${NOTIFY}`,
      values: [id, customerId, now],
    };
  }

  /**
   * Disables a live, enabled key and tells every replica, as the change of a
   * recording statement; no row when no live, enabled key of the customer has this id.
   */
  static disableChange(customerId: string, id: string, now: Instant): { sql: string; values: unknown[] } {
    return {
      sql: `UPDATE accesskeys SET tm_disable = $3, tm_update = $3
             WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL AND tm_disable IS NULL RETURNING ${COLUMNS}, ${NOTIFY}`,
      values: [id, customerId, now],
    };
  }

  /**
   * Enables a live, disabled key and tells every replica (they cache the
   * disabled state too), as the change of a recording statement; no row when
   * no live, disabled key of the customer has this id.
   */
  static enableChange(customerId: string, id: string, now: Instant): { sql: string; values: unknown[] } {
    return {
      sql: `UPDATE accesskeys SET tm_disable = NULL, tm_update = $3
             WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL AND tm_disable IS NOT NULL RETURNING ${COLUMNS}, ${NOTIFY}`,
      values: [id, customerId, now],
    };
  }

  /**
   * Rotates a live, enabled key in one statement, hence one transaction: the
   * old key's expiry is brought forward (never extended) and every replica told,
   * and a new key is inserted with the old one's name and detail and the old
   * one's lifetime length counted from `now`. `null` when no live, enabled key
   * of the customer has this id (nothing is written then).
   *
   * The lifetime is taken from the row as it was before the update (the
   * self-join `was`), in exact seconds (`extract(epoch ...)` is numeric), so
   * neither the session time zone nor daylight saving shifts it.
   * The new key carries the old one's scopes and usage policy (credits as they
   * stand), and is a canary if the old one was.
   */
  async rotate(customerId: string, id: string, r: Rotation, db: Queryable = this.db): Promise<RotatedRows | null> {
    const rows = await db.query<AccesskeyRow & { role: 'created' | 'previous' }>(
      'ak_rotate',
      `WITH previous AS (
         UPDATE accesskeys a SET tm_expire = LEAST(a.tm_expire, $3), tm_update = $4
           FROM accesskeys was
          WHERE a.id = $1 AND a.customer_id = $2 AND a.tm_delete IS NULL AND a.tm_disable IS NULL AND was.id = a.id
          RETURNING ${columnsOf('a')}, was.tm_expire - was.tm_create AS lifetime, ${notify('a.token_hash')}
       ), created AS (
         INSERT INTO accesskeys (${WRITE_COLUMNS})
         SELECT $5, customer_id, name, detail, $6, $7,
                LEAST($4::timestamptz + extract(epoch FROM lifetime) * interval '1 second', $8::timestamptz),
                $4, $4, NULL, NULL, id, scopes, canary, ${POLICY_COLUMNS}
           FROM previous
         RETURNING ${COLUMNS}
       )
       SELECT 'created' AS role, ${COLUMNS} FROM created
       UNION ALL
       SELECT 'previous' AS role, ${COLUMNS} FROM previous`,
      [id, customerId, r.previousExpiresBy, r.now, r.id, r.tokenHash, r.tokenPrefix, r.maxExpire],
    );
    const created = rows.find((row) => row.role === 'created');
    const previous = rows.find((row) => row.role === 'previous');
    return created && previous ? { created: fromRow(created), previous: fromRow(previous) } : null;
  }

  /**
   * Spends one credit of a key, exactly: one conditional UPDATE, so concurrent
   * uses on any number of replicas never take it below zero nor spend one
   * credit twice. A refill that is due (see REFILL_DUE) happens in the same
   * statement, before the spend.
   */
  async spendCredit(id: string, now: Instant): Promise<CreditSpend> {
    const rows = await this.db.query<{ remaining: number | null; unlimited: boolean }>(
      'ak_spend_credit',
      `WITH spent AS (
         UPDATE accesskeys SET
           credits_remaining = (CASE WHEN ${REFILL_DUE} THEN credits_refill_amount ELSE credits_remaining END) - 1,
           tm_last_refill = CASE WHEN ${REFILL_DUE} THEN $2::timestamptz ELSE tm_last_refill END
          WHERE id = $1 AND credits_remaining IS NOT NULL AND (credits_remaining > 0 OR ${REFILL_DUE})
          RETURNING credits_remaining
       )
       SELECT (SELECT credits_remaining FROM spent) AS remaining, a.credits_remaining IS NULL AS unlimited FROM accesskeys a WHERE a.id = $1`,
      [id, now],
    );
    const row = rows[0];
    if (!row || row.unlimited) return { outcome: 'unlimited' };
    return row.remaining === null ? { outcome: 'exhausted' } : { outcome: 'spent', remaining: row.remaining };
  }

  /**
   * Changes the usage policy of a live key of the customer (each part given is
   * replaced, `null` clearing it; the others stay as they are, so a credit spent
   * meanwhile is never undone) and tells every replica (authentication caches
   * the policy). Setting credits restarts the refill interval from `now`.
   * `null` when no live key of the customer has this id; also returns the key as it was.
   */
  async setPolicy(customerId: string, id: string, change: PolicyChange, now: Instant, db: Queryable = this.db): Promise<{ key: Accesskey; was: Accesskey } | null> {
    const credits = change.credits ?? null;
    const rows = await db.query<AccesskeyRow & { role: 'key' | 'was' }>(
      'ak_set_policy',
      `WITH was AS (SELECT ${COLUMNS} FROM accesskeys WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL FOR UPDATE),
       updated AS (
         UPDATE accesskeys a SET
                rate_limit_limit = CASE WHEN $4 THEN $5::integer ELSE a.rate_limit_limit END,
                rate_limit_window = CASE WHEN $4 THEN $6::integer ELSE a.rate_limit_window END,
                credits_remaining = CASE WHEN $7 THEN $8::integer ELSE a.credits_remaining END,
                credits_refill_amount = CASE WHEN $7 THEN $9::integer ELSE a.credits_refill_amount END,
                credits_refill_interval = CASE WHEN $7 THEN $10::varchar ELSE a.credits_refill_interval END,
                tm_last_refill = CASE WHEN $7 THEN (CASE WHEN $8::integer IS NULL THEN NULL ELSE $3::timestamptz END) ELSE a.tm_last_refill END,
                allowed_cidrs = CASE WHEN $11 THEN $12::text[] ELSE a.allowed_cidrs END,
                meta = CASE WHEN $13 THEN $14::jsonb ELSE a.meta END,
                tm_update = $3
           FROM was WHERE a.id = was.id
          RETURNING ${columnsOf('a')}, ${notify('a.token_hash')}
       )
       SELECT 'key' AS role, ${COLUMNS} FROM updated
       UNION ALL
       SELECT 'was' AS role, ${COLUMNS} FROM was`,
      [
        id, customerId, now,
        change.rateLimit !== undefined, change.rateLimit?.limit ?? null, change.rateLimit?.windowSeconds ?? null,
        change.credits !== undefined, credits?.remaining ?? null, credits?.refill?.amount ?? null, credits?.refill?.interval ?? null,
        change.allowedCidrs !== undefined, change.allowedCidrs ?? null,
        change.meta !== undefined, change.meta === undefined || change.meta === null ? null : JSON.stringify(change.meta),
      ],
    );
    const key = rows.find((row) => row.role === 'key');
    const was = rows.find((row) => row.role === 'was');
    return key && was ? { key: fromRow(key), was: fromRow(was) } : null;
  }
}

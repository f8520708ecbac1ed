import { INVALIDATION_CHANNEL } from '../db/invalidation';
import type { Queryable } from '../db/sql';
import type { Instant } from '../time';
import { Accesskey } from './accesskey.entity';
import type { KeyFilter, KeyListState } from './accesskey.filter';
import { likeLiteral } from './accesskey.filter';
import type { PageRequest } from '../pagination';
import type { LeakPolicy } from './leak-policy';
import type { Scope } from '../scopes';

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
}

/** The columns a new key is written with (its last use and leak report start as null). */
const WRITE_COLUMN_NAMES = [
  'id', 'customer_id', 'name', 'detail', 'token_hash', 'token_prefix',
  'tm_expire', 'tm_create', 'tm_update', 'tm_delete', 'tm_disable', 'rotated_from_id', 'scopes', 'canary',
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
const notify = (tokenHash: string): string => `pg_notify('${INVALIDATION_CHANNEL}', 'k:' || ${tokenHash}) AS notified`;
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
      `INSERT INTO accesskeys (${WRITE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14)`,
      [
        key.id, key.customerId, key.name, key.detail, key.tokenHash, key.tokenPrefix,
        key.tmExpire, key.tmCreate, key.tmUpdate, key.tmDelete, key.tmDisable, key.rotatedFromId, key.scopes, key.canary,
      ],
    );
  }

  /**
   * Replaces name and detail of a live key; `null` when no live key of the
   * customer has this id. Also returns the name and detail it had (the
   * self-join `was` sees the row as it was before the update).
   */
  async updateText(
    customerId: string,
    id: string,
    name: string,
    detail: string,
    now: Instant,
    db: Queryable = this.db,
  ): Promise<{ key: Accesskey; was: { name: string; detail: string } } | null> {
    const rows = await db.query<AccesskeyRow & { was_name: string; was_detail: string }>(
      'ak_update_text',
      `UPDATE accesskeys a SET name = $3, detail = $4, tm_update = $5
         FROM accesskeys was
        WHERE a.id = $1 AND a.customer_id = $2 AND a.tm_delete IS NULL AND was.id = a.id
        RETURNING ${columnsOf('a')}, was.name AS was_name, was.detail AS was_detail`,
      [id, customerId, name, detail, now],
    );
    return rows[0] ? { key: fromRow(rows[0]), was: { name: rows[0].was_name, detail: rows[0].was_detail } } : null;
  }

  /** Soft-deletes a live key and tells every replica; `null` when no live key of the customer has this id. */
  async softDelete(customerId: string, id: string, now: Instant, db: Queryable = this.db): Promise<Accesskey | null> {
    const rows = await db.query<AccesskeyRow>(
      'ak_delete',
      `UPDATE accesskeys SET tm_delete = $3, tm_update = $3
        WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL RETURNING ${COLUMNS}, ${NOTIFY}`,
      [id, customerId, now],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Disables a live, enabled key and tells every replica; `null` when no live,
   * enabled key of the customer has this id.
   */
  async disable(customerId: string, id: string, now: Instant, db: Queryable = this.db): Promise<Accesskey | null> {
    const rows = await db.query<AccesskeyRow>(
      'ak_disable',
      `UPDATE accesskeys SET tm_disable = $3, tm_update = $3
        WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL AND tm_disable IS NULL RETURNING ${COLUMNS}, ${NOTIFY}`,
      [id, customerId, now],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Enables a live, disabled key and tells every replica (they cache the
   * disabled state too); `null` when no live, disabled key of the customer has this id.
   */
  async enable(customerId: string, id: string, now: Instant, db: Queryable = this.db): Promise<Accesskey | null> {
    const rows = await db.query<AccesskeyRow>(
      'ak_enable',
      `UPDATE accesskeys SET tm_disable = NULL, tm_update = $3
        WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL AND tm_disable IS NOT NULL RETURNING ${COLUMNS}, ${NOTIFY}`,
      [id, customerId, now],
    );
    return rows[0] ? fromRow(rows[0]) : null;
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
   * The new key carries the old one's scopes, and is a canary if the old one was.
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
                $4, $4, NULL, NULL, id, scopes, canary
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
}

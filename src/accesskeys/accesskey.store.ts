import { INVALIDATION_CHANNEL } from '../db/invalidation';
import type { Queryable } from '../db/sql';
import type { Instant } from '../time';
import { Accesskey } from './accesskey.entity';
import type { PageRequest } from './pagination';

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
}

const COLUMNS = 'id, customer_id, name, detail, token_hash, token_prefix, tm_expire, tm_create, tm_update, tm_delete';

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
  });
}

/** Why a key may not authenticate, or `usable`. */
export type KeyState = 'usable' | 'deleted' | 'expired';

/** The one rule for which key may authenticate: not deleted, not yet expired. */
export function keyState(key: Pick<Accesskey, 'tmDelete' | 'tmExpire'>, now: Instant): KeyState {
  if (key.tmDelete !== null) return 'deleted';
  if (!now.isBefore(key.tmExpire)) return 'expired';
  return 'usable';
}

/** Every change that can stop a token also tells the other replicas (delivered when the change commits). */
const NOTIFY = `pg_notify('${INVALIDATION_CHANNEL}', 'k:' || token_hash) AS notified`;

export class AccesskeyStore {
  constructor(private readonly db: Queryable) {}

  /** The key a token hash belongs to, whatever its state (authentication decides with `keyState`). */
  async findByTokenHash(tokenHash: string): Promise<Accesskey | null> {
    const rows = await this.db.query<AccesskeyRow>('ak_by_hash', `SELECT ${COLUMNS} FROM accesskeys WHERE token_hash = $1`, [tokenHash]);
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
   * A customer's keys that are not deleted, newest first, keyset-paginated
   * on (tm_create, id); one more row than asked for tells whether a next page exists.
   * Served by `ix_accesskeys_customer_live_newest`.
   */
  async listLive(customerId: string, page: PageRequest): Promise<Accesskey[]> {
    const { after } = page;
    const limit = page.size + 1;
    let rows: AccesskeyRow[];
    if (!after) {
      rows = await this.db.query(
        'ak_list_first',
        `SELECT ${COLUMNS} FROM accesskeys WHERE customer_id = $1 AND tm_delete IS NULL
          ORDER BY tm_create DESC, id DESC LIMIT $2`,
        [customerId, limit],
      );
    } else if (after.id) {
      rows = await this.db.query(
        'ak_list_after',
        `SELECT ${COLUMNS} FROM accesskeys WHERE customer_id = $1 AND tm_delete IS NULL
            AND (tm_create, id) < ($2::timestamptz, $3::uuid)
          ORDER BY tm_create DESC, id DESC LIMIT $4`,
        [customerId, after.tmCreate.toISOString(), after.id, limit],
      );
    } else {
      rows = await this.db.query(
        'ak_list_before',
        `SELECT ${COLUMNS} FROM accesskeys WHERE customer_id = $1 AND tm_delete IS NULL
            AND tm_create < $2::timestamptz
          ORDER BY tm_create DESC, id DESC LIMIT $3`,
        [customerId, after.tmCreate.toISOString(), limit],
      );
    }
    return rows.map(fromRow);
  }

  async insert(key: Accesskey, db: Queryable = this.db): Promise<void> {
    await db.query(
      'ak_insert',
      `INSERT INTO accesskeys (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [key.id, key.customerId, key.name, key.detail, key.tokenHash, key.tokenPrefix, key.tmExpire, key.tmCreate, key.tmUpdate, key.tmDelete],
    );
  }

  /** Replaces name and detail of a live key; `null` when no live key of the customer has this id. */
  async updateText(customerId: string, id: string, name: string, detail: string, now: Instant): Promise<Accesskey | null> {
    const rows = await this.db.query<AccesskeyRow>(
      'ak_update_text',
      `UPDATE accesskeys SET name = $3, detail = $4, tm_update = $5
        WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL RETURNING ${COLUMNS}`,
      [id, customerId, name, detail, now],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Soft-deletes a live key and tells every replica; `null` when no live key of the customer has this id. */
  async softDelete(customerId: string, id: string, now: Instant): Promise<Accesskey | null> {
    const rows = await this.db.query<AccesskeyRow>(
      'ak_delete',
      `UPDATE accesskeys SET tm_delete = $3, tm_update = $3
        WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL RETURNING ${COLUMNS}, ${NOTIFY}`,
      [id, customerId, now],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }
}

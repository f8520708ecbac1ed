import type { Queryable } from '../db/sql';
import type { PageRequest } from '../pagination';
import type { Instant } from '../time';
import { WebhookEndpoint } from './webhook.types';

/**
 * The home of the statements about `webhook_endpoints` (one exception: a
 * delivered attempt ends its endpoint's failure streak in the same statement,
 * `DeliveryStore.recordDelivered`, to keep the common case one round trip).
 */
interface EndpointRow {
  id: string;
  customer_id: string;
  url: string;
  events: string[];
  description: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  tm_previous_secret_expire: Instant | null;
  tm_create: Instant;
  tm_update: Instant;
  tm_disable: Instant | null;
  tm_failing_since: Instant | null;
}

const COLUMNS = 'id, customer_id, url, events, description, secret_sealed, previous_secret_sealed, tm_previous_secret_expire, tm_create, tm_update, tm_disable, tm_failing_since';

export function endpointFromRow(row: EndpointRow): WebhookEndpoint {
  return Object.assign(new WebhookEndpoint(), {
    id: row.id,
    customerId: row.customer_id,
    url: row.url,
    events: row.events,
    description: row.description,
    secretSealed: row.secret_sealed,
    previousSecretSealed: row.previous_secret_sealed,
    tmPreviousSecretExpire: row.tm_previous_secret_expire,
    tmCreate: row.tm_create,
    tmUpdate: row.tm_update,
    tmDisable: row.tm_disable,
    tmFailingSince: row.tm_failing_since,
  });
}

export interface EndpointChanges {
  readonly url: string;
  readonly events: readonly string[];
  readonly description: string;
  readonly disabled: boolean;
}

export class EndpointStore {
  constructor(private readonly db: Queryable) {}

  async insert(e: WebhookEndpoint, db: Queryable = this.db): Promise<void> {
    await db.query(
      'webhook_endpoint_insert',
      `INSERT INTO webhook_endpoints (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [e.id, e.customerId, e.url, e.events, e.description, e.secretSealed, e.previousSecretSealed, e.tmPreviousSecretExpire, e.tmCreate, e.tmUpdate, e.tmDisable, e.tmFailingSince],
    );
  }

  async find(id: string, db: Queryable = this.db): Promise<WebhookEndpoint | null> {
    const rows = await db.query<EndpointRow>('webhook_endpoint_find', `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id]);
    return rows[0] ? endpointFromRow(rows[0]) : null;
  }

  /** The customer's enabled endpoints that receive `type` (the outbox's one lookup per recorded change). */
  async subscribed(customerId: string, type: string, db: Queryable = this.db): Promise<WebhookEndpoint[]> {
    const rows = await db.query<EndpointRow>(
      'webhook_endpoint_subscribed',
      `SELECT ${COLUMNS} FROM webhook_endpoints
       WHERE customer_id = $1 AND tm_disable IS NULL AND (events @> ARRAY[$2]::text[] OR events @> ARRAY['*']::text[])`,
      [customerId, type],
    );
    return rows.map(endpointFromRow);
  }

  /** Newest first, keyset on (tm_create, id); one more than asked, to tell whether a next page exists. */
  async list(customerId: string, page: PageRequest): Promise<WebhookEndpoint[]> {
    const after = page.after;
    const rows = await this.db.query<EndpointRow>(
      'webhook_endpoint_list',
      `SELECT ${COLUMNS} FROM webhook_endpoints
       WHERE customer_id = $1 AND ($2::timestamptz IS NULL OR (tm_create, id) < ($2, COALESCE($3::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff')))
       ORDER BY tm_create DESC, id DESC LIMIT $4`,
      [customerId, after?.tmCreate ?? null, after?.id ?? null, page.size + 1],
    );
    return rows.map(endpointFromRow);
  }

  async update(id: string, c: EndpointChanges, now: Instant, db: Queryable = this.db): Promise<WebhookEndpoint | null> {
    const rows = await db.query<EndpointRow>(
      'webhook_endpoint_update',
      `UPDATE webhook_endpoints SET url = $2, events = $3, description = $4, tm_update = $5,
         tm_disable = CASE WHEN $6 THEN COALESCE(tm_disable, $5) ELSE NULL END,
         tm_failing_since = CASE WHEN $6 THEN tm_failing_since ELSE NULL END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, c.url, c.events, c.description, now, c.disabled],
    );
    return rows[0] ? endpointFromRow(rows[0]) : null;
  }

  async delete(id: string, db: Queryable = this.db): Promise<boolean> {
    const rows = await db.query<{ id: string }>('webhook_endpoint_delete', 'DELETE FROM webhook_endpoints WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  async rotateSecret(id: string, sealed: string, previousSealed: string, previousUntil: Instant, now: Instant, db: Queryable = this.db): Promise<WebhookEndpoint | null> {
    const rows = await db.query<EndpointRow>(
      'webhook_endpoint_rotate',
      `UPDATE webhook_endpoints SET secret_sealed = $2, previous_secret_sealed = $3, tm_previous_secret_expire = $4, tm_update = $5
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, sealed, previousSealed, previousUntil, now],
    );
    return rows[0] ? endpointFromRow(rows[0]) : null;
  }

  /**
   * A delivery failed: starts the streak if none; disables the endpoint when the
   * streak began before `disableBefore`. Says whether this failure began a streak
   * and whether it disabled the endpoint.
   */
  async failed(id: string, now: Instant, disableBefore: Instant, db: Queryable = this.db): Promise<{ started: boolean; disabled: boolean }> {
    const rows = await db.query<{ started: boolean; disabled: boolean }>(
      'webhook_endpoint_failed',
      `UPDATE webhook_endpoints e SET
         tm_failing_since = COALESCE(e.tm_failing_since, $2),
         tm_disable = CASE WHEN e.tm_disable IS NULL AND e.tm_failing_since IS NOT NULL AND e.tm_failing_since <= $3 THEN $2 ELSE e.tm_disable END
       FROM (SELECT id, tm_failing_since AS was, tm_disable AS was_disabled FROM webhook_endpoints WHERE id = $1 FOR UPDATE) old
       WHERE e.id = old.id
       RETURNING old.was IS NULL AS started, (old.was_disabled IS NULL AND e.tm_disable IS NOT NULL) AS disabled`,
      [id, now, disableBefore],
    );
    return rows[0] ?? { started: false, disabled: false };
  }
}

import type { Queryable } from '../db/sql';
import type { PageRequest } from '../pagination';
import type { Instant } from '../time';
import { WebhookDelivery } from './webhook.types';
import type { DeliveryStatus } from './webhook.types';

/** The one home of every statement about `webhook_deliveries` (the outbox). */
interface DeliveryRow {
  id: string;
  endpoint_id: string;
  customer_id: string;
  event_type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  tm_next_attempt: Instant;
  last_status_code: number | null;
  last_error: string | null;
  last_response: string | null;
  tm_create: Instant;
  tm_delivered: Instant | null;
}

const COLUMNS = 'id, endpoint_id, customer_id, event_type, payload, status, attempts, tm_next_attempt, last_status_code, last_error, last_response, tm_create, tm_delivered';
const columnsOf = (alias: string) => COLUMNS.split(', ').map((c) => `${alias}.${c}`).join(', ');

export function deliveryFromRow(row: DeliveryRow): WebhookDelivery {
  return Object.assign(new WebhookDelivery(), {
    id: row.id,
    endpointId: row.endpoint_id,
    customerId: row.customer_id,
    eventType: row.event_type,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    tmNextAttempt: row.status === 'PENDING' ? row.tm_next_attempt : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastResponse: row.last_response,
    tmCreate: row.tm_create,
    tmDelivered: row.tm_delivered,
  });
}

export interface NewDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly customerId: string;
  readonly eventType: string;
  readonly payload: string;
  readonly now: Instant;
}

/** A delivery this worker has claimed, with what it needs to send it. */
export interface Claimed {
  readonly delivery: WebhookDelivery;
  readonly leaseToken: string;
  readonly url: string;
  readonly secretSealed: string;
  readonly previousSecretSealed: string | null;
  readonly tmPreviousSecretExpire: Instant | null;
}

export interface Outcome {
  readonly status: DeliveryStatus;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly response: string | null;
  readonly nextAttempt: Instant;
  readonly now: Instant;
}

/**
 * The PostgreSQL channel on which a queued delivery wakes every replica's
 * worker (sent with the row, so delivered when its transaction commits; the
 * worker's poll is the fallback). The payload is empty: a worker just looks.
 */
export const WEBHOOK_CHANNEL = 'akd_webhooks';
const NOTIFY = `pg_notify('${WEBHOOK_CHANNEL}', '')`;

export class DeliveryStore {
  constructor(private readonly db: Queryable) {}

  async insert(d: NewDelivery, db: Queryable = this.db): Promise<void> {
    await db.query(
      'webhook_delivery_insert',
      `WITH queued AS (
         INSERT INTO webhook_deliveries (id, endpoint_id, customer_id, event_type, payload, status, attempts, tm_next_attempt, tm_create, tm_update)
         VALUES ($1, $2, $3, $4, $5, 'PENDING', 0, $6, $6, $6) RETURNING id)
       SELECT ${NOTIFY} FROM queued`,
      [d.id, d.endpointId, d.customerId, d.eventType, d.payload, d.now],
    );
  }

  /**
   * The body of a CTE that queues one delivery of `payloadSql` (a text
   * expression over the one-row CTE `source`) per enabled endpoint of the
   * customer subscribed to `type`, provided the CTE `guard` has a row (the
   * event was written); one row per delivery, each waking the workers as
   * `insert` does. For a statement that records an event with its change.
   */
  static insertForSubscribedSql(source: string, guard: string, customerId: string, type: string, payloadSql: string, now: Instant, param: (value: unknown) => string): string {
    const customer = `${param(customerId)}::uuid`;
    const eventType = `${param(type)}::text`;
    const at = `${param(now)}::timestamptz`;
    return `INSERT INTO webhook_deliveries (id, endpoint_id, customer_id, event_type, payload, status, attempts, tm_next_attempt, tm_create, tm_update)
         SELECT gen_random_uuid(), w.id, w.customer_id, ${eventType}, ${payloadSql}, 'PENDING', 0, ${at}, ${at}, ${at}
           FROM ${source} CROSS JOIN webhook_endpoints w
          WHERE EXISTS (SELECT 1 FROM ${guard}) AND w.customer_id = ${customer} AND w.tm_disable IS NULL
            AND (w.events @> ARRAY[${eventType}] OR w.events @> ARRAY['*']::text[])
         RETURNING ${NOTIFY}`;
  }

  /**
   * Claims up to `limit` due deliveries of enabled endpoints, skipping rows
   * another replica is claiming (`FOR UPDATE SKIP LOCKED`) and those under
   * another worker's unexpired lease. The lease outlives the worker that dies
   * mid-attempt: once it has passed, any replica attempts again, with the same id.
   */
  async claim(now: Instant, leaseUntil: Instant, leaseToken: string, limit: number, busyEndpoints: readonly string[]): Promise<Claimed[]> {
    const rows = await this.db.query<DeliveryRow & { url: string; secret_sealed: string; previous_secret_sealed: string | null; tm_previous_secret_expire: Instant | null }>(
      'webhook_delivery_claim',
      `UPDATE webhook_deliveries d SET lease_until = $2, lease_token = $3
       FROM webhook_endpoints e
       WHERE e.id = d.endpoint_id AND d.id IN (
         SELECT c.id FROM webhook_deliveries c JOIN webhook_endpoints ce ON ce.id = c.endpoint_id
         WHERE c.status = 'PENDING' AND c.tm_next_attempt <= $1 AND (c.lease_until IS NULL OR c.lease_until <= $1)
           AND ce.tm_disable IS NULL AND NOT (c.endpoint_id = ANY($5::uuid[]))
         ORDER BY c.tm_next_attempt LIMIT $4
         FOR UPDATE OF c SKIP LOCKED)
       RETURNING ${columnsOf('d')}, e.url, e.secret_sealed, e.previous_secret_sealed, e.tm_previous_secret_expire`,
      [now, leaseUntil, leaseToken, limit, busyEndpoints],
    );
    return rows.map((row) => ({
      delivery: deliveryFromRow(row),
      leaseToken,
      url: row.url,
      secretSealed: row.secret_sealed,
      previousSecretSealed: row.previous_secret_sealed,
      tmPreviousSecretExpire: row.tm_previous_secret_expire,
    }));
  }

  /** Gives claimed deliveries back untried (this worker has no room for them). */
  async release(ids: readonly string[], leaseToken: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query('webhook_delivery_release', 'UPDATE webhook_deliveries SET lease_until = NULL, lease_token = NULL WHERE id = ANY($1::uuid[]) AND lease_token = $2', [ids, leaseToken]);
  }

  /** Records an attempt's outcome, if this worker still holds the lease; `false` if another took it over meanwhile. */
  async record(id: string, leaseToken: string, o: Outcome, db: Queryable = this.db): Promise<boolean> {
    const rows = await db.query<{ id: string }>(
      'webhook_delivery_record',
      `UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, last_status_code = $4, last_error = $5, last_response = $6,
         tm_next_attempt = $7, tm_update = $8, tm_delivered = CASE WHEN $3 = 'DELIVERED' THEN $8 ELSE tm_delivered END,
         lease_until = NULL, lease_token = NULL
       WHERE id = $1 AND lease_token = $2 RETURNING id`,
      [id, leaseToken, o.status, o.statusCode, o.error, o.response, o.nextAttempt, o.now],
    );
    return rows.length > 0;
  }

  /**
   * Records a delivered attempt and ends its endpoint's failure streak, in one
   * statement (the common case: one round trip, no transaction). `false` if
   * another worker took the delivery over meanwhile.
   */
  async recordDelivered(id: string, leaseToken: string, o: Outcome): Promise<boolean> {
    const rows = await this.db.query<{ n: number }>(
      'webhook_delivery_delivered',
      `WITH d AS (
         UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = attempts + 1, last_status_code = $3, last_error = NULL, last_response = $4,
           tm_next_attempt = $5, tm_update = $5, tm_delivered = $5, lease_until = NULL, lease_token = NULL
         WHERE id = $1 AND lease_token = $2 RETURNING endpoint_id
       ), e AS (
         UPDATE webhook_endpoints SET tm_failing_since = NULL WHERE id IN (SELECT endpoint_id FROM d) AND tm_failing_since IS NOT NULL RETURNING id
       )
       SELECT (SELECT count(*) FROM d)::int AS n, (SELECT count(*) FROM e)::int AS ended`,
      [id, leaseToken, o.statusCode, o.response, o.now],
    );
    return (rows[0]?.n ?? 0) > 0;
  }

  async find(id: string): Promise<WebhookDelivery | null> {
    const rows = await this.db.query<DeliveryRow>('webhook_delivery_find', `SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id]);
    return rows[0] ? deliveryFromRow(rows[0]) : null;
  }

  /** Queues a delivery again from its first attempt (same id: receivers that deduplicate on `webhook-id` may ignore it). */
  async requeue(id: string, now: Instant, db: Queryable = this.db): Promise<WebhookDelivery | null> {
    const rows = await db.query<DeliveryRow>(
      'webhook_delivery_requeue',
      `WITH queued AS (
         UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, tm_next_attempt = $2, tm_update = $2, lease_until = NULL, lease_token = NULL
         WHERE id = $1 RETURNING ${COLUMNS})
       SELECT ${COLUMNS}, ${NOTIFY} AS woke FROM queued`,
      [id, now],
    );
    return rows[0] ? deliveryFromRow(rows[0]) : null;
  }

  async list(endpointId: string, status: DeliveryStatus | null, page: PageRequest): Promise<WebhookDelivery[]> {
    const after = page.after;
    const rows = await this.db.query<DeliveryRow>(
      'webhook_delivery_list',
      `SELECT ${COLUMNS} FROM webhook_deliveries
       WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (tm_create, id) < ($3, COALESCE($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff')))
       ORDER BY tm_create DESC, id DESC LIMIT $5`,
      [endpointId, status, after?.tmCreate ?? null, after?.id ?? null, page.size + 1],
    );
    return rows.map(deliveryFromRow);
  }

  /** Deliveries waiting, for the queue-depth gauge. */
  async pendingCount(): Promise<number> {
    const rows = await this.db.query<{ n: string }>('webhook_delivery_pending', "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'PENDING'", []);
    return Number(rows[0]?.n ?? 0);
  }
}

import type { Queryable } from '../db/sql';
import type { Instant } from '../time';

/** A key due for a reminder, claimed for this scan. */
export interface DueReminder {
  readonly accesskeyId: string;
  readonly customerId: string;
  readonly name: string;
  readonly tokenPrefix: string;
  readonly tmExpire: Instant;
  /** The threshold this reminder is for (days_left). */
  readonly days: number;
}

/** Any number: both replicas' scanners ask for the same lock. */
const SCAN_LOCK = 1766000001;

/**
 * The one home of `expiry_reminders`: which reminder each key got, per
 * threshold and expiry. It reads `accesskeys` (live keys by expiry, through
 * `ix_accesskeys_live_expire`) only to find what is due.
 */
export class ReminderStore {
  /** One scanner at a time: the transaction's advisory lock, or `false` when another replica holds it. */
  async lockScan(tx: Queryable): Promise<boolean> {
    const rows = await tx.query<{ locked: boolean }>('expiry_scan_lock', 'SELECT pg_try_advisory_xact_lock($1) AS locked', [SCAN_LOCK]);
    return rows[0]?.locked === true;
  }

  /**
   * Claims up to `limit` reminders due at `now`: each live, non-canary key
   * expiring within the largest threshold gets the smallest threshold it is
   * within, once per (key, threshold, expiry). The claim is the reminder row, so
   * a reminder is never claimed twice, whatever else runs.
   */
  async claimDue(tx: Queryable, now: Instant, thresholds: readonly number[], limit: number): Promise<DueReminder[]> {
    const rows = await tx.query<{ id: string; customer_id: string; name: string; token_prefix: string; tm_expire: Instant; days: number }>(
      'expiry_claim_due',
      `WITH due AS (
         SELECT k.id, k.customer_id, k.name, k.token_prefix, k.tm_expire, t.days
           FROM accesskeys k
           CROSS JOIN LATERAL (SELECT min(d) AS days FROM unnest($2::int[]) d WHERE k.tm_expire <= $1::timestamptz + d * interval '1 day') t
          WHERE k.tm_delete IS NULL AND k.tm_disable IS NULL AND NOT k.canary
            AND k.tm_expire > $1 AND k.tm_expire <= $1::timestamptz + $3::int * interval '1 day'
            AND NOT EXISTS (SELECT 1 FROM expiry_reminders r WHERE r.accesskey_id = k.id AND r.tm_expire = k.tm_expire AND r.days = t.days)
          ORDER BY k.tm_expire
          LIMIT $4
       ), claimed AS (
         INSERT INTO expiry_reminders (accesskey_id, days, tm_expire, tm_sent)
         SELECT id, days, tm_expire, $1 FROM due
         ON CONFLICT DO NOTHING
         RETURNING accesskey_id, days
       )
       SELECT due.id, due.customer_id, due.name, due.token_prefix, due.tm_expire, due.days
         FROM due JOIN claimed ON claimed.accesskey_id = due.id AND claimed.days = due.days`,
      [now, thresholds, Math.max(...thresholds), limit],
    );
    return rows.map((r) => ({ accesskeyId: r.id, customerId: r.customer_id, name: r.name, tokenPrefix: r.token_prefix, tmExpire: r.tm_expire, days: r.days }));
  }
}

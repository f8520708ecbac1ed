import type { Queryable } from '../db/sql';
import type { Instant } from '../time';

/**
 * How long a leak report already acted on is remembered, per key it named: 7 days. A
 * partner's retries of one delivery come within hours; a copy of the report sent again
 * later than this acts again (GitHub's format has no nonce or time to refuse it by).
 */
export const LEAK_RECEIPT_SECONDS = 7 * 86400;

/** The one home of `leak_report_receipts`: which reports (by the SHA-256 of their body) each key has been reported in. */
export class LeakReceiptStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Notes in `db` (the transaction acting on the report) that the report `digest` named the key
   * at `at`: `false` when it already had within the window (a replay, or a retry of a delivery
   * that was acted on). The key's receipts older than the window are dropped on the way, so the
   * table holds no more than a week of reports.
   */
  async firstReceipt(accesskeyId: string, digest: string, at: Instant, db: Queryable = this.db): Promise<boolean> {
    await db.query('leak_receipts_prune', 'DELETE FROM leak_report_receipts WHERE accesskey_id = $1 AND tm_received <= $2', [
      accesskeyId,
      at.plusSeconds(-LEAK_RECEIPT_SECONDS),
    ]);
    const added = await db.query<{ added: number }>(
      'leak_receipt_add',
      `INSERT INTO leak_report_receipts (accesskey_id, report_digest, tm_received) VALUES ($1, $2, $3)
       ON CONFLICT (accesskey_id, report_digest) DO NOTHING RETURNING 1 AS added`,
      [accesskeyId, digest, at],
    );
    return added.length === 1;
  }
}

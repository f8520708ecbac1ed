import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed leak reports already acted on (issue 15 §5): the SHA-256 of each
 * report's body, per key it named, for a bounded time. GitHub's format has no
 * nonce, so a captured report could otherwise be sent again to disable a key its
 * owner has enabled since. Rows older than the window are pruned as reports arrive.
 */
export class CreateLeakReportReceipts1765411800000 implements MigrationInterface {
  name = 'CreateLeakReportReceipts1765411800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE leak_report_receipts (
        accesskey_id uuid NOT NULL REFERENCES accesskeys (id) ON DELETE CASCADE,
        report_digest char(64) NOT NULL,
        tm_received timestamptz NOT NULL,
        PRIMARY KEY (accesskey_id, report_digest)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE leak_report_receipts');
  }
}

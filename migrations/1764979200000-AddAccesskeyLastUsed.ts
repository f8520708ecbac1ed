import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Last use of a key (issue 9 §3) and the index that serves listing every key of
 * a customer, deleted ones included (filter states DELETED and ALL); the
 * default list stays on the partial `ix_accesskeys_customer_live_newest`.
 */
export class AddAccesskeyLastUsed1764979200000 implements MigrationInterface {
  name = 'AddAccesskeyLastUsed1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE accesskeys ADD COLUMN tm_last_used timestamptz NULL');
    await q.query('CREATE INDEX ix_accesskeys_customer_newest ON accesskeys (customer_id, tm_create DESC, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_accesskeys_customer_newest');
    await q.query('ALTER TABLE accesskeys DROP COLUMN tm_last_used');
  }
}

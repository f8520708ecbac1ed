import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest leak report of a key (issue 10 §2): when a secret-scanning
 * partner reported its token, where it was found, and in what kind of place.
 * All three are null until a report arrives.
 */
export class AddAccesskeyLeak1765238400000 implements MigrationInterface {
  name = 'AddAccesskeyLeak1765238400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE accesskeys ADD COLUMN tm_leak_reported timestamptz NULL, ADD COLUMN leak_url text NULL, ADD COLUMN leak_source text NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE accesskeys DROP COLUMN leak_source, DROP COLUMN leak_url, DROP COLUMN tm_leak_reported');
  }
}

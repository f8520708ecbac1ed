import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Key lifecycle (issue 9): a key may be disabled and enabled again, and remembers the key it was rotated from. */
export class AddAccesskeyLifecycle1764892800000 implements MigrationInterface {
  name = 'AddAccesskeyLifecycle1764892800000';

  async up(q: QueryRunner): Promise<void> {
    // Keys are only ever soft-deleted, so the reference never blocks a delete.
    await q.query(`
      ALTER TABLE accesskeys
        ADD COLUMN tm_disable timestamptz NULL,
        ADD COLUMN rotated_from_id uuid NULL REFERENCES accesskeys(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE accesskeys DROP COLUMN rotated_from_id, DROP COLUMN tm_disable');
  }
}

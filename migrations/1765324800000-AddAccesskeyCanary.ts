import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Canary keys (issue 10 §3): every existing key is an ordinary one. */
export class AddAccesskeyCanary1765324800000 implements MigrationInterface {
  name = 'AddAccesskeyCanary1765324800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE accesskeys ADD COLUMN canary boolean NOT NULL DEFAULT false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE accesskeys DROP COLUMN canary');
  }
}

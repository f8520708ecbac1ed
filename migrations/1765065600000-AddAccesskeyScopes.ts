import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Key scopes (issue 9 §4): existing keys keep what they could do, read and write. */
export class AddAccesskeyScopes1765065600000 implements MigrationInterface {
  name = 'AddAccesskeyScopes1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE accesskeys
        ADD COLUMN scopes text[] NOT NULL DEFAULT '{accesskeys:read,accesskeys:write}',
        ADD CONSTRAINT ck_accesskeys_scopes
          CHECK (scopes <@ ARRAY['accesskeys:read', 'accesskeys:write', 'accesskeys:verify']::text[])`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE accesskeys DROP CONSTRAINT ck_accesskeys_scopes, DROP COLUMN scopes');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAgents1764547200000 implements MigrationInterface {
  name = 'CreateAgents1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agents (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE RESTRICT,
        username varchar(255) NOT NULL,
        name varchar(255) NOT NULL DEFAULT '',
        password_hash text NOT NULL,
        permission integer NOT NULL,
        tm_create timestamptz NOT NULL,
        tm_update timestamptz NOT NULL,
        tm_delete timestamptz NULL
      )`);
    // Case-insensitive uniqueness among live agents; also the login lookup.
    await q.query('CREATE UNIQUE INDEX ux_agents_username_live ON agents (lower(username)) WHERE tm_delete IS NULL');
    await q.query('CREATE INDEX ix_agents_customer ON agents (customer_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE agents');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCustomersAndAccesskeys1764460800000 implements MigrationInterface {
  name = 'CreateCustomersAndAccesskeys1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY,
        name varchar(255) NOT NULL,
        tm_create timestamptz NOT NULL,
        tm_update timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE accesskeys (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE RESTRICT,
        name varchar(255) NOT NULL DEFAULT '',
        detail text NOT NULL DEFAULT '',
        token_hash char(64) NOT NULL,
        token_prefix varchar(16) NOT NULL,
        tm_expire timestamptz NOT NULL,
        tm_create timestamptz NOT NULL,
        tm_update timestamptz NOT NULL,
        tm_delete timestamptz NULL,
        CONSTRAINT uq_accesskeys_token_hash UNIQUE (token_hash)
      )`);
    // Serves a customer's newest-first listing of live keys, keyset-paginated on (tm_create, id).
    await q.query(`
      CREATE INDEX ix_accesskeys_customer_live_newest
        ON accesskeys (customer_id, tm_create DESC, id DESC)
        WHERE tm_delete IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE accesskeys');
    await q.query('DROP TABLE customers');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed logins, shared by every server on one PostgreSQL database (auth/login-limiter.ts). */
export class CreateLoginFailures1764806400000 implements MigrationInterface {
  name = 'CreateLoginFailures1764806400000';

  async up(q: QueryRunner): Promise<void> {
    // Rows live for one window only; `key` is the SHA-256 hex of `user:<folded username>` or `addr:<client address>`.
    await q.query(`
      CREATE TABLE login_failures (
        key text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX ix_login_failures_key_at ON login_failures (key, at DESC)');
    await q.query('CREATE INDEX ix_login_failures_at ON login_failures (at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE login_failures');
  }
}

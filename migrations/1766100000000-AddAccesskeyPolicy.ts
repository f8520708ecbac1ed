import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage policy per key (issue 18): a rate limit, credits with a lazy refill, an
 * IP allowlist and free-form `meta`, all null on every existing key (no policy).
 * They live on the key's own row, so authentication reads them with the query it
 * already makes. Beside them: the hourly usage counts per key and outcome, and
 * the table of shared rate-limit counters (in the layout rate-limiter-flexible
 * reads and writes with RATE_LIMIT_STORE=postgres).
 */
export class AddAccesskeyPolicy1766100000000 implements MigrationInterface {
  name = 'AddAccesskeyPolicy1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE accesskeys
        ADD COLUMN rate_limit_limit integer,
        ADD COLUMN rate_limit_window integer,
        ADD COLUMN credits_remaining integer,
        ADD COLUMN credits_refill_amount integer,
        ADD COLUMN credits_refill_interval varchar(16),
        ADD COLUMN tm_last_refill timestamptz,
        ADD COLUMN allowed_cidrs text[],
        ADD COLUMN meta jsonb,
        ADD CONSTRAINT ck_accesskeys_rate_limit CHECK (
          (rate_limit_limit IS NULL) = (rate_limit_window IS NULL) AND (rate_limit_limit IS NULL OR (rate_limit_limit > 0 AND rate_limit_window > 0))),
        ADD CONSTRAINT ck_accesskeys_credits CHECK (credits_remaining IS NULL OR credits_remaining >= 0),
        ADD CONSTRAINT ck_accesskeys_refill CHECK (
          (credits_refill_amount IS NULL) = (credits_refill_interval IS NULL)
          AND (credits_refill_interval IS NULL OR (credits_remaining IS NOT NULL AND credits_refill_amount > 0 AND credits_refill_interval IN ('DAILY', 'MONTHLY')))),
        ADD CONSTRAINT ck_accesskeys_meta CHECK (meta IS NULL OR (jsonb_typeof(meta) = 'object' AND octet_length(meta::text) <= 4096))`);
    await q.query(`
      CREATE TABLE accesskey_usage (
        accesskey_id uuid NOT NULL REFERENCES accesskeys (id) ON DELETE CASCADE,
        tm_hour timestamptz NOT NULL,
        outcome varchar(32) NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (accesskey_id, tm_hour, outcome)
      )`);
    await q.query('CREATE INDEX ix_accesskey_usage_hour ON accesskey_usage (tm_hour)');
    await q.query(`
      CREATE TABLE rate_limit_counters (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rate_limit_counters');
    await q.query('DROP TABLE accesskey_usage');
    await q.query(`
      ALTER TABLE accesskeys
        DROP CONSTRAINT ck_accesskeys_meta, DROP CONSTRAINT ck_accesskeys_refill, DROP CONSTRAINT ck_accesskeys_credits, DROP CONSTRAINT ck_accesskeys_rate_limit,
        DROP COLUMN meta, DROP COLUMN allowed_cidrs, DROP COLUMN tm_last_refill, DROP COLUMN credits_refill_interval,
        DROP COLUMN credits_refill_amount, DROP COLUMN credits_remaining, DROP COLUMN rate_limit_window, DROP COLUMN rate_limit_limit`);
  }
}

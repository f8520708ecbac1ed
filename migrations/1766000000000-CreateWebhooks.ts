import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer webhooks (issue 17): endpoints with their signing secrets (AES-256-GCM
 * ciphertext under WEBHOOK_SECRET_KEY, never plain text) and the outbox of
 * deliveries, written in the transaction of the change each one reports.
 */
export class CreateWebhooks1766000000000 implements MigrationInterface {
  name = 'CreateWebhooks1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        url text NOT NULL,
        events text[] NOT NULL,
        description text NOT NULL DEFAULT '',
        secret_sealed text NOT NULL,
        previous_secret_sealed text NULL,
        tm_previous_secret_expire timestamptz NULL,
        tm_create timestamptz NOT NULL,
        tm_update timestamptz NOT NULL,
        tm_disable timestamptz NULL,
        tm_failing_since timestamptz NULL
      )`);
    await q.query('CREATE INDEX ix_webhook_endpoints_customer ON webhook_endpoints (customer_id, tm_create DESC, id DESC)');
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        customer_id uuid NOT NULL,
        event_type text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        tm_next_attempt timestamptz NOT NULL,
        lease_until timestamptz NULL,
        lease_token uuid NULL,
        last_status_code integer NULL,
        last_error text NULL,
        last_response text NULL,
        tm_create timestamptz NOT NULL,
        tm_update timestamptz NOT NULL,
        tm_delivered timestamptz NULL
      )`);
    await q.query("CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (tm_next_attempt) WHERE status = 'PENDING'");
    await q.query('CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, tm_create DESC, id DESC)');
    // One reminder per key and threshold, whichever replica's scanner finds it first.
    await q.query(`
      CREATE TABLE expiry_reminders (
        accesskey_id uuid NOT NULL REFERENCES accesskeys (id) ON DELETE CASCADE,
        days integer NOT NULL,
        tm_expire timestamptz NOT NULL,
        tm_sent timestamptz NOT NULL,
        PRIMARY KEY (accesskey_id, days, tm_expire)
      )`);
    // The scanner's range: live keys by expiry.
    await q.query('CREATE INDEX ix_accesskeys_live_expire ON accesskeys (tm_expire) WHERE tm_delete IS NULL AND tm_disable IS NULL AND NOT canary');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_accesskeys_live_expire');
    await q.query('DROP TABLE expiry_reminders');
    await q.query('DROP TABLE webhook_deliveries');
    await q.query('DROP TABLE webhook_endpoints');
  }
}

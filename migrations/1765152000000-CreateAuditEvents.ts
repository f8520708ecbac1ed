import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (issue 10 §1): an append-only, hash-chained table of events
 * and the head of each chain (one per customer, `system` for events of no
 * customer). Updates, deletes and truncation of events are refused by a
 * trigger, except deletes by retention pruning, which sets `akd.audit_prune`
 * for its own transaction and records a checkpoint in `audit_chains`.
 */
export class CreateAuditEvents1765152000000 implements MigrationInterface {
  name = 'CreateAuditEvents1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_chains (
        chain text PRIMARY KEY,
        seq bigint NOT NULL,
        head_hash char(64) NOT NULL,
        checkpoint_seq bigint NOT NULL DEFAULT 0,
        checkpoint_hash char(64) NOT NULL
      )`);
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        chain text NOT NULL,
        seq bigint NOT NULL,
        tm timestamptz NOT NULL,
        customer_id uuid NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('agent', 'accesskey', 'cli', 'system')),
        actor_id uuid NULL,
        actor_name text NULL,
        actor_token_hash char(64) NULL,
        action text NOT NULL,
        target_id uuid NULL,
        request_id text NULL,
        client_address text NULL,
        user_agent text NULL,
        before jsonb NULL,
        after jsonb NULL,
        detail jsonb NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        CONSTRAINT ux_audit_events_chain_seq UNIQUE (chain, seq)
      )`);
    await q.query('CREATE INDEX ix_audit_events_target ON audit_events (chain, target_id, seq) WHERE target_id IS NOT NULL');
    await q.query('CREATE INDEX ix_audit_events_actor_token ON audit_events (chain, actor_token_hash, seq) WHERE actor_token_hash IS NOT NULL');
    await q.query('CREATE INDEX ix_audit_events_tm ON audit_events (tm)');
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE') AND current_setting('akd.audit_prune', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = '42501';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER tr_audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_events');
    await q.query('DROP FUNCTION audit_events_append_only()');
    await q.query('DROP TABLE audit_chains');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An audited change in one statement (issue 20 §3): the chain's head also
 * keeps the hash before it (its last event's `prev_hash`), so the statement
 * that advances the head with `INSERT … ON CONFLICT DO UPDATE … RETURNING`
 * learns the link its event must carry (RETURNING shows only the new row).
 * Filled here from each chain's last event; null for a chain whose events
 * were all pruned (the next event sets it).
 */
export class AddAuditChainPrevHash1766300000000 implements MigrationInterface {
  name = 'AddAuditChainPrevHash1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE audit_chains ADD COLUMN prev_hash char(64)');
    await q.query('UPDATE audit_chains c SET prev_hash = e.prev_hash FROM audit_events e WHERE e.chain = c.chain AND e.seq = c.seq');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE audit_chains DROP COLUMN prev_hash');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Session tokens carry the agent's session generation (`gen`); raising it
 * (password change, logout) ends every session issued before.
 */
export class AddAgentSessionGeneration1764633600000 implements MigrationInterface {
  name = 'AddAgentSessionGeneration1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE agents ADD COLUMN session_generation integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE agents DROP COLUMN session_generation');
  }
}

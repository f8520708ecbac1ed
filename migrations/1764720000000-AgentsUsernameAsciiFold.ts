import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usernames are unique and looked up ignoring ASCII case only (agents/username.ts).
 * `lower()` under the "C" collation folds exactly that, whatever the database's locale;
 * under the default collation it followed the locale (e.g. `İ` → `i` in C.UTF-8).
 */
export class AgentsUsernameAsciiFold1764720000000 implements MigrationInterface {
  name = 'AgentsUsernameAsciiFold1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ux_agents_username_live');
    await q.query('CREATE UNIQUE INDEX ux_agents_username_live ON agents (lower(username COLLATE "C")) WHERE tm_delete IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ux_agents_username_live');
    await q.query('CREATE UNIQUE INDEX ux_agents_username_live ON agents (lower(username)) WHERE tm_delete IS NULL');
  }
}

import { openDatabase } from '../../src/db/database';
import type { Database } from '../../src/db/database';

/** PostgreSQL when DATABASE_URL is set (CI's second run), otherwise an in-memory PGlite. */
export const usingPostgres = Boolean(process.env.DATABASE_URL);

/**
 * Opens the test database with every migration applied and no rows. One per
 * test file: PGlite takes seconds to start, and suites run in band.
 */
export async function openTestDatabase(): Promise<Database> {
  const database = usingPostgres
    ? await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL!, poolMax: 5 }, { migrate: true })
    : await openDatabase({ kind: 'embedded', dataDir: '' }, { migrate: true, inMemory: true });
  await truncateAll(database);
  return database;
}

export async function truncateAll(database: Database): Promise<void> {
  await database.dataSource.query('TRUNCATE agents, accesskeys, customers');
}

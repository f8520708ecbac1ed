import { openDatabase } from '../../src/db/database';
import type { Database } from '../../src/db/database';
import type { DatabaseConfig } from '../../src/config';

/** The test PostgreSQL database's configuration (DATABASE_URL), as the server would read it. */
export function postgresConfig(overrides: Partial<Extract<DatabaseConfig, { kind: 'postgres' }>> = {}): DatabaseConfig {
  const url = process.env.DATABASE_URL!;
  return { kind: 'postgres', url, poolMax: 5, listenUrl: url, namedStatements: true, ...overrides };
}

/** PostgreSQL when DATABASE_URL is set (CI's second run), otherwise an in-memory PGlite. */
export const usingPostgres = Boolean(process.env.DATABASE_URL);

// Module state is per test file (jest gives each file its own module registry).
let emptied = false;

/**
 * Opens the test database with every migration applied. PGlite: a new
 * in-memory database each time. PostgreSQL: the shared database, emptied on
 * the first open in a test file only, so a second app in the same file does
 * not wipe the first one's rows (suites run in band).
 */
export async function openTestDatabase(overrides: Partial<Extract<DatabaseConfig, { kind: 'postgres' }>> = {}): Promise<Database> {
  if (!usingPostgres) return openDatabase({ kind: 'embedded', dataDir: '' }, { migrate: true, inMemory: true });
  const database = await openDatabase(postgresConfig(overrides), { migrate: true });
  if (!emptied) {
    await truncateAll(database);
    emptied = true;
  }
  return database;
}

export async function truncateAll(database: Database): Promise<void> {
  await database.dataSource.query('TRUNCATE agents, accesskeys, customers, login_failures');
}

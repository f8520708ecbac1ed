import { loadConfig } from '../../src/config';
import type { DatabaseBounds } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import type { Database } from '../../src/db/database';

export interface TestDatabaseOptions {
  /** Statement and checkout bounds; the configuration's defaults when absent. */
  readonly bounds?: Partial<DatabaseBounds>;
  /** PostgreSQL only: pool size (default 5). */
  readonly poolMax?: number;
  /** PostgreSQL only: connect to this URL instead of DATABASE_URL (e.g. through a proxy). */
  readonly url?: string;
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
export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<Database> {
  const bounds = { ...loadConfig({}).database.bounds, ...options.bounds };
  if (!usingPostgres) return openDatabase({ kind: 'embedded', dataDir: '', bounds }, { migrate: true, inMemory: true });
  const database = await openDatabase(
    { kind: 'postgres', url: options.url ?? process.env.DATABASE_URL!, poolMax: options.poolMax ?? 5, bounds, connectRetrySeconds: 0 },
    { migrate: true },
  );
  if (!emptied) {
    await truncateAll(database);
    emptied = true;
  }
  return database;
}

export async function truncateAll(database: Database): Promise<void> {
  await database.dataSource.query('TRUNCATE agents, accesskeys, customers');
}

import { ENTITIES } from '../../src/app/entities';
import { loadConfig } from '../../src/config';
import type { DatabaseBounds, DatabaseConfig } from '../../src/db/config';
import { openDatabase } from '../../src/db/database';
import type { Database } from '../../src/db/database';
import { defaultTemplateDir } from '../../src/db/template';

/** The test PostgreSQL database's configuration (DATABASE_URL), as the server would read it. */
export function postgresConfig(overrides: Partial<Extract<DatabaseConfig, { kind: 'postgres' }>> = {}): DatabaseConfig {
  const url = overrides.url ?? process.env.DATABASE_URL!;
  return {
    kind: 'postgres',
    url,
    poolMax: 5,
    bounds: loadConfig({}).database.bounds,
    connectRetrySeconds: 0,
    namedStatements: true,
    ...overrides,
    listenUrl: overrides.listenUrl ?? url,
  };
}

export interface TestDatabaseOptions {
  /** Statement and checkout bounds; the configuration's defaults when absent. */
  readonly bounds?: Partial<DatabaseBounds>;
  /** PostgreSQL only: pool size (default 5). */
  readonly poolMax?: number;
  /** PostgreSQL only: connect to this URL instead of DATABASE_URL (e.g. through a proxy). */
  readonly url?: string;
  /** PostgreSQL only: where the invalidation listener connects (default: the same as `url`). */
  readonly listenUrl?: string;
  /** PGlite only: told what the embedded database reports (a template passed over, its thread lost). */
  readonly onNotice?: (line: string) => void;
  /** PGlite only: keep the database in this data directory (made from the built template) instead of in memory. */
  readonly dataDir?: string;
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
  if (!usingPostgres && options.dataDir !== undefined) {
    return openDatabase({ kind: 'embedded', dataDir: options.dataDir, bounds, templateDir: defaultTemplateDir() }, { entities: ENTITIES, migrate: true, onNotice: options.onNotice });
  }
  if (!usingPostgres) return openDatabase({ kind: 'embedded', dataDir: '', bounds }, { entities: ENTITIES, migrate: true, inMemory: true });
  const database = await openDatabase(
    postgresConfig({ url: options.url ?? process.env.DATABASE_URL!, poolMax: options.poolMax ?? 5, bounds, listenUrl: options.listenUrl }),
    { entities: ENTITIES, migrate: true },
  );
  if (!emptied) {
    await truncateAll(database);
    emptied = true;
  }
  return database;
}

export async function truncateAll(database: Database): Promise<void> {
  // The audit trail refuses truncation except to retention pruning's setting, which this transaction borrows.
  await database.dataSource.transaction(async (manager) => {
    await manager.query("SELECT set_config('akd.audit_prune', 'on', true)");
    await manager.query('TRUNCATE agents, leak_report_receipts, webhook_deliveries, webhook_endpoints, expiry_reminders, accesskey_usage, rate_limit_counters, accesskeys, customers, login_failures, audit_events, audit_chains');
  });
}

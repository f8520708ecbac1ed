import { MigrationExecutor } from 'typeorm';
import type { DataSource, Migration } from 'typeorm';

/**
 * Arbitrary constant: serialises schema setup (migrations, then first-start
 * provisioning) between servers sharing one PostgreSQL.
 */
export const SETUP_LOCK = 0x766270;

/**
 * Applies pending migrations, each in its own transaction. With `lock`, the
 * whole run holds the setup advisory lock on its one connection, so servers
 * starting together migrate one after the other: the later ones find nothing
 * pending instead of creating the same tables twice.
 */
export async function applyMigrations(dataSource: DataSource, lock: boolean): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  try {
    if (lock) await runner.query('SELECT pg_advisory_lock($1)', [SETUP_LOCK]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    return await executor.executePendingMigrations();
  } finally {
    // A failed unlock means a broken connection; its session, and with it the lock, is gone.
    if (lock) await runner.query('SELECT pg_advisory_unlock($1)', [SETUP_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

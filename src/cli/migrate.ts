import 'reflect-metadata';
import { ENTITIES } from '../app/entities';
import { ConfigError, loadConfig } from '../config';
import { DatabaseUnreachableError, retryLine } from '../db/connect';
import { openDatabase } from '../db/database';
import { DataDirLockedError } from '../db/lock';
import { applyMigrations } from '../db/migrate';

/** `npm run migration:run` / `migration:revert`: the same migrations the server applies at start. */
async function run(action: string | undefined): Promise<number> {
  if (action !== 'run' && action !== 'revert' && action !== 'show') {
    process.stderr.write('usage: migrate run|revert|show\n');
    return 2;
  }
  try {
    const database = await openDatabase(loadConfig().database, { entities: ENTITIES, unboundedStatements: true, onRetry: (notice) => process.stderr.write(retryLine(notice)) });
    try {
      const ds = database.dataSource;
      if (action === 'run') {
        const applied = await applyMigrations(ds, database.kind === 'postgres');
        process.stdout.write(applied.length ? applied.map((m) => `applied ${m.name}\n`).join('') : 'no pending migrations\n');
      } else if (action === 'revert') {
        await ds.undoLastMigration({ transaction: 'each' });
        process.stdout.write('reverted the last migration\n');
      } else {
        process.stdout.write((await ds.showMigrations()) ? 'pending migrations exist\n' : 'no pending migrations\n');
      }
    } finally {
      await database.close();
    }
    return 0;
  } catch (err) {
    const known = err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof DatabaseUnreachableError;
    process.stderr.write(`error: ${known ? (err).message : ((err as Error).stack ?? String(err))}\n`);
    return 1;
  }
}

void run(process.argv[2]).then((code) => {
  process.exitCode = code;
});

import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config';
import { ENTITIES } from './src/app/entities';
import { dataSourceOptions } from './src/db/database';

/**
 * The DataSource the TypeORM CLI uses (`npx typeorm -d dist/ormconfig.js migration:show`),
 * built from the same configuration as the server. The TypeORM CLI needs a
 * PostgreSQL server (DATABASE_URL); for the embedded database use
 * `npm run migration:run`, which opens PGlite safely and closes it cleanly.
 */
function cliDataSource(): DataSource {
  const { database } = loadConfig();
  if (database.kind !== 'postgres') {
    throw new Error('The TypeORM CLI needs DATABASE_URL. For the embedded database use: npm run migration:run');
  }
  // Migrations may rewrite large tables: no statement bound here, only the connection one.
  return new DataSource(dataSourceOptions({ url: database.url }, { max: 2, acquireTimeoutMs: database.bounds.acquireTimeoutMs, statementTimeoutMs: null }, ENTITIES));
}

export default cliDataSource();

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { types as pgTypes } from 'pg';
import type { ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { Accesskey } from '../accesskeys/accesskey.entity';
import type { DatabaseConfig } from '../config';
import { Agent } from '../agents/agent.entity';
import { Customer } from '../customers/customer.entity';
import { Instant } from '../time';
import { migrations } from '../../migrations';
import { lockDataDir } from './lock';
import { Sql } from './sql';

const TIMESTAMPTZ_OID = 1184;

/**
 * `pg` turns timestamptz into a millisecond `Date`; parse it into an `Instant`
 * instead so microseconds survive. TypeORM passes non-string values through.
 */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID && format !== 'binary') {
      return (text: string) => {
        const instant = Instant.parse(text);
        if (!instant) throw new Error(`unexpected timestamptz text from the database: ${text}`);
        return instant;
      };
    }
    return pgTypes.getTypeParser(oid, format as 'text');
  },
};

export const entities = [Customer, Accesskey, Agent];

export function dataSourceOptions(connection: { url: string } | { host: string; port: number }, poolMax: number): DataSourceOptions {
  return {
    type: 'postgres',
    ...('url' in connection
      ? { url: connection.url }
      : { host: connection.host, port: connection.port, username: 'postgres', database: 'postgres' }),
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    extra: { max: poolMax, types: typeParsers, connectionTimeoutMillis: 10000 },
  };
}

export interface Database {
  readonly dataSource: DataSource;
  readonly kind: DatabaseConfig['kind'];
  /** The hot path's direct way to the pool (see db/sql.ts). */
  readonly sql: Sql;
  /** Where the invalidation listener connects; `null` for the embedded database (one process: invalidation is direct). */
  readonly listen: ClientConfig | null;
  /** Closes the pool and, for the embedded database, PGlite itself. Idempotent. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations after connecting (the server and CLI do). */
  migrate?: boolean;
  /** Embedded only: keep the database in memory (tests). */
  inMemory?: boolean;
}

async function openEmbedded(dataDir: string, inMemory: boolean): Promise<{ options: DataSourceOptions; shutdown: () => Promise<void> }> {
  const release = inMemory ? () => undefined : lockDataDir(dataDir);
  let pglite: PGlite | undefined;
  let socketServer: PGLiteSocketServer | undefined;
  // Unix socket paths are limited to ~107 bytes, so the socket lives in a short private temp dir.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-'));
  const shutdown = async (): Promise<void> => {
    await socketServer?.stop().catch(() => undefined);
    if (pglite && !pglite.closed) await pglite.close();
    fs.rmSync(socketDir, { recursive: true, force: true });
    release();
  };
  try {
    pglite = await PGlite.create(inMemory ? 'memory://' : path.join(dataDir, 'pgdata'));
    socketServer = new PGLiteSocketServer({ db: pglite, path: path.join(socketDir, '.s.PGSQL.5432'), maxConnections: 4 });
    await socketServer.start();
  } catch (err) {
    await shutdown();
    throw err;
  }
  // PGlite runs one backend; the socket multiplexes connections message by message, so one
  // pooled connection keeps each statement's Parse/Bind/Execute together.
  return { options: dataSourceOptions({ host: socketDir, port: 5432 }, 1), shutdown };
}

/** Opens the configured database: embedded PGlite (served over a private socket) or PostgreSQL. */
export async function openDatabase(config: DatabaseConfig, opts: OpenOptions = {}): Promise<Database> {
  let options: DataSourceOptions;
  let shutdown: () => Promise<void> = async () => undefined;
  if (config.kind === 'embedded') {
    ({ options, shutdown } = await openEmbedded(config.dataDir, opts.inMemory ?? false));
  } else {
    options = dataSourceOptions({ url: config.url }, config.poolMax);
  }
  const dataSource = new DataSource(options);
  try {
    await dataSource.initialize();
    if (opts.migrate) await dataSource.runMigrations({ transaction: 'each' });
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await shutdown();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    dataSource,
    kind: config.kind,
    // PGlite runs one backend behind the socket: a statement name prepared on one connection would clash on the next.
    sql: Sql.of(dataSource, config.kind === 'postgres' && config.namedStatements),
    listen: config.kind === 'postgres' ? { connectionString: config.listenUrl } : null,
    close() {
      closing ??= (async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
        await shutdown();
      })();
      return closing;
    },
  };
}

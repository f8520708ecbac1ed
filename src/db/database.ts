import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { types as pgTypes } from 'pg';
import type { Pool } from 'pg';
import type { ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { Instant } from '../time';
import { migrations } from '../../migrations';
import type { DatabaseBounds, DatabaseConfig } from './config';
import { connect, connectWithRetry, retryWhileUnavailable, startRetry } from './connect';
import type { RetryNotice, RetryPolicy } from './connect';
import { lockDataDir } from './lock';
import { applyMigrations } from './migrate';
import { reapTimedOutConnections } from './reaper';
import { restrictToOwner } from './owner-only';
import { Sql } from './sql';

const TIMESTAMPTZ_OID = 1184;

/** Settings of the embedded PostgreSQL (see openEmbedded). */
export const EMBEDDED_POSTGRESQL_CONF = 'shared_buffers = 16MB';

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
    return pgTypes.getTypeParser(oid, format);
  },
};

/** The TypeORM entities a data source knows (the caller lists them: app/entities.ts). */
export type Entities = NonNullable<DataSourceOptions['entities']>;

/**
 * How long past the server-side `statement_timeout` the client waits before
 * giving up on its own: the server's cancel normally arrives first and keeps
 * the connection; the client-side bound is for a network that carries nothing
 * (a partition), where no cancel can arrive.
 */
const CLIENT_GRACE_MS = 1000;

export interface PoolOptions {
  readonly max: number;
  readonly acquireTimeoutMs: number;
  /** `null`: statements are not bounded (migrations, which may rewrite large tables). */
  readonly statementTimeoutMs: number | null;
}

export function dataSourceOptions(connection: { url: string } | { host: string; port: number }, pool: PoolOptions, entities: Entities): DataSourceOptions {
  const statementBounds =
    pool.statementTimeoutMs === null ? {} : { statement_timeout: pool.statementTimeoutMs, query_timeout: pool.statementTimeoutMs + CLIENT_GRACE_MS };
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
    extra: {
      max: pool.max,
      types: typeParsers,
      // pg bounds opening a connection with it, pg-pool also the wait for a free one.
      connectionTimeoutMillis: pool.acquireTimeoutMs,
      // Lets the kernel notice a dead peer on an idle connection instead of keeping it forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10000,
      ...statementBounds,
    },
  };
}

/** The pg pool's counters, as pg-pool exposes them. */
export type PoolState = Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount' | 'on' | 'off'>;

export interface Database {
  readonly dataSource: DataSource;
  readonly kind: DatabaseConfig['kind'];
  /** The largest number of pooled connections. */
  readonly poolMax: number;
  /** The connection pool (counters and `acquire` events); `null` once closed. */
  pool(): PoolState | null;
  /** The hot path's direct way to the pool (see db/sql.ts). */
  readonly sql: Sql;
  /** Where the invalidation listener connects; `null` for the embedded database (one process: invalidation is direct). */
  readonly listen: ClientConfig | null;
  /** Closes the pool and, for the embedded database, PGlite itself. Idempotent. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The entities its data source maps (app/entities.ts). */
  entities: Entities;
  /** Apply pending migrations after connecting (the server and CLI do). */
  migrate?: boolean;
  /** Embedded only: keep the database in memory (tests). */
  inMemory?: boolean;
  /** Leave statements unbounded (the migration CLI: a migration may rewrite a large table). */
  unboundedStatements?: boolean;
  /** Told about each failed attempt while a start waits for an unreachable PostgreSQL. */
  onRetry?: (notice: RetryNotice) => void;
  /** The start's retry policy, when the caller shares it with later steps (default: `startRetry(config, onRetry)`). */
  retry?: RetryPolicy | null;
}

type Connection = Parameters<typeof dataSourceOptions>[0];

async function openEmbedded(dataDir: string, inMemory: boolean): Promise<{ connection: Connection; shutdown: () => Promise<void> }> {
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
    pglite = await PGlite.create(inMemory ? 'memory://' : path.join(dataDir, 'pgdata'), {
      // PostgreSQL's default 128 MB of shared buffers lives in the process's WebAssembly memory
      // here; 16 MB halves the server's resident size (the OS page cache still holds the files).
      postgresqlconf: EMBEDDED_POSTGRESQL_CONF,
    });
    // PGlite unpacks a new cluster with mode 0666 whatever the umask, and an older version of this
    // server left directories as the umask made them: both become owner-only on every start.
    if (!inMemory) restrictToOwner(dataDir);
    socketServer = new PGLiteSocketServer({ db: pglite, path: path.join(socketDir, '.s.PGSQL.5432'), maxConnections: 4 });
    await socketServer.start();
  } catch (err) {
    await shutdown();
    throw err;
  }
  return { connection: { host: socketDir, port: 5432 }, shutdown };
}

/**
 * Opens the configured database: embedded PGlite (served over a private socket) or PostgreSQL.
 * A PostgreSQL that cannot be reached is retried with backoff for `connectRetrySeconds`;
 * pending migrations run first, on a connection of their own, unbounded and under the
 * setup advisory lock.
 */
export async function openDatabase(config: DatabaseConfig, opts: OpenOptions): Promise<Database> {
  let connection: Connection;
  let shutdown: () => Promise<void> = async () => undefined;
  // PGlite runs one backend; the socket multiplexes connections message by message, so one
  // pooled connection keeps each statement's Parse/Bind/Execute together.
  const poolMax = config.kind === 'embedded' ? 1 : config.poolMax;
  if (config.kind === 'embedded') {
    ({ connection, shutdown } = await openEmbedded(config.dataDir, opts.inMemory ?? false));
  } else {
    connection = { url: config.url };
  }
  const retry = opts.retry !== undefined ? opts.retry : startRetry(config, opts.onRetry);
  const poolOptions = (max: number, bounds: DatabaseBounds, unbounded: boolean): PoolOptions => ({
    max,
    acquireTimeoutMs: bounds.acquireTimeoutMs,
    statementTimeoutMs: unbounded ? null : bounds.statementTimeoutMs,
  });
  let dataSource: DataSource | undefined;
  try {
    if (opts.migrate) {
      // On PostgreSQL through the direct connection (DATABASE_LISTEN_URL): the advisory lock is a
      // session's, which a transaction-pooling PgBouncer in DATABASE_URL's path would not keep.
      const direct: Connection = config.kind === 'postgres' ? { url: config.listenUrl } : connection;
      // Connecting and migrating are retried as one: a connection lost mid-way leaves nothing behind
      // (each migration is a transaction of its own, the advisory lock dies with the session).
      await retryWhileUnavailable(async () => {
        const migrator = await connect(() => new DataSource(dataSourceOptions(direct, poolOptions(1, config.bounds, true), opts.entities)));
        try {
          await applyMigrations(migrator, config.kind === 'postgres');
        } finally {
          await migrator.destroy().catch(() => undefined);
        }
      }, retry);
    }
    dataSource = await connectWithRetry(
      () => new DataSource(dataSourceOptions(connection, poolOptions(poolMax, config.bounds, opts.unboundedStatements ?? false), opts.entities)),
      retry,
    );
  } catch (err) {
    await shutdown();
    throw err;
  }
  reapTimedOutConnections(dataSource);
  const ds = dataSource;
  let closing: Promise<void> | undefined;
  return {
    dataSource: ds,
    kind: config.kind,
    poolMax,
    pool: () => (ds.isInitialized ? ((ds.driver as unknown as { master?: PoolState }).master ?? null) : null),
    // PGlite runs one backend behind the socket: a statement name prepared on one connection would clash on the next.
    sql: Sql.of(ds, config.kind === 'postgres' && config.namedStatements),
    listen: config.kind === 'postgres' ? { connectionString: config.listenUrl } : null,
    close() {
      closing ??= (async () => {
        if (ds.isInitialized) await ds.destroy();
        await shutdown();
      })();
      return closing;
    },
  };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
import { openEmbedded } from './embedded';
import type { Embedded } from './embedded';
import { applyMigrations } from './migrate';
import { reapTimedOutConnections } from './reaper';
import { Sql } from './sql';
import { findTemplate, pgliteVersion, writeTemplate } from './template';

const TIMESTAMPTZ_OID = 1184;

export { EMBEDDED_POSTGRESQL_CONF } from './embedded';

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

type MigrationList = NonNullable<DataSourceOptions['migrations']>;

export function dataSourceOptions(
  connection: { url: string } | { host: string; port: number },
  pool: PoolOptions,
  entities: Entities,
  migrationList: MigrationList = migrations,
): DataSourceOptions {
  const statementBounds =
    pool.statementTimeoutMs === null ? {} : { statement_timeout: pool.statementTimeoutMs, query_timeout: pool.statementTimeoutMs + CLIENT_GRACE_MS };
  return {
    type: 'postgres',
    ...('url' in connection
      ? { url: connection.url }
      : { host: connection.host, port: connection.port, username: 'postgres', database: 'postgres' }),
    entities,
    migrations: migrationList,
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
  /** The embedded database's thread (`null` on PostgreSQL); `crash` is a test seam that ends it as a WebAssembly abort would. */
  readonly embedded: Pick<Embedded, 'crash'> | null;
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
  /** Told when the embedded database's template could not be used (the start falls back to initdb). */
  onNotice?: (line: string) => void;
}

/** The class names of the migrations, oldest first: what the migrations table records. */
const migrationNames = (list: readonly unknown[]): string[] => list.map((m) => (m as { name: string }).name);

type Connection = Parameters<typeof dataSourceOptions>[0];

/**
 * Makes the embedded database's template in `dir` (see db/template.ts): a new
 * cluster, `list` migrated, closed cleanly and packed. The server only reads
 * templates; `npm run build` makes them (src/cli/template.ts).
 */
export async function buildTemplate(dir: string, list: MigrationList = migrations): Promise<string> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-template-'));
  try {
    const names = migrationNames(list as unknown[]);
    const embedded = await openEmbedded(work, { inMemory: false, templateDir: null, migrations: names, onNotice: () => undefined });
    let systemIdentifier: string;
    try {
      const migrator = await connect(() => new DataSource(dataSourceOptions(embedded.connection, { max: 1, acquireTimeoutMs: 10000, statementTimeoutMs: null }, [], list)));
      try {
        await applyMigrations(migrator, false);
        systemIdentifier = (await migrator.query<{ id: string }[]>('SELECT system_identifier::text AS id FROM pg_control_system()'))[0].id;
      } finally {
        await migrator.destroy();
      }
    } finally {
      await embedded.shutdown();
    }
    return writeTemplate(dir, path.join(work, 'pgdata'), { pglite: pgliteVersion(), migrations: names, systemIdentifier });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `buildTemplate` unless `dir` already holds the template of every migration; says which. */
export async function ensureTemplate(dir: string): Promise<{ file: string; made: boolean }> {
  const { template } = findTemplate(dir, pgliteVersion(), migrationNames(migrations));
  if (template?.manifest.migrations.length === migrations.length) return { file: template.file, made: false };
  return { file: await buildTemplate(dir), made: true };
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
  let embedded: Embedded | null = null;
  // PGlite runs one backend; the socket multiplexes connections message by message, so one
  // pooled connection keeps each statement's Parse/Bind/Execute together.
  const poolMax = config.kind === 'embedded' ? 1 : config.poolMax;
  if (config.kind === 'embedded') {
    ({ connection, shutdown } = embedded = await openEmbedded(config.dataDir, {
      inMemory: opts.inMemory ?? false,
      templateDir: config.templateDir ?? null,
      migrations: migrationNames(migrations),
      onNotice: opts.onNotice ?? ((line) => process.stderr.write(`${line}\n`)),
    }));
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
    embedded,
    close() {
      closing ??= (async () => {
        if (ds.isInitialized) await ds.destroy();
        await shutdown();
      })();
      return closing;
    },
  };
}

"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.entities = void 0;
exports.dataSourceOptions = dataSourceOptions;
exports.openDatabase = openDatabase;
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const pglite_1 = require("@electric-sql/pglite");
const pglite_socket_1 = require("@electric-sql/pglite-socket");
const pg_1 = require("pg");
const typeorm_1 = require("typeorm");
const accesskey_entity_1 = require("../accesskeys/accesskey.entity");
const customer_entity_1 = require("../customers/customer.entity");
const time_1 = require("../time");
const migrations_1 = require("../../migrations");
const lock_1 = require("./lock");
const TIMESTAMPTZ_OID = 1184;
/**
 * `pg` turns timestamptz into a millisecond `Date`; parse it into an `Instant`
 * instead so microseconds survive. TypeORM passes non-string values through.
 */
const typeParsers = {
    getTypeParser(oid, format) {
        if (oid === TIMESTAMPTZ_OID && format !== 'binary') {
            return (text) => {
                const instant = time_1.Instant.parse(text);
                if (!instant)
                    throw new Error(`unexpected timestamptz text from the database: ${text}`);
                return instant;
            };
        }
        return pg_1.types.getTypeParser(oid, format);
    },
};
exports.entities = [customer_entity_1.Customer, accesskey_entity_1.Accesskey];
function dataSourceOptions(connection, poolMax) {
    return {
        type: 'postgres',
        ...('url' in connection
            ? { url: connection.url }
            : { host: connection.host, port: connection.port, username: 'postgres', database: 'postgres' }),
        entities: exports.entities,
        migrations: migrations_1.migrations,
        migrationsTableName: 'migrations',
        synchronize: false,
        logging: false,
        extra: { max: poolMax, types: typeParsers, connectionTimeoutMillis: 10000 },
    };
}
async function openEmbedded(dataDir, inMemory) {
    const release = inMemory ? () => undefined : (0, lock_1.lockDataDir)(dataDir);
    let pglite;
    let socketServer;
    // Unix socket paths are limited to ~107 bytes, so the socket lives in a short private temp dir.
    const socketDir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'akd-'));
    const shutdown = async () => {
        await socketServer?.stop().catch(() => undefined);
        if (pglite && !pglite.closed)
            await pglite.close();
        node_fs_1.default.rmSync(socketDir, { recursive: true, force: true });
        release();
    };
    try {
        pglite = await pglite_1.PGlite.create(inMemory ? 'memory://' : node_path_1.default.join(dataDir, 'pgdata'));
        socketServer = new pglite_socket_1.PGLiteSocketServer({ db: pglite, path: node_path_1.default.join(socketDir, '.s.PGSQL.5432'), maxConnections: 4 });
        await socketServer.start();
    }
    catch (err) {
        await shutdown();
        throw err;
    }
    // PGlite runs one backend; the socket multiplexes connections message by message, so one
    // pooled connection keeps each statement's Parse/Bind/Execute together.
    return { options: dataSourceOptions({ host: socketDir, port: 5432 }, 1), shutdown };
}
/** Opens the configured database: embedded PGlite (served over a private socket) or PostgreSQL. */
async function openDatabase(config, opts = {}) {
    let options;
    let shutdown = async () => undefined;
    if (config.kind === 'embedded') {
        ({ options, shutdown } = await openEmbedded(config.dataDir, opts.inMemory ?? false));
    }
    else {
        options = dataSourceOptions({ url: config.url }, config.poolMax);
    }
    const dataSource = new typeorm_1.DataSource(options);
    try {
        await dataSource.initialize();
        if (opts.migrate)
            await dataSource.runMigrations({ transaction: 'each' });
    }
    catch (err) {
        if (dataSource.isInitialized)
            await dataSource.destroy();
        await shutdown();
        throw err;
    }
    let closing;
    return {
        dataSource,
        kind: config.kind,
        close() {
            closing ??= (async () => {
                if (dataSource.isInitialized)
                    await dataSource.destroy();
                await shutdown();
            })();
            return closing;
        },
    };
}

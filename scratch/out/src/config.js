"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigError = void 0;
exports.loadConfig = loadConfig;
const node_path_1 = __importDefault(require("node:path"));
class ConfigError extends Error {
    name = 'ConfigError';
}
exports.ConfigError = ConfigError;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
function intVar(env, name, fallback, min, max) {
    const raw = env[name];
    if (raw === undefined || raw === '')
        return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    }
    return Number(raw);
}
function databaseConfig(env, cwd) {
    const url = env.DATABASE_URL;
    if (url !== undefined && url !== '') {
        let parsed;
        try {
            parsed = new URL(url);
        }
        catch {
            throw new ConfigError('DATABASE_URL must be a URL such as postgres://user@host:5432/db');
        }
        if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
            throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql:// (got "${parsed.protocol}")`);
        }
        return Object.freeze({ kind: 'postgres', url, poolMax: intVar(env, 'DB_POOL_MAX', 10, 1, 1000) });
    }
    const dataDir = env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data';
    return Object.freeze({ kind: 'embedded', dataDir: node_path_1.default.resolve(cwd, dataDir) });
}
/**
 * Reads and validates the configuration. Throws a `ConfigError` whose message
 * names the offending variable.
 */
function loadConfig(env = process.env, cwd = process.cwd()) {
    const host = env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1';
    if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host))
        throw new ConfigError(`HOST is not a valid host name or address (got "${host}")`);
    const logLevel = (env.LOG_LEVEL && env.LOG_LEVEL !== '' ? env.LOG_LEVEL : 'info');
    if (!LOG_LEVELS.includes(logLevel)) {
        throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
    }
    return Object.freeze({
        host,
        port: intVar(env, 'PORT', 8080, 0, 65535),
        database: databaseConfig(env, cwd),
        logLevel,
        shutdownGraceMs: intVar(env, 'SHUTDOWN_GRACE_MS', 10000, 0, 600000),
    });
}

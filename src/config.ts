import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseBounds, DatabaseConfig } from './db/config';
import type { GraphQLLimits } from './graphql/limits';
import type { LogLevel } from './http/logging';
import { parseTrustProxy } from './http/trust-proxy';
import type { TrustProxy } from './http/trust-proxy';
import { LEAK_POLICIES, isLeakPolicy } from './keys/leak-policy';
import type { LeakPolicy } from './keys/leak-policy';
import { parseLeakReportKeys } from './leaks/leak.keys';
import type { LeakReportKey } from './leaks/leak.keys';
import { DEFAULT_REMINDER_DAYS, DEFAULT_RETRY_SCHEDULE, parseNumberList } from './webhooks/webhook.config';
import type { WebhookConfig } from './webhooks/webhook.config';
import type { PolicyConfig } from './policy/config';
import { RATE_LIMIT_STORES } from './policy/rate-limiter';
import type { RateLimitStore } from './policy/rate-limiter';

/** The whole configuration, validated once; nothing else reads `process.env`. */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** `TRUST_PROXY`: which peers' `X-Forwarded-For` names the client (default `false`: none; the peer is the client). */
  readonly trustProxy: TrustProxy;
  readonly database: DatabaseConfig;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
  /** How long a client may take to send a whole request (headers and body) before it is cut with 408. */
  readonly requestTimeoutMs: number;
  readonly auth: AuthConfig;
  /** Serve the GraphiQL playground and Swagger UI (default: on, off when NODE_ENV=production). */
  readonly playground: boolean;
  readonly metrics: MetricsConfig;
  readonly authCache: AuthCacheConfig;
  readonly graphql: GraphQLConfig;
  /** The longest lifetime a new key may get, in seconds (create, CLI; a rotation's new key is capped to it). */
  readonly maxKeyLifetimeSeconds: number;
  /** How often recorded key uses are written to `tm_last_used` (the most a crash loses), 1–60 s. */
  readonly lastUsedFlushSeconds: number;
  /** `AUDIT_RETENTION_DAYS`: audit events older than this many days are pruned; `null` (default) keeps everything. */
  readonly auditRetentionDays: number | null;
  readonly leakReports: LeakReportConfig;
  readonly webhooks: WebhookConfig;
  /** Usage policy per key: where rate-limit counters live, usage analytics. */
  readonly policy: PolicyConfig;
}

/** `POST /v1.0/accesskeys/leaks`: who may report leaked tokens, and what a report does. */
export interface LeakReportConfig {
  /** The public keys of `LEAK_REPORT_KEYS`; none (the default) refuses every report. */
  readonly keys: readonly LeakReportKey[];
  /** `LEAK_POLICY`: what a report does to a key of ours (default disable). */
  readonly policy: LeakPolicy;
}

/** The platform's bounds on a key's lifetime: one day, and the largest 32-bit signed number of seconds. */
const KEY_LIFETIME_BOUNDS = { min: 86400, max: 2147483647 } as const;

/** The in-process authentication cache (see auth/auth-cache.ts). */
export interface AuthCacheConfig {
  /** Entries per kind (keys, agents); 0 switches the cache off. */
  readonly size: number;
  /** Upper bound on how long an entry lives without any invalidation. */
  readonly ttlSeconds: number;
}

/** What one GraphQL request may ask for, and whether the schema is open to inspection. */
export interface GraphQLConfig {
  /** Introspection and "Did you mean …?" suggestions (default: on, off when NODE_ENV=production). */
  readonly introspection: boolean;
  readonly limits: GraphQLLimits;
}

/** `/metrics`: off, on the main port, or on a port of its own. */
export type MetricsConfig =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly port: number | null; readonly host: string };

export interface AuthConfig {
  /** HS256 key for session tokens; `null` means "generate one" (see auth/session-key.ts). */
  readonly jwtKey: string | null;
  readonly sessionTtlSeconds: number;
  /** `Secure` attribute on the session cookie; off only for plain-HTTP local use. */
  readonly cookieSecure: boolean;
  /** Failed logins allowed per username and per client address within the window. */
  readonly loginMaxFailures: number;
  readonly loginWindowSeconds: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}")`);
}

function authConfig(env: Env): AuthConfig {
  const jwtKey = env.JWT_KEY && env.JWT_KEY !== '' ? env.JWT_KEY : null;
  if (jwtKey !== null && Buffer.byteLength(jwtKey, 'utf8') < 32) {
    throw new ConfigError('JWT_KEY must be at least 32 bytes long (e.g. `openssl rand -base64 48`)');
  }
  return Object.freeze({
    jwtKey,
    sessionTtlSeconds: intVar(env, 'SESSION_TTL_SECONDS', 7 * 24 * 3600, 60, 365 * 24 * 3600),
    cookieSecure: boolVar(env, 'COOKIE_SECURE', true),
    loginMaxFailures: intVar(env, 'LOGIN_MAX_FAILURES', 10, 1, 100000),
    loginWindowSeconds: intVar(env, 'LOGIN_WINDOW_SECONDS', 60, 1, 86400),
  });
}

function metricsConfig(env: Env, host: string): MetricsConfig {
  if (!boolVar(env, 'METRICS', true)) return Object.freeze({ enabled: false });
  const port = env.METRICS_PORT === undefined || env.METRICS_PORT === '' ? null : intVar(env, 'METRICS_PORT', 0, 1, 65535);
  const metricsHost = env.METRICS_HOST && env.METRICS_HOST !== '' ? env.METRICS_HOST : host;
  return Object.freeze({ enabled: true, port, host: metricsHost });
}

function databaseBounds(env: Env): DatabaseBounds {
  return Object.freeze({
    statementTimeoutMs: intVar(env, 'DB_STATEMENT_TIMEOUT_MS', 5000, 100, 3600000),
    acquireTimeoutMs: intVar(env, 'DB_ACQUIRE_TIMEOUT_MS', 3000, 100, 600000),
  });
}

function postgresUrl(env: Env, name: string): string {
  const url = env[name]!;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${name} must be a URL such as postgres://user@host:5432/db`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must start with postgres:// or postgresql:// (got "${parsed.protocol}")`);
  }
  return url;
}

function graphQLConfig(env: Env): GraphQLConfig {
  return Object.freeze({
    introspection: boolVar(env, 'GRAPHQL_INTROSPECTION', env.NODE_ENV !== 'production'),
    limits: Object.freeze({
      maxDepth: intVar(env, 'GRAPHQL_MAX_DEPTH', 8, 1, 1000),
      maxAliases: intVar(env, 'GRAPHQL_MAX_ALIASES', 15, 0, 100000),
      maxCost: intVar(env, 'GRAPHQL_MAX_COST', 10000, 1, 1000000000),
      maxTokens: intVar(env, 'GRAPHQL_MAX_TOKENS', 1000, 10, 1000000),
      maxDirectives: intVar(env, 'GRAPHQL_MAX_DIRECTIVES', 10, 0, 100000),
    }),
  });
}

function leakReportConfig(env: Env, cwd: string): LeakReportConfig {
  const policy = env.LEAK_POLICY && env.LEAK_POLICY !== '' ? env.LEAK_POLICY : 'disable';
  if (!isLeakPolicy(policy)) throw new ConfigError(`LEAK_POLICY must be one of ${LEAK_POLICIES.join(', ')} (got "${policy}")`);
  const file = env.LEAK_REPORT_KEYS;
  if (file === undefined || file === '') return Object.freeze({ keys: Object.freeze([]), policy });
  const full = path.resolve(cwd, file);
  let pem: string;
  try {
    pem = fs.readFileSync(full, 'utf8');
  } catch (err) {
    throw new ConfigError(`LEAK_REPORT_KEYS: cannot read ${full} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return Object.freeze({ keys: Object.freeze(parseLeakReportKeys(pem)), policy });
  } catch (err) {
    throw new ConfigError(`LEAK_REPORT_KEYS: ${full} ${(err as Error).message}`);
  }
}

function listVar(env: Env, name: string, fallback: readonly number[], min: number, max: number): readonly number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const list = parseNumberList(raw, min, max);
  if (!list) throw new ConfigError(`${name} must be a comma-separated list of whole numbers from ${min} to ${max} (got "${raw}")`);
  return Object.freeze(list);
}

function webhookConfig(env: Env): WebhookConfig {
  const raw = env.WEBHOOK_SECRET_KEY;
  let secretKey: Uint8Array | null = null;
  if (raw !== undefined && raw !== '') {
    const key = Buffer.from(raw, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/=_-]+$/.test(raw)) throw new ConfigError('WEBHOOK_SECRET_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
    secretKey = new Uint8Array(key);
  }
  return Object.freeze({
    secretKey,
    retrySchedule: listVar(env, 'WEBHOOK_RETRY_SCHEDULE', DEFAULT_RETRY_SCHEDULE, 1, 604800),
    timeoutMs: intVar(env, 'WEBHOOK_TIMEOUT_MS', 10000, 100, 120000),
    allowHttp: boolVar(env, 'WEBHOOK_ALLOW_HTTP', false),
    allowPrivateNetworks: boolVar(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    disableAfterHours: intVar(env, 'WEBHOOK_DISABLE_AFTER_HOURS', 72, 1, 8760),
    concurrency: intVar(env, 'WEBHOOK_CONCURRENCY', 8, 1, 1000),
    endpointConcurrency: env.WEBHOOK_ENDPOINT_CONCURRENCY ? intVar(env, 'WEBHOOK_ENDPOINT_CONCURRENCY', 4, 1, 1000) : null,
    pollMs: intVar(env, 'WEBHOOK_POLL_MS', 1000, 50, 3600000),
    expiryReminderDays: listVar(env, 'EXPIRY_REMINDER_DAYS', DEFAULT_REMINDER_DAYS, 1, 3650),
    expiryScanSeconds: intVar(env, 'EXPIRY_SCAN_SECONDS', 60, 1, 86400),
  });
}

function policyConfig(env: Env, database: DatabaseConfig): PolicyConfig {
  const redisUrl = env.REDIS_URL && env.REDIS_URL !== '' ? env.REDIS_URL : null;
  if (redisUrl !== null) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(redisUrl);
    } catch {
      // reported below
    }
    if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
      throw new ConfigError('REDIS_URL must be a URL such as redis://127.0.0.1:6379');
    }
  }
  const fallback: RateLimitStore = database.kind === 'postgres' ? 'postgres' : 'memory';
  const store = (env.RATE_LIMIT_STORE && env.RATE_LIMIT_STORE !== '' ? env.RATE_LIMIT_STORE : fallback) as RateLimitStore;
  if (!RATE_LIMIT_STORES.includes(store)) {
    throw new ConfigError(`RATE_LIMIT_STORE must be one of ${RATE_LIMIT_STORES.join(', ')} (got "${env.RATE_LIMIT_STORE}")`);
  }
  if (store === 'redis' && redisUrl === null) throw new ConfigError('RATE_LIMIT_STORE=redis needs REDIS_URL');
  return Object.freeze({
    rateLimit: Object.freeze({ store, redisUrl, timeoutMs: intVar(env, 'RATE_LIMIT_TIMEOUT_MS', 250, 10, 60000) }),
    usageFlushSeconds: intVar(env, 'USAGE_FLUSH_SECONDS', 60, 1, 3600),
    usageRetentionDays: intVar(env, 'USAGE_RETENTION_DAYS', 90, 1, 36500),
  });
}

function databaseConfig(env: Env, cwd: string): DatabaseConfig {
  const bounds = databaseBounds(env);
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    postgresUrl(env, 'DATABASE_URL');
    const listenUrl = env.DATABASE_LISTEN_URL && env.DATABASE_LISTEN_URL !== '' ? postgresUrl(env, 'DATABASE_LISTEN_URL') : url;
    return Object.freeze({
      kind: 'postgres',
      url,
      poolMax: intVar(env, 'DB_POOL_MAX', 10, 1, 1000),
      bounds,
      connectRetrySeconds: intVar(env, 'DB_CONNECT_RETRY_SECONDS', 30, 0, 3600),
      listenUrl,
      namedStatements: boolVar(env, 'DB_NAMED_STATEMENTS', true),
    });
  }
  const dataDir = env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data';
  return Object.freeze({ kind: 'embedded', dataDir: path.resolve(cwd, dataDir), bounds });
}

/**
 * Reads and validates the configuration. Throws a `ConfigError` whose message
 * names the offending variable.
 */
/**
 * The configuration of an empty environment: every setting's default. For
 * callers that leave settings out (tests, embedders); the one place those
 * defaults come from.
 */
export function defaultConfig(): Config {
  return loadConfig({});
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const host = env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) throw new ConfigError(`HOST is not a valid host name or address (got "${host}")`);
  const logLevel = (env.LOG_LEVEL && env.LOG_LEVEL !== '' ? env.LOG_LEVEL : 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  const database = databaseConfig(env, cwd);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  if (trustProxy === null) {
    throw new ConfigError(`TRUST_PROXY must be false, true or a comma-separated list of the proxies' addresses and CIDRs; a hop count is not accepted, list the proxies instead (got "${env.TRUST_PROXY}")`);
  }
  return Object.freeze({
    host,
    port: intVar(env, 'PORT', 8080, 0, 65535),
    trustProxy,
    database,
    logLevel,
    shutdownGraceMs: intVar(env, 'SHUTDOWN_GRACE_MS', 10000, 0, 600000),
    requestTimeoutMs: intVar(env, 'REQUEST_TIMEOUT_MS', 30000, 100, 3600000),
    auth: authConfig(env),
    playground: boolVar(env, 'PLAYGROUND', env.NODE_ENV !== 'production'),
    metrics: metricsConfig(env, host),
    authCache: Object.freeze({
      size: intVar(env, 'AUTH_CACHE_SIZE', 10000, 0, 10_000_000),
      ttlSeconds: intVar(env, 'AUTH_CACHE_TTL_SECONDS', 30, 1, 3600),
    }),
    graphql: graphQLConfig(env),
    maxKeyLifetimeSeconds: intVar(env, 'MAX_KEY_LIFETIME_SECONDS', KEY_LIFETIME_BOUNDS.max, KEY_LIFETIME_BOUNDS.min, KEY_LIFETIME_BOUNDS.max),
    // At most a minute, so tmLastUsed stays accurate to within about a minute.
    lastUsedFlushSeconds: intVar(env, 'LAST_USED_FLUSH_SECONDS', 60, 1, 60),
    auditRetentionDays: env.AUDIT_RETENTION_DAYS === undefined || env.AUDIT_RETENTION_DAYS === '' ? null : intVar(env, 'AUDIT_RETENTION_DAYS', 0, 1, 36500),
    leakReports: leakReportConfig(env, cwd),
    webhooks: webhookConfig(env),
    policy: policyConfig(env, database),
  });
}

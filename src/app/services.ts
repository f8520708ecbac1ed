import { randomBytes } from 'node:crypto';
import { AccesskeyService } from '../accesskeys/accesskey.service';
import { AgentService } from '../agents/agent.service';
import { AgentStore } from '../agents/agent.store';
import { PasswordHasher } from '../agents/password';
import { AuditLog } from '../audit/audit.log';
import { AuditStore } from '../audit/audit.store';
import { AuthCache } from '../auth/auth-cache';
import { Authenticator } from '../auth/authenticator';
import { CanaryAlarm } from '../auth/canary';
import { MemoryLoginLimiter, SharedLoginLimiter } from '../auth/login-limiter';
import { LoginService } from '../auth/login.service';
import { SessionTokens } from '../auth/session';
import { defaultConfig } from '../config';
import type { AuthCacheConfig, AuthConfig, LeakReportConfig } from '../config';
import { CustomerService } from '../customers/customer.service';
import { CustomerStore } from '../customers/customer.store';
import type { Database } from '../db/database';
import type { Queryable } from '../db/sql';
import { AccesskeyStore } from '../keys/accesskey.store';
import type { LeakPolicy } from '../keys/leak-policy';
import { UsageRecorder } from '../keys/usage';
import { LeakReceiptStore } from '../leaks/leak.receipts';
import { LeakService } from '../leaks/leak.service';
import type { Observer } from '../observability';
import { systemClock } from '../time';
import type { Clock } from '../time';
import { VerifyService } from '../verification/verify.service';

/**
 * The services and the stores under them, each built once here and handed
 * down as typed deps (app.ts puts them behind the transports; the CLI uses
 * them directly).
 */

export interface ServiceOptions {
  readonly clock?: Clock;
  /** Receives authentication outcomes and key events (metrics). */
  readonly observer?: Observer;
  /** Session and login settings; the defaults of an empty environment when absent. */
  readonly auth?: AuthConfig;
  /** HS256 key for session tokens; a random one (sessions die with the process) when absent. */
  readonly sessionKey?: Uint8Array;
  /** The authentication cache; the defaults of an empty environment when absent. */
  readonly authCache?: AuthCacheConfig;
  /** `MAX_KEY_LIFETIME_SECONDS`; the platform's maximum when absent. */
  readonly maxKeyLifetimeSeconds?: number;
  /** `LAST_USED_FLUSH_SECONDS`; 60 when absent. */
  readonly lastUsedFlushSeconds?: number;
  /** `AUDIT_RETENTION_DAYS`; absent or `null`: the audit trail keeps everything. */
  readonly auditRetentionDays?: number | null;
  /** `LEAK_REPORT_KEYS` and `LEAK_POLICY`; no keys (every report refused) when absent. */
  readonly leakReports?: LeakReportConfig;
}

export interface Services {
  readonly accesskeys: AccesskeyService;
  /** The audit trail: every change's event, chains, verification, retention. */
  readonly audit: AuditLog;
  readonly customers: CustomerService;
  readonly agents: AgentService;
  readonly passwords: PasswordHasher;
  readonly sessions: SessionTokens;
  readonly login: LoginService;
  readonly authenticator: Authenticator;
  readonly verify: VerifyService;
  /** Leak reports from secret-scanning partners. */
  readonly leaks: LeakService;
  readonly auth: AuthConfig;
  readonly authCache: AuthCache;
  /** Last uses of keys, waiting to be written (the app flushes them on a timer and on close). */
  readonly usage: UsageRecorder;
  /** Records uses of canary keys (the app waits for its writes on close). */
  readonly canaries: CanaryAlarm;
}

/** The stores: the one home of each table's SQL, built once here and handed to every service that needs them. */
export interface Stores {
  readonly accesskeys: AccesskeyStore;
  readonly agents: AgentStore;
  readonly customers: CustomerStore;
  readonly audit: AuditStore;
  readonly leakReceipts: LeakReceiptStore;
}

export function createStores(db: Queryable): Stores {
  return {
    accesskeys: new AccesskeyStore(db),
    agents: new AgentStore(db),
    customers: new CustomerStore(db),
    audit: new AuditStore(db),
    leakReceipts: new LeakReceiptStore(db),
  };
}

/** The service settings with every default applied, once (the defaults of an empty environment: config.ts). */
interface ServiceSettings {
  readonly clock: Clock;
  readonly observer: Observer | undefined;
  readonly auth: AuthConfig;
  readonly sessionKey: Uint8Array;
  readonly authCache: AuthCacheConfig;
  readonly maxKeyLifetimeSeconds: number | undefined;
  readonly lastUsedFlushSeconds: number;
  readonly leakPolicy: LeakPolicy;
}

function serviceSettings(options: ServiceOptions): ServiceSettings {
  const defaults = defaultConfig();
  return {
    clock: options.clock ?? systemClock,
    observer: options.observer,
    auth: options.auth ?? defaults.auth,
    sessionKey: options.sessionKey ?? new Uint8Array(randomBytes(48)),
    authCache: options.authCache ?? defaults.authCache,
    maxKeyLifetimeSeconds: options.maxKeyLifetimeSeconds,
    lastUsedFlushSeconds: options.lastUsedFlushSeconds ?? defaults.lastUsedFlushSeconds,
    leakPolicy: options.leakReports?.policy ?? defaults.leakReports.policy,
  };
}

export function createServices(database: Database, options: ServiceOptions = {}): Services {
  const { clock, observer, auth, authCache: cacheConfig, ...settings } = serviceSettings(options);
  const db = database.sql;
  const stores = createStores(db);
  const authCache = new AuthCache({
    size: cacheConfig.size,
    ttlSeconds: cacheConfig.ttlSeconds,
    negativeTtlSeconds: Math.min(5, cacheConfig.ttlSeconds),
    clock,
    // With several processes on one database the cache is used only while subscribed to invalidations (see buildApp).
    suspended: database.listen !== null,
  });
  const passwords = new PasswordHasher();
  const audit = new AuditLog({ db, store: stores.audit, clock });
  const customers = new CustomerService({ store: stores.customers, clock });
  const agents = new AgentService({ db, store: stores.agents, customers: stores.customers, audit, clock, passwords, changes: authCache });
  const sessions = new SessionTokens(settings.sessionKey, clock, auth.sessionTtlSeconds);
  const window = { maxFailures: auth.loginMaxFailures, windowSeconds: auth.loginWindowSeconds };
  // One process on the embedded database; on PostgreSQL every replica shares the count.
  const limiter = database.kind === 'postgres' ? new SharedLoginLimiter(db, clock, window) : new MemoryLoginLimiter(clock, window);
  const usage = new UsageRecorder(stores.accesskeys, { clock, flushSeconds: settings.lastUsedFlushSeconds });
  const canaries = new CanaryAlarm({ audit, clock, observer });
  const authenticator = new Authenticator({ keys: stores.accesskeys, cache: authCache, clock, sessions, agents, observer, usage, canaries });
  return {
    accesskeys: new AccesskeyService({
      db, store: stores.accesskeys, customers: stores.customers, audit, clock, changes: authCache, observer, maxLifetimeSeconds: settings.maxKeyLifetimeSeconds,
    }),
    audit,
    customers,
    agents,
    passwords,
    sessions,
    login: new LoginService({ agents, passwords, sessions, limiter, audit }),
    authenticator,
    // A verification counts as a use of the verified key.
    verify: new VerifyService({ authenticator, listener: { onVerified: (keyId) => usage.record(keyId) } }),
    leaks: new LeakService({
      db, keys: stores.accesskeys, receipts: stores.leakReceipts, audit, clock, changes: authCache, policy: settings.leakPolicy, observer, canaries,
    }),
    auth,
    authCache,
    usage,
    canaries,
  };
}

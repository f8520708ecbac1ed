import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { accesskeyRoutes } from '../accesskeys/accesskey.routes';
import { AccesskeyService } from '../accesskeys/accesskey.service';
import { verifyRoutes } from '../verification/verify.routes';
import { registerConsole } from '../console/console.routes';
import { registerHome } from '../console/home';
import { LeakSignatures } from '../leaks/leak.keys';
import { leakRoutes } from '../leaks/leak.routes';
import { LeakService } from '../leaks/leak.service';
import { VerifyService } from '../verification/verify.service';
import { AgentService } from '../agents/agent.service';
import { AuditLog } from '../audit/audit.log';
import { AuditRetention } from '../audit/retention';
import { AccesskeyStore } from '../keys/accesskey.store';
import { UsageRecorder } from '../keys/usage';
import { AuthCache } from '../auth/auth-cache';
import { Authenticator } from '../auth/authenticator';
import { CanaryAlarm } from '../auth/canary';
import { authenticateHttp } from '../auth/rest-auth';
import { MemoryLoginLimiter, SharedLoginLimiter } from '../auth/login-limiter';
import { loginRoutes } from '../auth/login.routes';
import { LoginService } from '../auth/login.service';
import { PasswordHasher } from '../agents/password';
import { SessionTokens } from '../auth/session';
import { loadConfig } from '../config';
import type { AuthCacheConfig, AuthConfig, GraphQLConfig, LeakReportConfig } from '../config';
import { CustomerService } from '../customers/customer.service';
import type { Database } from '../db/database';
import { DatabaseHealth } from '../db/health';
import type { AuthenticateRequest } from '../graphql/context';
import { InvalidationListener } from '../auth/invalidation-listener';
import { buildAppSchema } from './graphql-schema';
import { registerGraphQL } from './graphql-server';
import { ClientErrors } from '../http/client-errors';
import { GracefulClose } from '../http/closing';
import { registerCompression } from '../http/compression';
import { installErrorHandling } from '../http/errors';
import { registerHealthRoutes } from '../http/health';
import { logRequests } from '../http/logging';
import { Metrics } from '../http/metrics';
import { registerApiDocs, registerOpenApi } from './openapi';
import type { Observer } from '../observability';
import { requestIdFor } from '../http/request-id';
import { noSniff } from '../http/security-headers';
import { systemClock } from '../time';
import type { Clock } from '../time';

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

export interface AppOptions extends ServiceOptions {
  readonly database: Database;
  /** Fastify logger options, or `false` for none. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Serve the GraphiQL playground and Swagger UI (default true). */
  readonly playground?: boolean;
  /** Where `/metrics` is served: on this app (default), elsewhere (the caller mounts it), or nowhere. */
  readonly metricsRoute?: 'app' | 'separate' | 'off';
  /** Smallest response body that is compressed (default `COMPRESSION_THRESHOLD_BYTES`). */
  readonly compressionThreshold?: number;
  /** How long a client may take to send a whole request before it is cut with 408 (default: `REQUEST_TIMEOUT_MS`'s default). */
  readonly requestTimeoutMs?: number;
  /** GraphQL introspection and request limits; the defaults of an empty environment when absent. */
  readonly graphql?: GraphQLConfig;
}

/**
 * Node checks request deadlines on a timer (30 s by default), so a deadline
 * could be overrun by up to that much; checking at least twice per timeout
 * (and at least every second) keeps the overrun small.
 */
const checkingIntervalFor = (timeoutMs: number) => Math.max(50, Math.min(1000, Math.floor(timeoutMs / 2)));

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

export function createServices(database: Database, options: ServiceOptions = {}): Services {
  const { dataSource } = database;
  const clock = options.clock ?? systemClock;
  const defaults = options.auth && options.authCache ? null : loadConfig({});
  const auth = options.auth ?? defaults!.auth;
  const cacheConfig = options.authCache ?? defaults!.authCache;
  const customers = new CustomerService(dataSource, clock);
  const authCache = new AuthCache({
    size: cacheConfig.size,
    ttlSeconds: cacheConfig.ttlSeconds,
    negativeTtlSeconds: Math.min(5, cacheConfig.ttlSeconds),
    clock,
    // With several processes on one database the cache is used only while subscribed to invalidations (see buildApp).
    suspended: database.listen !== null,
  });
  const passwords = new PasswordHasher();
  const audit = new AuditLog(database.sql, clock);
  const agents = new AgentService(dataSource, database.sql, audit, clock, passwords, authCache);
  const sessions = new SessionTokens(options.sessionKey ?? new Uint8Array(randomBytes(48)), clock, auth.sessionTtlSeconds);
  const window = { maxFailures: auth.loginMaxFailures, windowSeconds: auth.loginWindowSeconds };
  // One process on the embedded database; on PostgreSQL every replica shares the count.
  const limiter = database.kind === 'postgres' ? new SharedLoginLimiter(database.sql, clock, window) : new MemoryLoginLimiter(clock, window);
  const store = new AccesskeyStore(database.sql);
  const usage = new UsageRecorder(store, { clock, flushSeconds: options.lastUsedFlushSeconds ?? 60 });
  const canaries = new CanaryAlarm(audit, clock, options.observer);
  const authenticator = new Authenticator(store, authCache, clock, sessions, agents, options.observer, usage, canaries);
  return {
    accesskeys: new AccesskeyService(database.sql, audit, customers, clock, authCache, options.observer, options.maxKeyLifetimeSeconds),
    audit,
    customers,
    agents,
    passwords,
    sessions,
    login: new LoginService(agents, passwords, sessions, limiter, audit),
    authenticator,
    // A verification counts as a use of the verified key.
    verify: new VerifyService(authenticator, { onVerified: (keyId) => usage.record(keyId) }),
    leaks: new LeakService(database.sql, audit, clock, authCache, options.leakReports?.policy ?? 'disable', options.observer, canaries),
    auth,
    authCache,
    usage,
    canaries,
  };
}

/** Composition root: services, schema and both transports on one Fastify instance (not listening). */
export async function buildApp(
  options: AppOptions,
): Promise<{ app: FastifyInstance; services: Services; metrics: Metrics; shutdown: GracefulClose }> {
  const metrics = new Metrics(options.database);
  const services = createServices(options.database, { ...options, observer: metrics });
  const requestTimeoutMs = options.requestTimeoutMs ?? loadConfig({}).requestTimeoutMs;
  const clientErrors = new ClientErrors();
  const app = Fastify({
    logger: options.logger ?? false,
    // Our own one-line-per-request logging replaces Fastify's two lines (http/logging.ts).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdFor,
    bodyLimit: 64 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    // A client that stalls in its headers or body is answered 408 and disconnected (Node's own deadline).
    requestTimeout: requestTimeoutMs,
    http: { headersTimeout: requestTimeoutMs, connectionsCheckingInterval: checkingIntervalFor(requestTimeoutMs) },
    // ... answered in the platform's envelope (DEADLINE_EXCEEDED) rather than Fastify's default JSON.
    clientErrorHandler: clientErrors.handler(),
    // Refusals while closing come from GracefulClose, in the platform's envelope.
    return503OnClosing: false,
  });
  app.decorateRequest('caller', null);
  await registerCompression(app, options.compressionThreshold);
  noSniff(app);
  const shutdown = new GracefulClose(app);
  clientErrors.track(app);
  logRequests(app);
  if (options.metricsRoute !== 'off') metrics.instrument(app);
  // On the API port anyone may scrape: the public view (see http/metrics.ts).
  if ((options.metricsRoute ?? 'app') === 'app') metrics.registerRoute(app, 'public');
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  // An empty JSON body (a bodiless DELETE sent with Content-Type: application/json) is "no body", not an error.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    return jsonParser(request, text, done);
  });

  // Written on a timer and once more on close; main.ts and the test helper close the database only after the app.
  services.usage.setErrorHandler((err) => app.log.warn({ err }, 'writing last uses of access keys failed; kept for the next try'));
  services.usage.start();
  app.addHook('onClose', () => services.usage.stop());
  services.canaries.setLogger(app.log);
  app.addHook('onClose', () => services.canaries.settled());

  if (options.auditRetentionDays) {
    const retention = new AuditRetention(services.audit, options.auditRetentionDays, app.log);
    app.addHook('onReady', () => retention.start());
    app.addHook('onClose', async () => retention.stop());
  }

  const health = new DatabaseHealth(options.database, app.log, options.clock ?? systemClock);
  const stopWatching = health.watch();
  app.addHook('onClose', async () => stopWatching());
  if (options.database.listen && services.authCache.enabled) {
    const listener = new InvalidationListener(services.authCache, { connection: options.database.listen, heartbeatMs: 1000, log: app.log });
    // Not awaited: until the subscription is up the cache is bypassed, which is slower but never stale.
    void listener.start();
    app.addHook('onClose', () => listener.stop());
  }
  installErrorHandling(app, health);
  await app.register(fastifyCookie);
  await registerOpenApi(app);
  registerHealthRoutes(app, options.database, health);
  await app.register(loginRoutes, {
    login: services.login,
    sessionTtlSeconds: services.auth.sessionTtlSeconds,
    cookieSecure: services.auth.cookieSecure,
  });
  // Before the key routes' encapsulated scopes, so `/accesskeys/verify` is its own static route.
  await app.register(verifyRoutes, { prefix: '/v1.0', service: services.verify, authenticator: services.authenticator });
  // Likewise `/accesskeys/leaks`, which needs no access key (the report is signed).
  await app.register(leakRoutes, { prefix: '/v1.0', service: services.leaks, signatures: new LeakSignatures(options.leakReports?.keys ?? []) });
  await app.register(accesskeyRoutes, { prefix: '/v1.0', service: services.accesskeys, authenticator: services.authenticator });
  await registerApiDocs(app, options.playground ?? true);
  registerConsole(app);
  registerHome(app, { playground: options.playground ?? true });
  const schema = await buildAppSchema({ accesskeys: services.accesskeys, verify: services.verify, audit: services.audit });
  // GraphQL reads credentials exactly as the REST hook does.
  const authenticate: AuthenticateRequest = (request, reply) => authenticateHttp(services.authenticator, request, reply);
  await registerGraphQL(app, schema, authenticate, health, {
    playground: options.playground ?? true,
    graphql: options.graphql,
  });
  return { app, services, metrics, shutdown };
}

import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { accesskeyRoutes } from '../accesskeys/accesskey.routes';
import { verifyRoutes } from '../verification/verify.routes';
import { registerConsole } from '../console/console.routes';
import { registerHome } from '../console/home';
import { LeakSignatures } from '../leaks/leak.keys';
import { leakRoutes } from '../leaks/leak.routes';
import { AuditRetention } from '../audit/retention';
import { authenticateHttp } from '../auth/rest-auth';
import { loginRoutes } from '../auth/login.routes';
import { defaultConfig } from '../config';
import type { GraphQLConfig } from '../config';
import type { Database } from '../db/database';
import { DatabaseHealth } from '../db/health';
import type { AuthenticateRequest } from '../graphql/context';
import { InvalidationListener } from '../auth/invalidation-listener';
import { WEBHOOK_CHANNEL } from '../webhooks/delivery.store';
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
import { createServices } from './services';
import { startPolicyServices } from './policy';
import type { ServiceOptions, Services } from './services';

export type { ServiceOptions, Services } from './services';
import { requestIdFor } from '../http/request-id';
import { noSniff } from '../http/security-headers';
import { fastifyTrustProxy } from '../http/trust-proxy';
import type { TrustProxy } from '../http/trust-proxy';
import { systemClock } from '../time';
import type { Clock } from '../time';

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
  /** `TRUST_PROXY`: whose `X-Forwarded-For` names the client (`request.ip`); default `false`, the connection's peer. */
  readonly trustProxy?: TrustProxy;
  /** `manual`: the webhook delivery worker and expiry scanner are built but not started (tests drive them). Default `auto`. */
  readonly webhookWorker?: 'auto' | 'manual';
}

/**
 * Node checks request deadlines on a timer (30 s by default), so a deadline
 * could be overrun by up to that much; checking at least twice per timeout
 * (and at least every second) keeps the overrun small.
 */
const checkingIntervalFor = (timeoutMs: number) => Math.max(50, Math.min(1000, Math.floor(timeoutMs / 2)));

/** The app's settings with every default applied, once. */
interface AppSettings {
  readonly clock: Clock;
  readonly playground: boolean;
  readonly metricsRoute: 'app' | 'separate' | 'off';
  readonly requestTimeoutMs: number;
  readonly graphql: GraphQLConfig;
  readonly trustProxy: TrustProxy;
}

function appSettings(options: AppOptions): AppSettings {
  const defaults = defaultConfig();
  return {
    clock: options.clock ?? systemClock,
    playground: options.playground ?? true,
    metricsRoute: options.metricsRoute ?? 'app',
    requestTimeoutMs: options.requestTimeoutMs ?? defaults.requestTimeoutMs,
    graphql: options.graphql ?? defaults.graphql,
    trustProxy: options.trustProxy ?? defaults.trustProxy,
  };
}

/** The Fastify instance with its server-level settings: ids, limits, deadlines, and who answers client errors. */
function createFastify(options: AppOptions, settings: AppSettings, clientErrors: ClientErrors): FastifyInstance {
  const { requestTimeoutMs } = settings;
  return Fastify({
    logger: options.logger ?? false,
    // Our own one-line-per-request logging replaces Fastify's two lines (http/logging.ts).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdFor,
    // `request.ip`, the one client address allowlists, the audit trail and the login limiter read.
    trustProxy: fastifyTrustProxy(settings.trustProxy),
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
}

/** What every request gets, whatever its route: compression, headers, graceful closing, logging, metrics, its id. */
async function installRequestHandling(app: FastifyInstance, options: AppOptions, settings: AppSettings, clientErrors: ClientErrors, metrics: Metrics): Promise<GracefulClose> {
  app.decorateRequest('caller', null);
  await registerCompression(app, options.compressionThreshold);
  noSniff(app);
  const shutdown = new GracefulClose(app);
  clientErrors.track(app);
  logRequests(app);
  if (settings.metricsRoute !== 'off') metrics.instrument(app);
  // On the API port anyone may scrape: the public view (see http/metrics.ts).
  if (settings.metricsRoute === 'app') metrics.registerRoute(app, 'public');
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  return shutdown;
}

/** An empty JSON body (a bodiless DELETE sent with Content-Type: application/json) is "no body", not an error. */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    return jsonParser(request, text, done);
  });
}

/** Work that runs beside requests, started with the app and stopped (flushed) when it closes. */
function runBackgroundWork(app: FastifyInstance, services: Services, options: AppOptions): void {
  // Written on a timer and once more on close; main.ts and the test helper close the database only after the app.
  services.usage.setErrorHandler((err) => app.log.warn({ err }, 'writing last uses of access keys failed; kept for the next try'));
  services.usage.start();
  app.addHook('onClose', () => services.usage.stop());
  services.canaries.setLogger(app.log);
  startPolicyServices(services.policy, app);
  app.addHook('onClose', () => services.canaries.settled());
  services.webhooks.setLogger(app.log);
  if ((options.webhookWorker ?? 'auto') === 'auto') app.addHook('onReady', async () => services.webhooks.start());
  app.addHook('onClose', () => services.webhooks.stop());
  if (options.auditRetentionDays) {
    const retention = new AuditRetention(services.audit, options.auditRetentionDays, app.log);
    app.addHook('onReady', () => retention.start());
    app.addHook('onClose', async () => retention.stop());
  }
}

/** Readiness from the database's answers, and, with several processes, the cache's invalidations from the others. */
function watchDatabase(app: FastifyInstance, database: Database, services: Services, settings: AppSettings): DatabaseHealth {
  const health = new DatabaseHealth(database, app.log, settings.clock);
  const stopWatching = health.watch();
  app.addHook('onClose', async () => stopWatching());
  // The webhook worker's wake-up shares the connection: a delivery queued on another replica is sent at once, not at the next poll.
  const worker = services.webhooks.worker;
  if (database.listen && (services.authCache.enabled || worker)) {
    const also: Record<string, () => void> = worker ? { [WEBHOOK_CHANNEL]: () => worker.notified() } : {};
    const listener = new InvalidationListener(services.authCache, { connection: database.listen, heartbeatMs: 1000, log: app.log, also });
    // Not awaited: until the subscription is up the cache is bypassed, which is slower but never stale.
    void listener.start();
    app.addHook('onClose', () => listener.stop());
  }
  return health;
}

/** The REST transport: error envelope, OpenAPI, health, login and the `/v1.0` routes. */
async function registerRest(app: FastifyInstance, services: Services, options: AppOptions, settings: AppSettings, health: DatabaseHealth): Promise<void> {
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
  await registerApiDocs(app, settings.playground);
  registerConsole(app);
  registerHome(app, { playground: settings.playground });
}

/** The GraphQL transport at `/graphql`, reading credentials exactly as the REST hook does. */
async function registerGraphQLTransport(app: FastifyInstance, services: Services, settings: AppSettings, health: DatabaseHealth): Promise<void> {
  const schema = await buildAppSchema({ accesskeys: services.accesskeys, verify: services.verify, audit: services.audit, webhooks: services.webhooks.service, accesskeyPolicy: services.accesskeyPolicy });
  const authenticate: AuthenticateRequest = (request, reply) => authenticateHttp(services.authenticator, request, reply);
  await registerGraphQL(app, schema, authenticate, health, { playground: settings.playground, graphql: settings.graphql });
}

/** Composition root: services, schema and both transports on one Fastify instance (not listening). */
export async function buildApp(
  options: AppOptions,
): Promise<{ app: FastifyInstance; services: Services; metrics: Metrics; shutdown: GracefulClose }> {
  const settings = appSettings(options);
  const metrics = new Metrics(options.database);
  const services = createServices(options.database, { ...options, observer: metrics });
  metrics.addPrivate(services.webhooks.metrics.registry);
  const clientErrors = new ClientErrors();
  const app = createFastify(options, settings, clientErrors);
  const shutdown = await installRequestHandling(app, options, settings, clientErrors, metrics);
  acceptEmptyJsonBodies(app);
  runBackgroundWork(app, services, options);
  const health = watchDatabase(app, options.database, services, settings);
  await registerRest(app, services, options, settings, health);
  await registerGraphQLTransport(app, services, settings, health);
  return { app, services, metrics, shutdown };
}

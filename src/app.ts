import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { accesskeyRoutes } from './accesskeys/accesskey.routes';
import { AccesskeyService } from './accesskeys/accesskey.service';
import { AgentService } from './agents/agent.service';
import { Authenticator } from './auth/authenticator';
import { LoginLimiter } from './auth/login-limiter';
import { loginRoutes } from './auth/login.routes';
import { LoginService } from './auth/login.service';
import { PasswordHasher } from './auth/password';
import { SessionTokens } from './auth/session';
import { loadConfig } from './config';
import type { AuthConfig, GraphQLConfig } from './config';
import { CustomerService } from './customers/customer.service';
import type { Database } from './db/database';
import { buildAppSchema } from './graphql/schema';
import { registerGraphQL } from './graphql/server';
import { closeConnectionsWhenClosing } from './http/closing';
import { installErrorHandling } from './http/errors';
import { registerHealthRoutes } from './http/health';
import { logRequests } from './http/logging';
import { Metrics } from './http/metrics';
import { registerApiDocs, registerOpenApi } from './http/openapi';
import type { Observer } from './observability';
import { requestIdFor } from './http/request-id';
import { systemClock } from './time';
import type { Clock } from './time';

export interface ServiceOptions {
  readonly clock?: Clock;
  /** Receives authentication outcomes and key events (metrics). */
  readonly observer?: Observer;
  /** Session and login settings; the defaults of an empty environment when absent. */
  readonly auth?: AuthConfig;
  /** HS256 key for session tokens; a random one (sessions die with the process) when absent. */
  readonly sessionKey?: Uint8Array;
}

export interface AppOptions extends ServiceOptions {
  readonly database: Database;
  /** Fastify logger options, or `false` for none. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Serve the GraphiQL playground and Swagger UI (default true). */
  readonly playground?: boolean;
  /** Where `/metrics` is served: on this app (default), elsewhere (the caller mounts it), or nowhere. */
  readonly metricsRoute?: 'app' | 'separate' | 'off';
  /** GraphQL introspection and request limits; the defaults of an empty environment when absent. */
  readonly graphql?: GraphQLConfig;
}

export interface Services {
  readonly accesskeys: AccesskeyService;
  readonly customers: CustomerService;
  readonly agents: AgentService;
  readonly passwords: PasswordHasher;
  readonly sessions: SessionTokens;
  readonly login: LoginService;
  readonly authenticator: Authenticator;
  readonly auth: AuthConfig;
}

export function createServices(database: Database, options: ServiceOptions = {}): Services {
  const { dataSource } = database;
  const clock = options.clock ?? systemClock;
  const auth = options.auth ?? loadConfig({}).auth;
  const passwords = new PasswordHasher();
  const agents = new AgentService(dataSource, clock, passwords);
  const sessions = new SessionTokens(options.sessionKey ?? new Uint8Array(randomBytes(48)), clock, auth.sessionTtlSeconds);
  const limiter = new LoginLimiter(clock, auth.loginMaxFailures, auth.loginWindowSeconds);
  return {
    accesskeys: new AccesskeyService(dataSource, clock, options.observer),
    customers: new CustomerService(dataSource, clock),
    agents,
    passwords,
    sessions,
    login: new LoginService(agents, passwords, sessions, limiter),
    authenticator: new Authenticator(dataSource, clock, sessions, agents, options.observer),
    auth,
  };
}

/** Composition root: services, schema and both transports on one Fastify instance (not listening). */
export async function buildApp(options: AppOptions): Promise<{ app: FastifyInstance; services: Services; metrics: Metrics }> {
  const metrics = new Metrics(options.database);
  const services = createServices(options.database, { ...options, observer: metrics });
  const app = Fastify({
    logger: options.logger ?? false,
    // Our own one-line-per-request logging replaces Fastify's two lines (http/logging.ts).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdFor,
    bodyLimit: 64 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorateRequest('caller', null);
  closeConnectionsWhenClosing(app);
  logRequests(app);
  if (options.metricsRoute !== 'off') metrics.instrument(app);
  if ((options.metricsRoute ?? 'app') === 'app') metrics.registerRoute(app);
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

  installErrorHandling(app);
  await app.register(fastifyCookie);
  await registerOpenApi(app);
  registerHealthRoutes(app, options.database);
  await app.register(loginRoutes, {
    login: services.login,
    sessionTtlSeconds: services.auth.sessionTtlSeconds,
    cookieSecure: services.auth.cookieSecure,
  });
  await app.register(accesskeyRoutes, { prefix: '/v1.0', service: services.accesskeys, authenticator: services.authenticator });
  await registerApiDocs(app, options.playground ?? true);
  await registerGraphQL(app, await buildAppSchema({ accesskeys: services.accesskeys }), services.authenticator, {
    playground: options.playground ?? true,
    graphql: options.graphql,
  });
  return { app, services, metrics };
}

import 'reflect-metadata';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { accesskeyRoutes } from './accesskeys/accesskey.routes';
import { AccesskeyService } from './accesskeys/accesskey.service';
import { Authenticator } from './auth/authenticator';
import { CustomerService } from './customers/customer.service';
import type { Database } from './db/database';
import { buildAppSchema } from './graphql/schema';
import { registerGraphQL } from './graphql/server';
import { closeConnectionsWhenClosing } from './http/closing';
import { installErrorHandling } from './http/errors';
import { requestIdFor } from './http/request-id';
import { systemClock } from './time';
import type { Clock } from './time';

export interface AppOptions {
  readonly database: Database;
  readonly clock?: Clock;
  /** Fastify logger options, or `false` for none. */
  readonly logger?: FastifyServerOptions['logger'];
}

export interface Services {
  readonly accesskeys: AccesskeyService;
  readonly customers: CustomerService;
  readonly authenticator: Authenticator;
}

export function createServices(database: Database, clock: Clock = systemClock): Services {
  const { dataSource } = database;
  return {
    accesskeys: new AccesskeyService(dataSource, clock),
    customers: new CustomerService(dataSource, clock),
    authenticator: new Authenticator(dataSource, clock),
  };
}

/** Composition root: services, schema and both transports on one Fastify instance (not listening). */
export async function buildApp(options: AppOptions): Promise<{ app: FastifyInstance; services: Services }> {
  const services = createServices(options.database, options.clock);
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: requestIdFor,
    bodyLimit: 64 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorateRequest('caller', null);
  closeConnectionsWhenClosing(app);
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
  await app.register(accesskeyRoutes, { prefix: '/v1.0', service: services.accesskeys, authenticator: services.authenticator });
  await registerGraphQL(app, await buildAppSchema({ accesskeys: services.accesskeys }), services.authenticator);
  return { app, services };
}

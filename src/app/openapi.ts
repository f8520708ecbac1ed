import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { accesskeySchemas } from '../accesskeys/accesskey.schemas';
import { leakSchemas } from '../leaks/leak.schemas';
import { authSchemas } from '../auth/login.schemas';
import { verifySchemas } from '../verification/verify.schemas';
import { errorEnvelopeSchema, routeNotFoundResponse, securitySchemes } from '../http/schemas';

/**
 * Collects the route schemas into an OpenAPI 3 document. Must be registered
 * before the documented routes. Request validation has one source, the
 * class-validator classes (see validation.ts): the routes parse their body and
 * path parameters with them, and the document's request schemas are generated
 * from the same classes (class-validator-jsonschema), so Fastify's own AJV
 * validation is switched off rather than kept as a second rule with other
 * messages. `test/openapi-constraints.test.ts` breaks every documented
 * constraint and expects the 400 that names the field.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.setValidatorCompiler(() => () => true);
  for (const schema of [errorEnvelopeSchema, ...accesskeySchemas, ...verifySchemas, ...leakSchemas, ...authSchemas]) app.addSchema(schema);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'vb-accesskey-server',
        version: '1.0',
        description:
          'Access keys for the VoIPBIN-style platform: the documented `/v1.0` REST paths and the login endpoint. ' +
          'GraphQL is served at `/graphql`. A path not listed here (or a method a listed path does not have) is answered ' +
          '404 with the error envelope, reason `ROUTE_NOT_FOUND` (`#/components/responses/RouteNotFound`).',
      },
      tags: [
        { name: 'accesskeys', description: 'Manage API access keys (customer admin).' },
        { name: 'leaks', description: 'Leaked tokens reported by secret-scanning partners (signed requests).' },
        { name: 'auth', description: 'Log in with a username and password.' },
        { name: 'operations', description: 'Health checks.' },
      ],
      components: { securitySchemes: securitySchemes as never, responses: routeNotFoundResponse() as never },
    },
    // Only the documented REST surface: GraphQL and static assets carry no tags.
    hideUntagged: true,
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
}

/** `GET /v1.0/openapi.json` and (with `ui`) an offline Swagger UI at `/v1.0/docs`. Register after the routes. */
export async function registerApiDocs(app: FastifyInstance, ui: boolean): Promise<void> {
  app.get('/v1.0/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  if (ui) await app.register(fastifySwaggerUi, { routePrefix: '/v1.0/docs', staticCSP: true, uiConfig: { url: '/v1.0/openapi.json' } });
}

import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import { invalidArgument } from '../errors';
import { contextOf, requireCaller } from '../auth/rest-auth';
import { parseInput } from '../validation';
import { AccesskeyIdParams, CreateAccesskeyInput, UpdateAccesskeyInput } from './accesskey.inputs';
import type { AccesskeyService } from './accesskey.service';
import { routeSchemas } from './accesskey.schemas';
import { toWire } from './accesskey.wire';
import { PAGE_SIZE_RULE, parsePageRequest } from '../pagination';

export interface AccesskeyRoutesOptions {
  readonly service: AccesskeyService;
  readonly authenticator: Authenticator;
}

type IdParams = { Params: { id: string } };
type ListQuery = { Querystring: Record<string, unknown> };

function optionalQueryString(query: Record<string, unknown>, field: string): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidArgument(field, 'must be given once');
  return value;
}

function pageSizeOf(query: Record<string, unknown>): number | undefined {
  const raw = optionalQueryString(query, 'page_size');
  if (raw === undefined || raw === '') return undefined;
  // Digits only: a whole number of at least MIN_PAGE_SIZE (0); normalizePageSize applies the rest.
  if (!/^\d+$/.test(raw)) throw invalidArgument('page_size', PAGE_SIZE_RULE);
  const digits = raw.replace(/^0+(?=\d)/, '');
  // Too many digits for a safe number: a huge size, which means the maximum.
  return digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits);
}

/** The documented `/v1.0/accesskeys` routes: thin wrappers over `AccesskeyService`. */
export async function accesskeyRoutes(app: FastifyInstance, { service, authenticator }: AccesskeyRoutesOptions) {
  // One scope per action, so the permission rule is checked per route (GET reads, the rest writes).
  await app.register(async (reads) => {
    requireCaller(reads, authenticator, 'accesskeys:read');
    readRoutes(reads, service);
  });
  await app.register(async (writes) => {
    requireCaller(writes, authenticator, 'accesskeys:write');
    writeRoutes(writes, service);
  });
}

function writeRoutes(app: FastifyInstance, service: AccesskeyService): void {
  app.post('/accesskeys', { schema: routeSchemas.create }, async (request, reply) => {
    const input = await parseInput(CreateAccesskeyInput, request.body);
    const { accesskey, token } = await service.create(contextOf(request), input);
    // The answer holds the new token, whichever way the caller authenticated.
    reply.header('Cache-Control', 'no-store');
    return toWire(accesskey, token);
  });

  app.put<IdParams>('/accesskeys/:id', { schema: routeSchemas.update }, async (request) => {
    const input = await parseInput(UpdateAccesskeyInput, request.body);
    const { id } = await parseInput(AccesskeyIdParams, request.params, 'params');
    return toWire(await service.update(contextOf(request), id, input));
  });

  app.delete<IdParams>('/accesskeys/:id', { schema: routeSchemas.delete }, async (request) => {
    const { id } = await parseInput(AccesskeyIdParams, request.params, 'params');
    return toWire(await service.delete(contextOf(request), id));
  });
}

function readRoutes(app: FastifyInstance, service: AccesskeyService): void {
  app.get<ListQuery>('/accesskeys', { schema: routeSchemas.list }, async (request) => {
    const pageRequest = parsePageRequest({
      size: pageSizeOf(request.query),
      token: optionalQueryString(request.query, 'page_token'),
      fields: { size: 'page_size', token: 'page_token' },
    });
    const page = await service.list(contextOf(request), pageRequest);
    return { result: page.items.map((key) => toWire(key)), next_page_token: page.nextPageToken };
  });

  app.get<IdParams>('/accesskeys/:id', { schema: routeSchemas.get }, async (request) => {
    const { id } = await parseInput(AccesskeyIdParams, request.params, 'params');
    return toWire(await service.get(contextOf(request), id));
  });
}

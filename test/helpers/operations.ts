import { bearer, gql, json } from './app';
import type { TestApp } from './app';

/** One operation on an access key, called with a credential and the key's id: its status and error code. */
export type Op = (token: string, id: string) => Promise<{ status: number; code?: string }>;

/**
 * The same operation on both transports, for the suites that check who may do what (`permissions`,
 * `scopes`). `app` is read when an operation runs, so the app may be built later, in `beforeAll`.
 */
export function operations(app: () => TestApp) {
  /** A `/v1.0` call; `code` is the envelope's `error.status` on a refusal. */
  const rest = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: (id: string) => string, payload?: object): Op => async (token, id) => {
    const res = await app().app.inject({ method, url: path(id), headers: bearer(token), payload });
    return { status: res.statusCode, code: res.statusCode >= 400 ? json(res).error.status : undefined };
  };
  /** A `/graphql` operation; `code` is the first error's `extensions.code`. */
  const graphql = (query: string, vars: (id: string) => Record<string, unknown>): Op => async (token, id) => {
    const { res, body } = await gql(app(), query, vars(id), bearer(token));
    return { status: res.statusCode, code: body.errors?.[0]?.extensions?.code };
  };
  return { rest, graphql };
}

/** The names of the operations in `accesskeyOperations` that only read. */
const READS = ['REST list', 'REST get', 'GraphQL accesskeys', 'GraphQL accesskey'];

/**
 * Every access-key operation on both transports, by name: `all` (REST first), and the same split into
 * `reads` and `writes`. Each is called with a credential and the id of a key it may act on.
 */
export function accesskeyOperations(app: () => TestApp) {
  const { rest, graphql } = operations(app);
  const all: Record<string, Op> = {
    'REST list': rest('GET', () => '/v1.0/accesskeys'),
    'REST get': rest('GET', (id) => `/v1.0/accesskeys/${id}`),
    'REST create': rest('POST', () => '/v1.0/accesskeys', { expire: 86400 }),
    'REST update': rest('PUT', (id) => `/v1.0/accesskeys/${id}`, { name: 'n' }),
    'REST delete': rest('DELETE', (id) => `/v1.0/accesskeys/${id}`),
    'GraphQL accesskeys': graphql('{ accesskeys { nodes { id } } }', () => ({})),
    'GraphQL accesskey': graphql('query ($id: ID!) { accesskey(id: $id) { id } }', (id) => ({ id })),
    'GraphQL createAccesskey': graphql('mutation { createAccesskey(input: { expire: 86400 }) { token } }', () => ({})),
    'GraphQL updateAccesskey': graphql('mutation ($id: ID!) { updateAccesskey(id: $id, input: { name: "n" }) { id } }', (id) => ({ id })),
    'GraphQL deleteAccesskey': graphql('mutation ($id: ID!) { deleteAccesskey(id: $id) { id } }', (id) => ({ id })),
    'GraphQL rotateAccesskey': graphql('mutation ($id: ID!) { rotateAccesskey(id: $id) { token } }', (id) => ({ id })),
    'GraphQL disableAccesskey': graphql('mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', (id) => ({ id })),
    'GraphQL enableAccesskey': graphql('mutation ($id: ID!) { enableAccesskey(id: $id) { id } }', (id) => ({ id })),
  };
  const pick = (keep: (name: string) => boolean) => Object.fromEntries(Object.entries(all).filter(([name]) => keep(name)));
  return { all, reads: pick((name) => READS.includes(name)), writes: pick((name) => !READS.includes(name)) };
}

import { LEVELS, bearer, buildTestApp, createAgent, createTenant, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';

let t: TestApp;
let acme: Tenant;
let other: Tenant;
const sessions: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp();
  acme = await createTenant(t, 'acme');
  other = await createTenant(t, 'other');
  for (const [level, bits] of Object.entries(LEVELS)) {
    const { username, password } = await createAgent(t, acme, bits, `perm-${level}`);
    sessions[level] = (await login(t, username, password)).token;
  }
});
afterAll(() => t.close());

type Op = (token: string, id: string) => Promise<{ status: number; code?: string }>;

const rest = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: (id: string) => string, payload?: object): Op => async (token, id) => {
  const res = await t.app.inject({ method, url: path(id), headers: bearer(token), payload });
  return { status: res.statusCode, code: res.statusCode >= 400 ? json(res).error.status : undefined };
};

const graphql = (query: string, vars: (id: string) => Record<string, unknown>): Op => async (token, id) => {
  const { res, body } = await gql(t, query, vars(id), bearer(token));
  return { status: res.statusCode, code: body.errors?.[0]?.extensions?.code };
};

const ops: Record<string, Op> = {
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

async function freshKey(): Promise<string> {
  return (await t.services.accesskeys.createForCustomer(acme.customerId, { expire: 86400 })).accesskey.id;
}

describe.each(Object.keys(ops))('%s', (name) => {
  const op = ops[name];
  const isGraphQL = name.startsWith('GraphQL');

  it.each(['super-admin', 'admin'])('is allowed to a customer %s', async (level) => {
    const result = await op(sessions[level], await freshKey());
    expect(result).toEqual({ status: 200, code: undefined });
  });

  it.each(['manager', 'agent'])('is refused to a customer %s', async (level) => {
    const id = await freshKey();
    const result = await op(sessions[level], id);
    expect(result).toEqual(isGraphQL ? { status: 200, code: 'FORBIDDEN' } : { status: 403, code: 'PERMISSION_DENIED' });
    const still = await t.services.accesskeys.get({ requestId: 't', caller: { kind: 'accesskey', customerId: acme.customerId, accesskeyId: acme.keyId, credentialHash: '0'.repeat(64), tokenPrefix: 'vb_test', scopes: ['accesskeys:read', 'accesskeys:write'] } }, id);
    expect(still.name).toBe('');
  });

  it('is allowed to an access key (it acts as customer admin)', async () => {
    expect((await op(acme.token, await freshKey())).code).toBeUndefined();
  });
});

it("keeps another customer's key 404 even for a super admin", async () => {
  const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${other.keyId}`, headers: bearer(sessions['super-admin']) });
  expect(res.statusCode).toBe(404);
  const { body } = await gql(t, 'query ($id: ID!) { accesskey(id: $id) { id } }', { id: other.keyId }, bearer(sessions['super-admin']));
  expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
});

it('lets every authenticated caller ask `me`, and nobody without credentials', async () => {
  for (const level of Object.keys(LEVELS)) {
    const { body } = await gql(t, '{ me { kind permission permissions } }', {}, bearer(sessions[level]));
    expect(body.data.me.kind).toBe('AGENT');
    expect(body.data.me.permission).toBe(LEVELS[level as keyof typeof LEVELS]);
  }
  const asKey = await gql(t, '{ me { kind customerId accesskeyId permission permissions } }', {}, bearer(acme.token));
  expect(asKey.body.data.me).toEqual({ kind: 'ACCESSKEY', customerId: acme.customerId, accesskeyId: acme.keyId, permission: 0x20, permissions: ['CUSTOMER_ADMIN'] });
  const anonymous = await gql(t, '{ me { kind } }');
  expect(anonymous.res.statusCode).toBe(401);
});

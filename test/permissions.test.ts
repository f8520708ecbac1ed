import { LEVELS, bearer, gql } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { accesskeyOperations } from './helpers/operations';
import { appWithTenants, sessionsByLevel } from './helpers/tenants';

let t: TestApp;
let acme: Tenant;
let other: Tenant;
let sessions: Record<string, string>;

beforeAll(async () => {
  [t, acme, other] = await appWithTenants({}, 'acme', 'other');
  sessions = await sessionsByLevel(t, acme, 'perm');
});
afterAll(() => t.close());

const { all: ops } = accesskeyOperations(() => t);

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

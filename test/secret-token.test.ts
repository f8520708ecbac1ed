import { bearer, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';

// RFC 8959: `secret-token:vb_…` is accepted wherever a token is (`token check`, the CLI: test/slow/token-check.test.ts).
let t: TestApp;
let tenant: Tenant;

beforeAll(async () => { [t, tenant] = await appWithTenants({}, 'rfc8959'); });
afterAll(() => t.close());

it('authenticates `Authorization: Bearer secret-token:vb_…` and `?accesskey=secret-token:vb_…`', async () => {
  const header = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${tenant.keyId}`, headers: bearer(`secret-token:${tenant.token}`) });
  expect(header.statusCode).toBe(200);
  expect(json(header).id).toBe(tenant.keyId);
  const query = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?accesskey=secret-token:${tenant.token}` });
  expect(query.statusCode).toBe(200);
  // The scheme around a wrong token (its last character changed: to 'x', unless it is one) is still refused.
  const wrong = `${tenant.token.slice(0, -1)}${tenant.token.endsWith('x') ? 'y' : 'x'}`;
  expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(`secret-token:${wrong}`) })).statusCode).toBe(401);
});

it('verifies a token sent in the RFC 8959 form', async () => {
  const verifier = await t.services.accesskeys.createForCustomer(tenant.customerId, { expire: 86400 }, undefined, ['accesskeys:verify']);
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1.0/accesskeys/verify',
    headers: bearer(verifier.token),
    payload: { token: `secret-token:${tenant.token}` },
  });
  expect(json(res)).toMatchObject({ valid: true, code: 'VALID', accesskey_id: tenant.keyId });
});

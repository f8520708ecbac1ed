import { bearer, buildTestApp, gql, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';

// MAX_KEY_LIFETIME_SECONDS: no new key outlives the policy, on either transport (and the CLI: test/process.test.ts).
const NINETY_DAYS = 90 * 86400;
let t: TestApp;
let tenant: Tenant;

beforeAll(async () => {
  t = await buildTestApp({ maxKeyLifetimeSeconds: NINETY_DAYS });
  const customer = await t.services.customers.create('policy');
  const { accesskey, token } = await t.services.accesskeys.createForCustomer(customer.id, { name: 'bootstrap', expire: NINETY_DAYS });
  tenant = { customerId: customer.id, token, keyId: accesskey.id };
  t.clock.tick();
});
afterAll(() => t.close());

const create = (expire: number) =>
  t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(tenant.token), payload: { name: 'p', expire } });

it('REST: a create up to the limit succeeds; beyond it is 400 in the documented envelope, naming the limit', async () => {
  expect((await create(NINETY_DAYS)).statusCode).toBe(200);
  const refused = await create(NINETY_DAYS + 1);
  expect(refused.statusCode).toBe(400);
  const { error } = json(refused);
  expect(Object.keys(error)).toEqual(['status', 'reason', 'message', 'request_id']);
  expect(error).toMatchObject({ status: 'INVALID_ARGUMENT', reason: 'FIELD_INVALID' });
  expect(error.message).toMatch(/^expire: .*7776000 seconds.*MAX_KEY_LIFETIME_SECONDS/);
});

it('GraphQL: createAccesskey beyond the limit is BAD_USER_INPUT on `expire`, and nothing is stored', async () => {
  const before = json(await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(tenant.token) })).result.length;
  const { body } = await gql(t, 'mutation($e: Int!) { createAccesskey(input: { name: "g", expire: $e }) { token } }', { e: NINETY_DAYS + 1 }, bearer(tenant.token));
  expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expire' });
  expect(body.errors[0].message).toMatch(/MAX_KEY_LIFETIME_SECONDS/);
  const after = json(await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(tenant.token) })).result.length;
  expect(after).toBe(before);
});

it("rotation caps the new key's lifetime at the limit (a key made before the policy may live longer)", async () => {
  const key = json(await create(30 * 86400));
  // As if made before the policy was lowered: a one-year lifetime.
  await t.database.dataSource.query("UPDATE accesskeys SET tm_expire = tm_create + interval '365 days' WHERE id = $1", [key.id]);
  t.clock.advanceSeconds(10);
  const { body } = await gql(
    t,
    'mutation($id: ID!) { rotateAccesskey(id: $id, gracePeriod: 0) { accesskey { tmCreate tmExpire } } }',
    { id: key.id },
    bearer(tenant.token),
  );
  const rotated = body.data.rotateAccesskey.accesskey;
  expect(rotated.tmCreate).toBe(t.clock.now().toISOString());
  expect(rotated.tmExpire).toBe(t.clock.now().plusSeconds(NINETY_DAYS).toISOString());
});

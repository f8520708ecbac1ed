import { LEVELS, bearer, buildTestApp, createAgent, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';

// MAX_KEY_LIFETIME_SECONDS: no new key outlives the policy, on either transport (and the CLI: test/slow/process.test.ts).
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

it('a key made with an access key expires no later than that key, on both transports; a key made by a person is not capped', async () => {
  // A key with two days left, made by the operator.
  const parent = await t.services.accesskeys.createForCustomer(tenant.customerId, { name: 'parent', expire: 2 * 86400 });
  t.clock.advanceSeconds(3600);
  const parentExpire = parent.accesskey.tmExpire.toISOString();
  const viaRest = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(parent.token), payload: { name: 'child', expire: 30 * 86400 } });
  expect([viaRest.statusCode, json(viaRest).tm_expire]).toEqual([200, parentExpire]);
  const CREATE = 'mutation($e: Int!) { createAccesskey(input: { expire: $e }) { token accesskey { id tmExpire } } }';
  const viaGraphQL = (await gql(t, CREATE, { e: 30 * 86400 }, bearer(parent.token))).body.data.createAccesskey;
  expect(viaGraphQL.accesskey.tmExpire).toBe(parentExpire);
  const [event] = await t.services.audit.search(tenant.customerId, {
    action: 'accesskey.create', targetId: viaGraphQL.accesskey.id, actorTokenHash: null, since: null, until: null, beforeSeq: null, limit: 1,
  });
  expect(event.after).toMatchObject({ tm_expire: parentExpire });
  // Asked for less than the parent has left: as asked.
  const shorter = json(await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(parent.token), payload: { expire: 86400 } }));
  expect(shorter.tm_expire).toBe(t.clock.now().plusSeconds(86400).toISOString());
  // A customer admin's session is not a key: its keys live as long as asked.
  const { username, password } = await createAgent(t, tenant, LEVELS.admin);
  const session = (await login(t, username, password)).token;
  const byPerson = json(await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(session), payload: { expire: 30 * 86400 } }));
  expect(byPerson.tm_expire).toBe(t.clock.now().plusSeconds(30 * 86400).toISOString());
  // When the parent stops, so do the keys it made.
  t.clock.advanceSeconds(2 * 86400);
  for (const token of [json(viaRest).token, viaGraphQL.token]) {
    expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(token) })).statusCode).toBe(401);
  }
  expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(byPerson.token) })).statusCode).toBe(200);
});

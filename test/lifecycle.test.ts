import Fastify from 'fastify';
import { generateToken } from '../src/keys/token';
import { bearer, buildTestApp, createTenant, gql, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';
import { usingPostgres } from './helpers/database';

// Key lifecycle (issue 9): rotation with a grace period, disable and enable.

const FIELDS = 'id customerId name detail tokenPrefix tmExpire tmCreate tmUpdate tmDelete tmDisable rotatedFromId';
const CREATE = `mutation ($input: CreateAccesskeyInput!) { createAccesskey(input: $input) { token accesskey { ${FIELDS} } } }`;
const ROTATE = `mutation ($id: ID!, $grace: Int) { rotateAccesskey(id: $id, gracePeriod: $grace) {
  token accesskey { ${FIELDS} } previous { ${FIELDS} } } }`;
const DISABLE = `mutation ($id: ID!) { disableAccesskey(id: $id) { ${FIELDS} } }`;
const ENABLE = `mutation ($id: ID!) { enableAccesskey(id: $id) { ${FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteAccesskey(id: $id) { id } }`;
const KEY_FIELDS = ['id', 'customer_id', 'name', 'detail', 'token_prefix', 'tm_expire', 'tm_create', 'tm_update', 'tm_delete'];

/** Waits until the cache is in use (on PostgreSQL: once the invalidation listener has subscribed). */
async function cacheReady(t: TestApp): Promise<void> {
  for (let i = 0; i < 500 && !t.services.authCache.active; i++) await new Promise((r) => setTimeout(r, 10));
  expect(t.services.authCache.active).toBe(true);
}

/** Whether `token` authenticates a REST call on `t` (200) or is refused (401). */
const probe = async (t: TestApp, token: string) =>
  (await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(token) })).statusCode;

describe('key lifecycle', () => {
  let t: TestApp;
  let alice: Tenant;
  let bob: Tenant;

  beforeAll(async () => {
    [t, alice, bob] = await appWithTenants({}, 'alice', 'bob');
    await cacheReady(t);
  });
  afterAll(() => t.close());

  const as = (tenant: Tenant) => bearer(tenant.token);

  async function createKey(input: Record<string, unknown> = { name: 'ci', detail: 'deploys', expire: 86400 * 3 }) {
    const { body } = await gql(t, CREATE, { input }, as(alice));
    t.clock.tick();
    return body.data.createAccesskey as { token: string; accesskey: Record<string, any> };
  }

  async function rotate(id: string, grace?: number, tenant = alice) {
    return gql(t, ROTATE, grace === undefined ? { id } : { id, grace }, as(tenant));
  }

  describe('rotateAccesskey', () => {
    it('gives a new key that works at once; the old one works until exactly now + gracePeriod', async () => {
      const old = await createKey();
      expect(await probe(t, old.token)).toBe(200); // cached: rotation must drop it
      const rotatedAt = t.clock.now();
      const { body } = await rotate(old.accesskey.id, 100);
      const payload = body.data.rotateAccesskey;
      expect(payload.token).toMatch(/^vb_[0-9A-Za-z]{32}$/);
      expect(payload.token).not.toBe(old.token);
      expect(payload.accesskey.id).not.toBe(old.accesskey.id);
      expect(payload.accesskey).toMatchObject({ customerId: alice.customerId, name: 'ci', detail: 'deploys', tmDelete: null, tmDisable: null });
      expect(payload.accesskey.rotatedFromId).toBe(old.accesskey.id);
      expect(payload.accesskey.tokenPrefix).toBe(payload.token.slice(0, 11));
      expect(payload.accesskey.tmCreate).toBe(rotatedAt.toISOString());
      expect(payload.previous.id).toBe(old.accesskey.id);
      expect(payload.previous.rotatedFromId).toBeNull();
      expect(payload.previous.tmExpire).toBe(rotatedAt.plusSeconds(100).toISOString());
      expect(payload.previous.tmUpdate).toBe(rotatedAt.toISOString());
      expect(await probe(t, payload.token)).toBe(200);
      expect(await probe(t, old.token)).toBe(200);
      t.clock.tick(100 * 1_000_000 - 1); // one microsecond before the end of the grace period
      expect(await probe(t, old.token)).toBe(200);
      t.clock.tick(1);
      expect(await probe(t, old.token)).toBe(401);
      expect(await probe(t, payload.token)).toBe(200);
      // The stored key says the same as the payload.
      const stored = await gql(t, `query ($id: ID!) { accesskey(id: $id) { tmExpire } }`, { id: old.accesskey.id }, as(alice));
      expect(stored.body.data.accesskey.tmExpire).toBe(rotatedAt.plusSeconds(100).toISOString());
    });

    it('gives the new key the old lifetime length, counted from now to the microsecond', async () => {
      const old = await createKey({ expire: 86400 * 3 });
      t.clock.advanceSeconds(5000);
      t.clock.tick(777);
      const { body } = await rotate(old.accesskey.id);
      expect(body.data.rotateAccesskey.accesskey.tmExpire).toBe(t.clock.now().plusSeconds(86400 * 3).toISOString());
    });

    it('defaults to one day of grace', async () => {
      const old = await createKey({ expire: 86400 * 3 });
      const { body } = await rotate(old.accesskey.id);
      expect(body.data.rotateAccesskey.previous.tmExpire).toBe(t.clock.now().plusSeconds(86400).toISOString());
    });

    it('with gracePeriod 0 refuses the old key at once, even when it was cached', async () => {
      const old = await createKey();
      expect(await probe(t, old.token)).toBe(200);
      const { body } = await rotate(old.accesskey.id, 0);
      expect(body.data.rotateAccesskey.previous.tmExpire).toBe(t.clock.now().toISOString());
      expect(await probe(t, old.token)).toBe(401);
      expect(await probe(t, body.data.rotateAccesskey.token)).toBe(200);
    });

    it('never extends the old key: its expiry is the earlier of its own and now + gracePeriod', async () => {
      const old = await createKey({ expire: 86400 });
      const { body } = await rotate(old.accesskey.id, 2592000);
      expect(body.data.rotateAccesskey.previous.tmExpire).toBe(old.accesskey.tmExpire);
    });

    it('refuses a deleted or disabled key with FAILED_PRECONDITION, and writes nothing', async () => {
      const deleted = await createKey();
      await gql(t, DELETE, { id: deleted.accesskey.id }, as(alice));
      const disabled = await createKey();
      await gql(t, DISABLE, { id: disabled.accesskey.id }, as(alice));
      for (const key of [deleted, disabled]) {
        const { body } = await rotate(key.accesskey.id, 0);
        expect(body.data).toBeNull();
        expect(body.errors[0].extensions.code).toBe('FAILED_PRECONDITION');
      }
      const list = await gql(t, `{ accesskeys(first: 100) { nodes { rotatedFromId tmExpire id } } }`, {}, as(alice));
      const nodes = list.body.data.accesskeys.nodes as Array<{ id: string; rotatedFromId: string | null; tmExpire: string }>;
      expect(nodes.filter((n) => n.rotatedFromId === disabled.accesskey.id || n.rotatedFromId === deleted.accesskey.id)).toEqual([]);
      expect(nodes.find((n) => n.id === disabled.accesskey.id)!.tmExpire).toBe(disabled.accesskey.tmExpire);
    });

    it.each([-1, 2592001])('refuses gracePeriod %p with BAD_USER_INPUT naming gracePeriod', async (grace) => {
      const old = await createKey();
      const { body } = await rotate(old.accesskey.id, grace);
      expect(body.data).toBeNull();
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].extensions.field).toBe('gracePeriod');
      expect(await probe(t, old.token)).toBe(200);
    });

    it('accepts the bounds 0 and 2592000', async () => {
      for (const grace of [0, 2592000]) {
        const old = await createKey({ expire: 86400 * 60 });
        const { body } = await rotate(old.accesskey.id, grace);
        expect(body.data.rotateAccesskey.previous.tmExpire).toBe(t.clock.now().plusSeconds(grace).toISOString());
      }
    });

    it("reports another customer's key as NOT_FOUND", async () => {
      const old = await createKey();
      const { body } = await rotate(old.accesskey.id, 0, bob);
      expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(await probe(t, old.token)).toBe(200);
    });
  });

  describe('disableAccesskey / enableAccesskey', () => {
    it('a disabled key is refused like an unknown one (REST and GraphQL) at once, and works again once enabled', async () => {
      const key = await createKey();
      expect(await probe(t, key.token)).toBe(200); // warm the cache: disabling must drop it locally
      const disabledAt = t.clock.now();
      const { body } = await gql(t, DISABLE, { id: key.accesskey.id }, as(alice));
      expect(body.data.disableAccesskey).toMatchObject({ id: key.accesskey.id, tmDisable: disabledAt.toISOString(), tmDelete: null });
      expect(await probe(t, key.token)).toBe(401);
      const viaGraphQL = await gql(t, '{ me { customerId } }', {}, bearer(key.token));
      expect(viaGraphQL.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const unknown = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(generateToken()) });
      const refused = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(key.token) });
      expect([refused.statusCode, json(refused).error.reason]).toEqual([unknown.statusCode, json(unknown).error.reason]);
      // Disabling again changes nothing.
      t.clock.tick();
      const again = await gql(t, DISABLE, { id: key.accesskey.id }, as(alice));
      expect(again.body.data.disableAccesskey.tmDisable).toBe(disabledAt.toISOString());
      const { body: enabled } = await gql(t, ENABLE, { id: key.accesskey.id }, as(alice));
      expect(enabled.data.enableAccesskey.tmDisable).toBeNull();
      expect(await probe(t, key.token)).toBe(200);
    });

    it('keeps a disabled key listed, readable, updatable and deletable over REST with exactly the documented fields', async () => {
      const key = await createKey();
      await gql(t, DISABLE, { id: key.accesskey.id }, as(alice));
      const url = `/v1.0/accesskeys/${key.accesskey.id}`;
      const got = await t.app.inject({ method: 'GET', url, headers: as(alice) });
      expect(got.statusCode).toBe(200);
      expect(Object.keys(json(got))).toEqual(KEY_FIELDS);
      const list = json(await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=100', headers: as(alice) }));
      const listed = list.result.find((k: { id: string }) => k.id === key.accesskey.id);
      expect(Object.keys(listed)).toEqual(KEY_FIELDS);
      const put = await t.app.inject({ method: 'PUT', url, headers: as(alice), payload: { name: 'renamed', detail: '' } });
      expect(put.statusCode).toBe(200);
      expect(Object.keys(json(put))).toEqual(KEY_FIELDS);
      expect(await probe(t, key.token)).toBe(401); // still disabled after an update
      const del = await t.app.inject({ method: 'DELETE', url, headers: as(alice) });
      expect(del.statusCode).toBe(200);
      expect(Object.keys(json(del))).toEqual(KEY_FIELDS);
    });

    it('cannot enable (or disable) a deleted key: FAILED_PRECONDITION', async () => {
      const key = await createKey();
      await gql(t, DISABLE, { id: key.accesskey.id }, as(alice));
      await gql(t, DELETE, { id: key.accesskey.id }, as(alice));
      for (const mutation of [ENABLE, DISABLE]) {
        const { body } = await gql(t, mutation, { id: key.accesskey.id }, as(alice));
        expect(body.data).toBeNull();
        expect(body.errors[0].extensions.code).toBe('FAILED_PRECONDITION');
      }
      expect(await probe(t, key.token)).toBe(401);
    });

    it("reports another customer's key as NOT_FOUND and leaves it alone", async () => {
      const key = await createKey();
      for (const mutation of [DISABLE, ENABLE]) {
        const { body } = await gql(t, mutation, { id: key.accesskey.id }, as(bob));
        expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
      }
      expect(await probe(t, key.token)).toBe(200);
    });

    it('counts a refused disabled key as `disabled` on the private metrics view', async () => {
      const key = await createKey();
      await gql(t, DISABLE, { id: key.accesskey.id }, as(alice));
      expect(await probe(t, key.token)).toBe(401);
      const monitoring = Fastify();
      t.metrics.registerRoute(monitoring, 'private');
      const text = (await monitoring.inject({ method: 'GET', url: '/metrics' })).body;
      await monitoring.close();
      expect(text).toMatch(/auth_attempts_total\{credential="accesskey",outcome="disabled"\} [1-9]/);
    });
  });
});

(usingPostgres ? describe : describe.skip)('key lifecycle on two replicas', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await buildTestApp();
    b = await buildTestApp();
    await cacheReady(a);
    await cacheReady(b);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  /** Probes `token` on `t` until it is refused (bounded: 100 tries, 10 ms apart). */
  async function refusedSoon(t: TestApp, token: string): Promise<number> {
    let status = await probe(t, token);
    for (let i = 0; i < 100 && status === 200; i++) {
      await new Promise((r) => setTimeout(r, 10));
      status = await probe(t, token);
    }
    return status;
  }

  it('a key disabled through A is refused by B, which had it cached; enabled through A it works on B again', async () => {
    const tenant = await createTenant(a, 'replicas');
    const created = json(await a.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(tenant.token), payload: { name: 'x', expire: 86400 } }));
    expect(await probe(b, created.token)).toBe(200); // B has it in memory now
    expect((await gql(a, DISABLE, { id: created.id }, bearer(tenant.token))).body.data.disableAccesskey.tmDisable).not.toBeNull();
    expect(await refusedSoon(b, created.token)).toBe(401);
    expect((await gql(a, ENABLE, { id: created.id }, bearer(tenant.token))).body.data.enableAccesskey.tmDisable).toBeNull();
    let status = await probe(b, created.token);
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 10));
      status = await probe(b, created.token);
    }
    expect(status).toBe(200);
  });

  it('a key rotated through A with gracePeriod 0 is refused by B, which had it cached', async () => {
    const tenant = await createTenant(a, 'rotation');
    const created = json(await a.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(tenant.token), payload: { name: 'y', expire: 86400 } }));
    expect(await probe(b, created.token)).toBe(200);
    const { body } = await gql(a, ROTATE, { id: created.id, grace: 0 }, bearer(tenant.token));
    expect(body.data.rotateAccesskey.previous.id).toBe(created.id);
    b.clock.set(a.clock.now().toISOString()); // the replicas agree on the time: the old key has just expired
    expect(await refusedSoon(b, created.token)).toBe(401);
    expect(await probe(b, body.data.rotateAccesskey.token)).toBe(200);
  });
});

import { buildTestApp, bearer, createTenant, gql } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';

/** Last use of a key (issue 9 §3): recorded in memory, written in batches, never on the request path. */

const ME = '{ accesskeys(first: 1) { nodes { id } } }';
const LAST_USED = 'query ($id: ID!) { accesskey(id: $id) { tmLastUsed } }';

/** Every statement the app sends through its hot-path `Sql`, by name (the same on both databases). */
function countStatements(t: TestApp) {
  const names: string[] = [];
  const original = t.database.sql.query.bind(t.database.sql);
  const spy = jest.spyOn(t.database.sql, 'query').mockImplementation((name: string, text: string, values: readonly unknown[]) => {
    names.push(name);
    return original(name, text, values);
  });
  return { names, writes: () => names.filter((n) => n === 'ak_write_last_used').length, restore: () => spy.mockRestore() };
}

async function lastUsed(t: TestApp, tenant: Tenant, id = tenant.keyId): Promise<string | null> {
  const { body } = await gql(t, LAST_USED, { id }, bearer(tenant.token));
  return body.data.accesskey.tmLastUsed as string | null;
}

describe('tmLastUsed', () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => { [t, tenant] = await appWithTenants({}, 'usage'); });
  afterAll(() => t.close());

  it('is null for a key never used', async () => {
    const other = await t.services.accesskeys.createForCustomer(tenant.customerId, { name: 'idle', expire: 86400 });
    await t.services.usage.flush();
    expect(await lastUsed(t, tenant, other.accesskey.id)).toBeNull();
  });

  it('50 requests write nothing on the way and exactly once when flushed, with the last use', async () => {
    await t.services.usage.flush();
    // Past the minute in which the previous test's use was written.
    t.clock.advanceSeconds(120);
    const counted = countStatements(t);
    let last = '';
    try {
      for (let i = 0; i < 50; i++) {
        t.clock.advanceSeconds(0.5);
        last = t.clock.now().toISOString();
        const { res } = await gql(t, ME, {}, bearer(tenant.token));
        expect(res.statusCode).toBe(200);
      }
      expect(counted.writes()).toBe(0);
      const before = counted.names.length;
      await t.services.usage.flush();
      expect(counted.names.length - before).toBe(1);
      expect(counted.writes()).toBe(1);
    } finally {
      counted.restore();
    }
    expect(await lastUsed(t, tenant)).toBe(last);
  });

  it('a second flush within the same minute writes nothing, however many uses meanwhile', async () => {
    const counted = countStatements(t);
    try {
      for (let i = 0; i < 5; i++) {
        t.clock.advanceSeconds(1);
        expect((await gql(t, ME, {}, bearer(tenant.token))).res.statusCode).toBe(200);
      }
      await t.services.usage.flush();
      expect(counted.writes()).toBe(0);
    } finally {
      counted.restore();
    }
  });

  it('after a minute, the next use is written by the next flush', async () => {
    t.clock.advanceSeconds(61);
    const at = t.clock.now().toISOString();
    expect((await gql(t, ME, {}, bearer(tenant.token))).res.statusCode).toBe(200);
    const counted = countStatements(t);
    try {
      await t.services.usage.flush();
      expect(counted.writes()).toBe(1);
    } finally {
      counted.restore();
    }
    expect(await lastUsed(t, tenant)).toBe(at);
  });

  it('a refused (deleted) key records nothing', async () => {
    const doomed = await t.services.accesskeys.createForCustomer(tenant.customerId, { name: 'doomed', expire: 86400 });
    const { body } = await gql(t, 'mutation ($id: ID!) { deleteAccesskey(id: $id) { id } }', { id: doomed.accesskey.id }, bearer(tenant.token));
    expect(body.data.deleteAccesskey.id).toBe(doomed.accesskey.id);
    await t.services.usage.flush();
    t.clock.advanceSeconds(120);
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(doomed.token) });
    expect(res.statusCode).toBe(401);
    expect(t.services.usage.size).toBe(0);
  });

  it('a failed flush keeps the uses for the next one and never fails a request', async () => {
    await t.services.usage.flush();
    t.clock.advanceSeconds(120);
    const at = t.clock.now().toISOString();
    expect((await gql(t, ME, {}, bearer(tenant.token))).res.statusCode).toBe(200);
    const failing = jest.spyOn(t.database.sql, 'query').mockRejectedValueOnce(new Error('database down'));
    try {
      await t.services.usage.flush();
    } finally {
      failing.mockRestore();
    }
    expect(t.services.usage.size).toBe(1);
    await t.services.usage.flush();
    expect(t.services.usage.size).toBe(0);
    expect(await lastUsed(t, tenant)).toBe(at);
  });

  it('REST responses do not carry it', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${tenant.keyId}`, headers: bearer(tenant.token) });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/last_used|lastUsed/i);
  });
});

describe('closing the app', () => {
  it('writes the uses still waiting before the database closes', async () => {
    const t = await buildTestApp();
    try {
      const tenant = await createTenant(t, 'closing');
      const at = t.clock.now().toISOString();
      expect((await gql(t, ME, {}, bearer(tenant.token))).res.statusCode).toBe(200);
      expect(t.services.usage.size).toBe(1);
      await t.app.close();
      const rows = await t.database.sql.query<{ t: string }>('test_last_used', 'SELECT tm_last_used::text AS t FROM accesskeys WHERE id = $1', [tenant.keyId]);
      expect(rows[0]?.t).not.toBeNull();
      expect(new Date(rows[0].t).toISOString().slice(0, 23)).toBe(at.slice(0, 23));
    } finally {
      await t.database.close();
    }
  });
});

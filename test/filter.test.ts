import { bearer, buildTestApp, gql } from './helpers/app';
import type { TestApp } from './helpers/app';

/** Finding keys (issue 9 §6): the `filter` of `accesskeys`, through GraphQL, on the real database. */

const LIST = `query ($first: Int, $after: String, $filter: AccesskeyFilter) {
  accesskeys(first: $first, after: $after, filter: $filter) { nodes { id name } pageInfo { hasNextPage endCursor } } }`;

let t: TestApp;
let token: string;
const id: Record<string, string> = {};
const created: string[] = [];
let otherCustomerKey: string;
let t0: string;
let usedAt: string;
let expiredAt: string;

async function list(filter?: Record<string, unknown>, first = 100, after?: string) {
  const { res, body } = await gql(t, LIST, { first, after, filter }, bearer(token));
  return { status: res.statusCode, body, ids: (body.data?.accesskeys?.nodes ?? []).map((n: { id: string }) => n.id) as string[] };
}

const sorted = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  t = await buildTestApp();
  const keys = t.services.accesskeys;
  const customer = await t.services.customers.create('finder');
  const other = await t.services.customers.create('other');
  otherCustomerKey = (await keys.createForCustomer(other.id, { name: 'caller', expire: 31536000 })).accesskey.id;
  t0 = t.clock.now().toISOString();
  const make = async (name: string, expire = 31536000) => {
    t.clock.tick(1000);
    const k = await keys.createForCustomer(customer.id, { name, expire });
    created.unshift(k.accesskey.id);
    return k;
  };
  const expired = (await make('expired', 86400)).accesskey;
  id.expired = expired.id;
  expiredAt = expired.tmExpire.toISOString();
  t.clock.advanceSeconds(2 * 86400);
  const caller = await make('caller');
  id.caller = caller.accesskey.id;
  token = caller.token;
  id.disabled = (await make('disabled')).accesskey.id;
  id.deleted = (await make('deleted')).accesskey.id;
  id.percent = (await make('50%_off')).accesskey.id;
  id.lookalike = (await make('50xxOFF')).accesskey.id;
  const percentToken = (await make('Back\\Slash')).token;
  id.backslash = created[0];
  expect((await gql(t, 'mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', { id: id.disabled }, bearer(token))).body.data).toBeTruthy();
  expect((await gql(t, 'mutation ($id: ID!) { deleteAccesskey(id: $id) { id } }', { id: id.deleted }, bearer(token))).body.data).toBeTruthy();
  await t.services.usage.flush();
  // The backslash key is used once, later than the caller's writes.
  t.clock.advanceSeconds(300);
  usedAt = t.clock.now().toISOString();
  expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(percentToken) })).statusCode).toBe(200);
  await t.services.usage.flush();
});
afterAll(() => t.close());

it('without a filter (or without a state) lists every key not deleted, as before', async () => {
  const expected = created.filter((k) => k !== id.deleted);
  expect((await list()).ids).toEqual(expected);
  expect((await list({})).ids).toEqual(expected);
});

it.each([
  ['LIVE', ['caller', 'percent', 'lookalike', 'backslash']],
  ['EXPIRED', ['expired']],
  ['DISABLED', ['disabled']],
  ['DELETED', ['deleted']],
  ['ALL', ['expired', 'caller', 'disabled', 'deleted', 'percent', 'lookalike', 'backslash']],
])('state %s returns exactly its keys, none of another customer', async (state, names) => {
  const { ids } = await list({ state });
  expect(sorted(ids)).toEqual(sorted(names.map((n) => id[n])));
  expect(ids).not.toContain(otherCustomerKey);
});

it('nameContains is a case-insensitive, literal substring', async () => {
  expect((await list({ nameContains: '50%_OFF' })).ids).toEqual([id.percent]);
  expect((await list({ nameContains: '50xx' })).ids).toEqual([id.lookalike]);
  expect((await list({ nameContains: '%' })).ids).toEqual([id.percent]);
  expect((await list({ nameContains: '_' })).ids).toEqual([id.percent]);
  expect((await list({ nameContains: 'k\\s' })).ids).toEqual([id.backslash]);
  expect((await list({ nameContains: 'DELETED', state: 'ALL' })).ids).toEqual([id.deleted]);
  expect((await list({ nameContains: 'deleted' })).ids).toEqual([]);
});

it('nameContains longer than a name can be is refused naming the field', async () => {
  const { body } = await list({ nameContains: 'x'.repeat(256) });
  expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nameContains' });
});

it('expiresBefore keeps keys expiring strictly before the time', async () => {
  expect((await list({ expiresBefore: new Date(Date.parse(expiredAt) + 1).toISOString() })).ids).toEqual([id.expired]);
  expect((await list({ expiresBefore: expiredAt, state: 'ALL' })).ids).toEqual([]);
  expect(sorted((await list({ expiresBefore: '2100-01-01T00:00:00Z', state: 'ALL' })).ids)).toEqual(sorted(created));
});

it('unusedSince keeps keys never used or last used before the time', async () => {
  // The caller was written on its first use, before usedAt; the backslash key exactly at usedAt.
  expect(sorted((await list({ state: 'LIVE', unusedSince: usedAt })).ids)).toEqual(sorted([id.caller, id.percent, id.lookalike]));
  expect(sorted((await list({ state: 'LIVE', unusedSince: new Date(Date.parse(usedAt) + 1000).toISOString() })).ids))
    .toEqual(sorted([id.caller, id.percent, id.lookalike, id.backslash]));
  expect(sorted((await list({ state: 'LIVE', unusedSince: t0 })).ids)).toEqual(sorted([id.percent, id.lookalike]));
});

it('pages through a filtered list in order, neither skipping nor repeating', async () => {
  const whole = (await list({ state: 'ALL' })).ids;
  const seen: string[] = [];
  let after: string | undefined;
  for (let i = 0; i < 10; i++) {
    const { body, ids } = await list({ state: 'ALL' }, 2, after);
    expect(ids.length).toBeLessThanOrEqual(2);
    seen.push(...ids);
    if (!body.data.accesskeys.pageInfo.hasNextPage) break;
    after = body.data.accesskeys.pageInfo.endCursor;
  }
  expect(seen).toEqual(whole);
  expect(whole).toEqual(created);
  const live: string[] = [];
  after = undefined;
  for (let i = 0; i < 10; i++) {
    const { body, ids } = await list({ state: 'LIVE' }, 3, after);
    live.push(...ids);
    if (!body.data.accesskeys.pageInfo.hasNextPage) break;
    after = body.data.accesskeys.pageInfo.endCursor;
  }
  expect(live).toEqual((await list({ state: 'LIVE' })).ids);
  expect(live).toHaveLength(4);
});

/** The plan PostgreSQL picks for the statement the app sends for `filter`, on a seeded table. */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
onPostgres('plans at scale (PostgreSQL)', () => {
  let bigToken: string;

  beforeAll(async () => {
    const customer = await t.services.customers.create('big');
    bigToken = (await t.services.accesskeys.createForCustomer(customer.id, { name: 'caller', expire: 31536000 })).token;
    // 20,000 keys over 200 customers, a quarter of them deleted; this customer holds 100 of them.
    await t.database.dataSource.query(`
      INSERT INTO customers (id, name, tm_create, tm_update)
      SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid, 'seed', now(), now() FROM generate_series(1, 199) AS c`);
    await t.database.dataSource.query(`
      INSERT INTO accesskeys (id, customer_id, name, detail, token_hash, token_prefix, tm_expire, tm_create, tm_update, tm_delete)
      SELECT gen_random_uuid(),
             CASE WHEN i % 200 = 0 THEN $1::uuid ELSE ('00000000-0000-4000-8000-' || lpad(to_hex(i % 200), 12, '0'))::uuid END,
             'seed ' || i, '', md5(i::text) || md5('x' || i), 'vb_seed', now() + interval '1 year',
             now() - i * interval '1 second', now(), CASE WHEN i % 4 = 0 THEN now() END
        FROM generate_series(1, 20000) AS i`, [customer.id]);
    await t.database.dataSource.query('ANALYZE accesskeys');
  });

  async function planFor(filter: Record<string, unknown> | undefined): Promise<string> {
    const sent: { text: string; values: readonly unknown[] }[] = [];
    const original = t.database.sql.query.bind(t.database.sql);
    const spy = jest.spyOn(t.database.sql, 'query').mockImplementation((name: string, text: string, values: readonly unknown[]) => {
      if (name.startsWith('ak_list_')) sent.push({ text, values });
      return original(name, text, values);
    });
    try {
      const { res } = await gql(t, LIST, { first: 10, filter }, bearer(bigToken));
      expect(res.statusCode).toBe(200);
    } finally {
      spy.mockRestore();
    }
    expect(sent).toHaveLength(1);
    const rows = await t.database.dataSource.query(`EXPLAIN ${sent[0].text}`, [...sent[0].values]);
    return (rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
  }

  it.each([
    ['the default list', undefined, 'ix_accesskeys_customer_live_newest'],
    ['state LIVE', { state: 'LIVE' }, 'ix_accesskeys_customer_live_newest'],
    ['state ALL', { state: 'ALL' }, 'ix_accesskeys_customer_newest'],
    ['state DELETED', { state: 'DELETED' }, 'ix_accesskeys_customer_newest'],
  ])('%s is an index scan, never a sequential scan', async (_label, filter, index) => {
    const plan = await planFor(filter);
    expect(plan).toMatch(new RegExp(`Index Scan using ${index} on accesskeys`));
    expect(plan).not.toMatch(/Seq Scan on accesskeys/);
  });
});

describe('a cursor continues only the list it was made for (issue 15 §3)', () => {
  const firstPage = async (filter?: Record<string, unknown>) => {
    const { body } = await list(filter, 2);
    expect(body.data.accesskeys.pageInfo.hasNextPage).toBe(true);
    return body.data.accesskeys.pageInfo.endCursor as string;
  };
  const expectRefused = (body: any) => {
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(body.errors[0].message).toMatch(/^after: /);
  };

  it.each([
    ['made for state ALL, used with state LIVE', { state: 'ALL' }, { state: 'LIVE' }],
    ['made without a filter, used with state ALL', undefined, { state: 'ALL' }],
    ['made for state ALL, used without a filter', { state: 'ALL' }, undefined],
    ['made for one nameContains, used with another', { nameContains: 'e' }, { nameContains: 'd' }],
    ['made for one expiresBefore, used with another', { state: 'ALL', expiresBefore: '2100-01-01T00:00:00Z' }, { state: 'ALL', expiresBefore: '2100-01-02T00:00:00Z' }],
    ['made for unusedSince, used without it', { state: 'ALL', unusedSince: '2100-01-01T00:00:00Z' }, { state: 'ALL' }],
  ])('%s: BAD_USER_INPUT naming after', async (_label, madeFor, usedWith) => {
    const after = await firstPage(madeFor);
    expectRefused((await list(usedWith, 2, after)).body);
    // With its own filter it goes on.
    expect((await list(madeFor, 2, after)).status).toBe(200);
    expect((await list(madeFor, 2, after)).body.errors).toBeUndefined();
  });

  it("GraphQL: another customer's cursor is refused, even for the same filter", async () => {
    const after = await firstPage({ state: 'ALL' });
    const stranger = await t.services.customers.create('stranger');
    const strangerToken = (await t.services.accesskeys.createForCustomer(stranger.id, { name: 's', expire: 31536000 })).token;
    const { body } = await gql(t, LIST, { first: 2, after, filter: { state: 'ALL' } }, bearer(strangerToken));
    expectRefused(body);
  });

  it("REST: another customer's page_token is 400 naming page_token; the REST list's own token also continues the same list over GraphQL", async () => {
    const page = async (tok: string, pageToken?: string) =>
      t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?page_size=2${pageToken ? `&page_token=${pageToken}` : ''}`, headers: bearer(tok) });
    const first = JSON.parse((await page(token)).body);
    expect(typeof first.next_page_token).toBe('string');
    const stranger = await t.services.customers.create('stranger2');
    const strangerToken = (await t.services.accesskeys.createForCustomer(stranger.id, { name: 's', expire: 31536000 })).token;
    const refused = await page(strangerToken, first.next_page_token);
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body).error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringMatching(/^page_token: /) });
    // Same customer, same list (REST lists what GraphQL lists without a filter): it goes on.
    const next = await page(token, first.next_page_token);
    expect(next.statusCode).toBe(200);
    const viaGraphQL = await list(undefined, 2, first.next_page_token);
    expect(viaGraphQL.ids).toEqual(JSON.parse(next.body).result.map((k: { id: string }) => k.id));
  });

  it('REST: the documented bare timestamp and cursors of older servers still work (they carry no list, so they are a position only)', async () => {
    const all = (await list(undefined)).ids;
    const [newest] = await t.database.dataSource.query('SELECT id, tm_create FROM accesskeys WHERE id = $1', [all[0]]);
    const at = (await gql(t, 'query ($id: ID!) { accesskey(id: $id) { tmCreate } }', { id: newest.id }, bearer(token))).body.data.accesskey.tmCreate as string;
    const legacy = Buffer.from(`v1|${at}|${newest.id}`).toString('base64url');
    for (const pageToken of [at, legacy]) {
      const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?page_token=${encodeURIComponent(pageToken)}`, headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body).result.map((k: { id: string }) => k.id)).toEqual(all.slice(1));
    }
  });
});

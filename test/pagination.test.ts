import { bearer, createTenant, gql, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';

let t: TestApp;
let owner: Tenant;
const created: string[] = [];

// 250 keys in groups of 10 that share one creation time, so ordering must fall back to the id.
beforeAll(async () => {
  [t, owner] = await appWithTenants({}, 'many');
  created.push(owner.keyId);
  for (let group = 0; group < 25; group++) {
    t.clock.advanceSeconds(1);
    for (let i = 0; i < 10; i++) {
      const { accesskey } = await t.services.accesskeys.createForCustomer(owner.customerId, { name: `k${group}-${i}`, expire: 86400 });
      created.push(accesskey.id);
    }
  }
  // A deleted key and another customer's keys must never appear.
  const other = await createTenant(t, 'other');
  const doomed = await t.services.accesskeys.createForCustomer(owner.customerId, { expire: 86400 });
  await t.services.accesskeys.delete({ requestId: 'test', caller: { kind: 'accesskey', customerId: owner.customerId, accesskeyId: owner.keyId, credentialHash: '0'.repeat(64), tokenPrefix: 'vb_test', scopes: ['accesskeys:write'] } }, doomed.accesskey.id);
  expect(other.customerId).not.toBe(owner.customerId);
});
afterAll(() => t.close());

async function restPages(pageSize?: number | string, tenant: Tenant = owner) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let token: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const params = new URLSearchParams();
    if (pageSize !== undefined) params.set('page_size', String(pageSize));
    if (token) params.set('page_token', token);
    const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?${params}`, headers: bearer(tenant.token) });
    expect(res.statusCode).toBe(200);
    const body = json(res);
    ids.push(...body.result.map((k: { id: string }) => k.id));
    sizes.push(body.result.length);
    token = body.next_page_token;
    if (token === null) break;
    expect(typeof token).toBe('string');
  }
  return { ids, sizes, lastToken: token };
}

function expectedOrder(items: Array<{ id: string; tm_create: string }>) {
  return [...items].sort((a, b) => (a.tm_create === b.tm_create ? (a.id < b.id ? 1 : -1) : a.tm_create < b.tm_create ? 1 : -1)).map((k) => k.id);
}

it('REST: 251 live keys in pages of 7, none skipped or repeated, newest first with ties broken by id', async () => {
  const { ids, sizes } = await restPages(7);
  expect(ids).toHaveLength(251);
  expect(new Set(ids).size).toBe(251);
  expect(new Set(ids)).toEqual(new Set(created));
  expect(sizes.slice(0, -1).every((s) => s === 7)).toBe(true);
  const all = await Promise.all(ids.map(async (id) => json(await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${id}`, headers: bearer(owner.token) }))));
  expect(ids).toEqual(expectedOrder(all));
});

it('REST: the default page is 100, and 0 or more than 100 mean 100', async () => {
  for (const size of [undefined, 0, 101, 5000]) {
    const { sizes } = await restPages(size);
    expect(sizes).toEqual([100, 100, 51]);
  }
});

it('REST: a bare timestamp page_token means "created before this time"', async () => {
  const first = json(await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=15', headers: bearer(owner.token) }));
  const boundary = first.result[14].tm_create; // inside a group of ten equal times
  const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?page_size=100&page_token=${encodeURIComponent(boundary)}`, headers: bearer(owner.token) });
  const older = json(res).result as Array<{ tm_create: string }>;
  expect(older.length).toBeGreaterThan(0);
  expect(older.every((k) => k.tm_create < boundary)).toBe(true);
  expect(older[0].tm_create).not.toBe(boundary);
});

it('GraphQL: the same 251 keys in the same order through first/after', async () => {
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const { body } = await gql(t, 'query ($after: String) { accesskeys(first: 40, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }', { after }, bearer(owner.token));
    const conn = body.data.accesskeys;
    ids.push(...conn.nodes.map((n: { id: string }) => n.id));
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  const rest = await restPages(100);
  expect(ids).toEqual(rest.ids);
});

it('REST: a page_size of ten or more digits is read as written: huge means 100, leading zeros do not count', async () => {
  for (const size of ['10000000000', '99999999999999999999999999']) {
    expect((await restPages(size)).sizes).toEqual([100, 100, 51]);
  }
  const { sizes } = await restPages('0000000000000000007');
  expect(sizes).toHaveLength(36);
  expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
});

describe('a list whose size is an exact multiple of the page size', () => {
  let four: Tenant;
  beforeAll(async () => {
    four = await createTenant(t, 'four');
    for (let i = 0; i < 3; i++) await t.services.accesskeys.createForCustomer(four.customerId, { expire: 86400 });
  });

  it('REST: ends with next_page_token null on the last full page', async () => {
    for (const size of [2, 4]) {
      const { sizes, lastToken } = await restPages(size, four);
      expect(sizes).toEqual(size === 2 ? [2, 2] : [4]);
      expect(lastToken).toBeNull();
    }
  });

  it('GraphQL: hasNextPage is false on the last full page', async () => {
    const first = await gql(t, '{ accesskeys(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } }', {}, bearer(four.token));
    expect(first.body.data.accesskeys.pageInfo.hasNextPage).toBe(true);
    const second = await gql(
      t,
      'query ($after: String) { accesskeys(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage } } }',
      { after: first.body.data.accesskeys.pageInfo.endCursor },
      bearer(four.token),
    );
    expect(second.body.data.accesskeys.nodes).toHaveLength(2);
    expect(second.body.data.accesskeys.pageInfo.hasNextPage).toBe(false);
  });
});

describe('page tokens whose time PostgreSQL cannot take', () => {
  const cursorAt = (time: string) => Buffer.from(`v1|${time}|2f1f8f7e-9b3d-4c60-8465-b69e9f28b6dc`).toString('base64url');
  const times = [
    '9999-12-31T23:59:59-23:59', // past year 9999 in UTC
    '9999-12-31T23:59:59.999999-00:01',
    '2026-12-01T10:15:30+16:00', // offsets beyond ±15:59
    '2026-12-01T10:15:30-16:00',
    '0000-01-01T00:00:00Z', // there is no year 0
  ];
  const tokens = times.flatMap((time) => [time, cursorAt(time)]);

  it.each(tokens)('REST: page_token %s is 400 INVALID_ARGUMENT naming page_token', async (token) => {
    const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?page_token=${encodeURIComponent(token)}`, headers: bearer(owner.token) });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toMatchObject({ status: 'INVALID_ARGUMENT' });
    expect(json(res).error.message).toMatch(/^page_token:/);
  });

  it.each(tokens)('GraphQL: after %s is BAD_USER_INPUT naming after', async (after) => {
    const { body } = await gql(t, 'query ($after: String) { accesskeys(after: $after) { nodes { id } } }', { after }, bearer(owner.token));
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it.each([
    ['9999-12-31T23:59:59.999999Z', 251],
    ['0001-01-01T00:00:00-15:59', 0],
    ['0050-06-01T00:00:00Z', 0], // year 50, not 1950
  ])('the edges of what is representable are accepted: %s', async (token, count) => {
    const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?page_size=0&page_token=${encodeURIComponent(token)}`, headers: bearer(owner.token) });
    expect(res.statusCode).toBe(200);
    expect(json(res).result).toHaveLength(Math.min(count, 100));
  });
});

it('the page size error says what is accepted', async () => {
  const rest = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=-1', headers: bearer(owner.token) });
  const { body } = await gql(t, '{ accesskeys(first: -1) { nodes { id } } }', {}, bearer(owner.token));
  for (const [field, message] of [['page_size', json(rest).error.message], ['first', body.errors[0].message]]) {
    // Anything from 0 up is taken (0 and more than 100 mean 100); the message must not promise a smaller range.
    expect(message).toMatch(new RegExp(`^${field}: .*0 or more.*above 100 mean 100`));
  }
});

import { bearer, buildTestApp, createTenant, gql, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';

let t: TestApp;
let owner: Tenant;
const created: string[] = [];

// 250 keys in groups of 10 that share one creation time, so ordering must fall back to the id.
beforeAll(async () => {
  t = await buildTestApp();
  owner = await createTenant(t, 'many');
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
  await t.services.accesskeys.delete({ requestId: 'test', caller: { kind: 'accesskey', customerId: owner.customerId, accesskeyId: owner.keyId } }, doomed.accesskey.id);
  expect(other.customerId).not.toBe(owner.customerId);
});
afterAll(() => t.close());

async function restPages(pageSize?: number) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let token: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const params = new URLSearchParams();
    if (pageSize !== undefined) params.set('page_size', String(pageSize));
    if (token) params.set('page_token', token);
    const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?${params}`, headers: bearer(owner.token) });
    expect(res.statusCode).toBe(200);
    const body = json(res);
    ids.push(...body.result.map((k: { id: string }) => k.id));
    sizes.push(body.result.length);
    token = body.next_page_token;
    if (token === null) break;
    expect(typeof token).toBe('string');
  }
  return { ids, sizes };
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

import fs from 'node:fs';
import path from 'node:path';
import { printSchemaFile } from '../src/app/graphql-schema';
import { buildAppSchema } from '../src/app/graphql-schema';
import { bearer, createTenant, gql } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';

const FIELDS = 'id customerId name detail tokenPrefix tmExpire tmCreate tmUpdate tmDelete';
const CREATE = `mutation ($input: CreateAccesskeyInput!) { createAccesskey(input: $input) { token accesskey { ${FIELDS} } } }`;
const GET = `query ($id: ID!) { accesskey(id: $id) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateAccesskeyInput!) { updateAccesskey(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteAccesskey(id: $id) { ${FIELDS} } }`;
const LIST = `query ($first: Int, $after: String) { accesskeys(first: $first, after: $after) {
  edges { cursor node { id } } nodes { ${FIELDS} } pageInfo { hasNextPage endCursor } } }`;

let t: TestApp;
let alice: Tenant;
let bob: Tenant;

beforeAll(async () => { [t, alice, bob] = await appWithTenants({}, 'alice', 'bob'); });
afterAll(() => t.close());

const as = (tenant: Tenant) => bearer(tenant.token);

async function createKey(tenant: Tenant, input: Record<string, unknown> = { expire: 86400 }) {
  const { body } = await gql(t, CREATE, { input }, as(tenant));
  return body.data.createAccesskey as { token: string; accesskey: Record<string, any> };
}

it('schema.graphql matches the schema built from the code', async () => {
  const schema = await buildAppSchema({ accesskeys: {} as never, verify: {} as never, audit: {} as never });
  const committed = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
  expect(committed).toBe(printSchemaFile(schema));
});

describe('createAccesskey', () => {
  it('returns the key and its token once; the key carries no token field', async () => {
    const { res, body } = await gql(t, CREATE, { input: { name: 'gql', detail: 'd', expire: 86400 } }, as(alice));
    expect(res.statusCode).toBe(200);
    const payload = body.data.createAccesskey;
    expect(payload.token).toMatch(/^vb_[0-9A-Za-z]{32}$/);
    expect(payload.accesskey).toMatchObject({ customerId: alice.customerId, name: 'gql', detail: 'd', tmDelete: null });
    expect(payload.accesskey.tokenPrefix).toBe(payload.token.slice(0, 11));
    expect(payload.accesskey.tmCreate).toBe(t.clock.now().toISOString());
    expect(payload.accesskey.tmExpire).toBe(t.clock.now().plusSeconds(86400).toISOString());
    const noToken = await gql(t, `{ accesskeys { nodes { token } } }`, {}, as(alice));
    expect(noToken.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it.each([
    ['expire below one day', { expire: 86399 }, 'expire'],
    ['256-character name', { expire: 86400, name: 'x'.repeat(256) }, 'name'],
    ['4097-character detail', { expire: 86400, detail: 'x'.repeat(4097) }, 'detail'],
    ['name with NUL', { expire: 86400, name: 'a\u0000' }, 'name'],
    // PostgreSQL counts code points: "a\uFE0F" is two of them, where class-validator's MaxLength counted one.
    ['name of 400 code points', { expire: 86400, name: 'a\uFE0F'.repeat(200) }, 'name'],
    ['detail of 4098 code points', { expire: 86400, detail: 'a\uFE0F'.repeat(2049) }, 'detail'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_label, input, field) => {
    const { body } = await gql(t, CREATE, { input }, as(alice));
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].extensions.field).toBe(field);
  });

  it('refuses wrong types before resolving (GraphQL coercion)', async () => {
    const { body } = await gql(t, CREATE, { input: { expire: '86400' } }, as(alice));
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const tooBig = await gql(t, CREATE, { input: { expire: 2147483648 } }, as(alice));
    expect(tooBig.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('accesskey(id)', () => {
  it("reads the caller's key", async () => {
    const { accesskey } = await createKey(alice);
    const { body } = await gql(t, GET, { id: accesskey.id }, as(alice));
    expect(body.data.accesskey).toEqual(accesskey);
  });

  it("gives null plus NOT_FOUND for an unknown or another customer's id", async () => {
    for (const id of [bob.keyId, '00000000-0000-4000-8000-000000000000']) {
      const { res, body } = await gql(t, GET, { id }, as(alice));
      expect(res.statusCode).toBe(200);
      expect(body.data.accesskey).toBeNull();
      expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });

  it('gives BAD_USER_INPUT naming id for a malformed id', async () => {
    const { body } = await gql(t, GET, { id: 'nope' }, as(alice));
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('updateAccesskey / deleteAccesskey', () => {
  it('replaces both fields and sets tmUpdate', async () => {
    const { accesskey } = await createKey(alice, { name: 'a', detail: 'b', expire: 86400 });
    t.clock.advanceSeconds(30);
    const { body } = await gql(t, UPDATE, { id: accesskey.id, input: { detail: 'new' } }, as(alice));
    expect(body.data.updateAccesskey).toMatchObject({ name: '', detail: 'new', tmUpdate: t.clock.now().toISOString(), tmCreate: accesskey.tmCreate });
  });

  it('deletes, then refuses to touch the deleted key with FAILED_PRECONDITION', async () => {
    const { accesskey, token } = await createKey(alice);
    t.clock.tick();
    const { body } = await gql(t, DELETE, { id: accesskey.id }, as(alice));
    expect(body.data.deleteAccesskey.tmDelete).toBe(t.clock.now().toISOString());
    for (const [query, vars] of [[GET, { id: accesskey.id }], [UPDATE, { id: accesskey.id, input: {} }], [DELETE, { id: accesskey.id }]] as const) {
      const again = await gql(t, query, vars, as(alice));
      expect(again.body.errors[0].extensions.code).toBe('FAILED_PRECONDITION');
    }
    const withDeleted = await gql(t, LIST, {}, bearer(token));
    expect(withDeleted.res.statusCode).toBe(401);
  });

  it("cannot update or delete another customer's key", async () => {
    for (const [query, vars] of [[UPDATE, { id: bob.keyId, input: { name: 'pwned' } }], [DELETE, { id: bob.keyId }]] as const) {
      const { body } = await gql(t, query, vars, as(alice));
      expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
    const { body } = await gql(t, GET, { id: bob.keyId }, as(bob));
    expect(body.data.accesskey).toMatchObject({ name: 'bootstrap', tmDelete: null });
  });
});

describe('accesskeys connection', () => {
  it('pages with cursors; nodes and edges agree', async () => {
    const dave = await createTenant(t, 'dave');
    for (let i = 0; i < 4; i++) await createKey(dave);
    const first = await gql(t, LIST, { first: 3 }, as(dave));
    const page1 = first.body.data.accesskeys;
    expect(page1.nodes).toHaveLength(3);
    expect(page1.edges.map((e: any) => e.node.id)).toEqual(page1.nodes.map((n: any) => n.id));
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[2].cursor });
    const second = await gql(t, LIST, { first: 3, after: page1.pageInfo.endCursor }, as(dave));
    const page2 = second.body.data.accesskeys;
    expect(page2.nodes).toHaveLength(2);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(page2.nodes[1].id).toBe(dave.keyId);
  });

  it('refuses a negative first and a bad cursor, naming them', async () => {
    const negative = await gql(t, LIST, { first: -1 }, as(alice));
    expect(negative.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const bad = await gql(t, LIST, { after: '***' }, as(alice));
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('authentication', () => {
  const operations: Array<[string, string, Record<string, unknown>]> = [
    ['accesskeys', LIST, {}],
    ['accesskey', GET, { id: '00000000-0000-4000-8000-000000000000' }],
    ['createAccesskey', CREATE, { input: { expire: 86400 } }],
    ['updateAccesskey', UPDATE, { id: '00000000-0000-4000-8000-000000000000', input: {} }],
    ['deleteAccesskey', DELETE, { id: '00000000-0000-4000-8000-000000000000' }],
  ];

  it.each(operations)('%s without credentials answers 401 UNAUTHENTICATED', async (_name, query, vars) => {
    const { res, body } = await gql(t, query, vars);
    expect(res.statusCode).toBe(401);
    expect(body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'AUTHENTICATION_REQUIRED' });
  });

  it.each(operations)('%s with a malformed key answers 401 INVALID_CREDENTIALS', async (_name, query, vars) => {
    const { res, body } = await gql(t, query, vars, bearer('vb_notarealtoken'));
    expect(res.statusCode).toBe(401);
    expect(body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
  });

  it('accepts the accesskey query parameter and marks the response no-store', async () => {
    const res = await t.app.inject({
      method: 'POST', url: `/graphql?accesskey=${alice.token}`, headers: { 'content-type': 'application/json' },
      payload: { query: '{ accesskeys(first: 1) { nodes { id } } }' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('serves introspection without credentials, so a playground can load the schema', async () => {
    const { res, body } = await gql(t, '{ __schema { queryType { name } types { name } } }');
    expect(res.statusCode).toBe(200);
    expect(body.data.__schema.types.map((x: { name: string }) => x.name)).toContain('Accesskey');
  });
});

it('masks unexpected failures as INTERNAL_SERVER_ERROR without internals', async () => {
  const spy = jest.spyOn(t.services.accesskeys, 'list').mockRejectedValueOnce(new Error('relation "secret_table" does not exist'));
  try {
    const { body } = await gql(t, LIST, {}, as(alice));
    expect(body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(body)).not.toContain('secret_table');
  } finally {
    spy.mockRestore();
  }
});

import { getIntrospectionQuery } from 'graphql';
import { loadConfig } from '../src/config';
import { listAliasBomb, schemaAliasBomb } from '../bench/graphql-abuse';
import { LEVELS, bearer, buildTestApp, createAgent, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';

const FIELDS = 'id customerId name detail tokenPrefix tmExpire tmCreate tmUpdate tmDelete';
/** The cost of one full page: 1 for `accesskeys`, then 100 × (`nodes` + its 9 fields). */
const fullPage = (alias: string, first = 100) => `${alias}: accesskeys(first: ${first}) { nodes { ${FIELDS} } }`;
const aliases = (count: number, make: (alias: string) => string) => Array.from({ length: count }, (_, i) => make(`a${i}`)).join(' ');

let t: TestApp;
let alice: Tenant;
let production: TestApp;
let tight: TestApp;
/** How many types the schema has: the tight cost limit follows it. */
let types = 0;

beforeAll(async () => {
  [t, alice] = await appWithTenants({}, 'alice');
  production = await buildTestApp({ graphql: loadConfig({ NODE_ENV: 'production' }).graphql });
  // The cost of an introspection list follows the schema's size (its average length), so the tight
  // cost limit sits between `types { name }` (about n) and `types { name kind description }` (about 3n).
  types = (await gql(t, '{ __schema { types { name } } }')).body.data.__schema.types.length as number;
  tight = await buildTestApp({
    graphql: loadConfig({
      NODE_ENV: 'production',
      GRAPHQL_INTROSPECTION: 'true',
      GRAPHQL_MAX_DEPTH: '3',
      GRAPHQL_MAX_ALIASES: '1',
      GRAPHQL_MAX_COST: String(2 * types),
      GRAPHQL_MAX_TOKENS: '20',
      GRAPHQL_MAX_DIRECTIVES: '0',
    }).graphql,
  });
  // Three embedded databases: on a busy 2-core machine each can take 20 s to start.
}, 180_000);
afterAll(async () => {
  await t?.close();
  await production?.close();
  await tight?.close();
});

/** A rejection before execution: 400, no `data`, BAD_USER_INPUT naming the limit's variable. */
function expectRefused(res: { statusCode: number }, body: any, limit: string) {
  expect(res.statusCode).toBe(400);
  expect(body.data).toBeUndefined();
  const codes = body.errors.map((e: any) => [e.extensions.code, e.extensions.limit]);
  expect(codes).toContainEqual(['BAD_USER_INPUT', limit]);
  const error = body.errors.find((e: any) => e.extensions.limit === limit);
  expect(error.extensions.reason).toBe('QUERY_LIMIT_EXCEEDED');
  return error.message as string;
}

/** Sends `query` and expects it refused for `limit`; returns the message. */
async function refusal(app: TestApp, query: string, limit: string, headers: Record<string, string> = {}) {
  const { res, body } = await gql(app, query, {}, headers);
  return expectRefused(res, body, limit);
}

describe('the abusive requests of issue 7', () => {
  it('refuses the __schema alias bomb without credentials before running it', async () => {
    const { res, body } = await gql(t, schemaAliasBomb());
    expect(res.statusCode).toBe(400);
    expect(body.data).toBeUndefined();
    const limits = body.errors.map((e: any) => e.extensions.limit);
    expect(limits).toEqual(expect.arrayContaining(['GRAPHQL_MAX_ALIASES', 'GRAPHQL_MAX_COST']));
    expect(res.rawPayload.length).toBeLessThan(4096);
  });

  it('refuses 1,000 aliases of accesskeys(first: 100) before authenticating or querying', async () => {
    // Garbage credentials: had anything run, the answer would be 401.
    const { res, body } = await gql(t, listAliasBomb(), {}, bearer('vb_0000000000000000000000000000000x'));
    expect(expectRefused(res, body, 'GRAPHQL_MAX_TOKENS')).toBe('Token count exceeds the limit of 1000 (GRAPHQL_MAX_TOKENS)');
    // With a token limit high enough to parse it, aliases and cost refuse it.
    const roomy = await buildTestApp({ graphql: loadConfig({ GRAPHQL_MAX_TOKENS: '100000' }).graphql });
    try {
      const parsed = await gql(roomy, listAliasBomb(), {}, bearer('vb_0000000000000000000000000000000x'));
      expect(expectRefused(parsed.res, parsed.body, 'GRAPHQL_MAX_ALIASES')).toBe('Alias count 1000 exceeds the limit of 15 (GRAPHQL_MAX_ALIASES)');
      expect(expectRefused(parsed.res, parsed.body, 'GRAPHQL_MAX_COST')).toBe('Query cost 301000 exceeds the limit of 10000 (GRAPHQL_MAX_COST)');
    } finally {
      await roomy.close();
    }
  });
});

describe('documents built to make the checks themselves slow', () => {
  it('measures each fragment once: 20 spreads on each of 8 levels are counted, not walked', async () => {
    let query = '{ ...F0 }';
    for (let level = 0; level < 8; level++) query += ` fragment F${level} on Query { ${aliases(20, (a) => `${a}: __typename ...F${level + 1}`)} }`;
    query += ' fragment F8 on Query { __typename }';
    // 20 + 20² + … + 20⁸ aliases once expanded.
    expect(await refusal(t, query, 'GRAPHQL_MAX_ALIASES')).toBe('Alias count 26947368420 exceeds the limit of 15 (GRAPHQL_MAX_ALIASES)');
  });

  it('answers a fragment cycle with graphql-js\'s validation error', async () => {
    const { res, body } = await gql(t, '{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }');
    expect(res.statusCode).toBe(400);
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('each limit, at its default', () => {
  it('depth: 8 levels pass, 9 are refused (fragments count at their full depth)', async () => {
    const nine = '{ __schema { types { fields { args { type { fields { args { type { name } } } } } } } } }';
    expect(await refusal(t, nine, 'GRAPHQL_MAX_DEPTH')).toBe(
      'Query depth 9 exceeds the limit of 8 (GRAPHQL_MAX_DEPTH)',
    );
    const viaFragment = '{ __schema { types { ...F } } } fragment F on __Type { fields { args { type { fields { args { type { name } } } } } } }';
    expect(await refusal(t, viaFragment, 'GRAPHQL_MAX_DEPTH')).toBe('Query depth 9 exceeds the limit of 8 (GRAPHQL_MAX_DEPTH)');
    const eight = '{ __schema { types { fields { args { type { fields { args { name } } } } } } } }';
    expect((await gql(t, eight)).res.statusCode).toBe(200);
  });

  it('aliases: 15 pass, 16 are refused, counted through fragments', async () => {
    const ok = await gql(t, `{ ${aliases(15, (a) => `${a}: me { kind }`)} }`, {}, bearer(alice.token));
    expect(ok.res.statusCode).toBe(200);
    expect(ok.body.data.a14.kind).toBe('ACCESSKEY');
    const { res, body } = await gql(t, `{ ${aliases(16, (a) => `${a}: me { kind }`)} }`, {}, bearer(alice.token));
    expect(expectRefused(res, body, 'GRAPHQL_MAX_ALIASES')).toBe('Alias count 16 exceeds the limit of 15 (GRAPHQL_MAX_ALIASES)');
    // 2 aliases in a fragment spread 8 times: 16.
    const spread = `{ ${aliases(8, (a) => `${a}: me { ...M }`)} } fragment M on Me { x: kind y: permission }`;
    const viaFragment = await gql(t, spread, {}, bearer(alice.token));
    expect(expectRefused(viaFragment.res, viaFragment.body, 'GRAPHQL_MAX_ALIASES')).toBe('Alias count 24 exceeds the limit of 15 (GRAPHQL_MAX_ALIASES)');
  });

  it('cost: a paginated field multiplies its selection by its page size', async () => {
    const nine = await gql(t, `{ ${aliases(9, (a) => fullPage(a))} }`, {}, bearer(alice.token));
    expect(nine.res.statusCode).toBe(200);
    expect(nine.body.data.a8.nodes).toHaveLength(1);
    const ten = await gql(t, `{ ${aliases(10, (a) => fullPage(a))} }`, {}, bearer(alice.token));
    expect(expectRefused(ten.res, ten.body, 'GRAPHQL_MAX_COST')).toBe('Query cost 10010 exceeds the limit of 10000 (GRAPHQL_MAX_COST)');
    const smallPages = await gql(t, `{ ${aliases(10, (a) => fullPage(a, 10))} }`, {}, bearer(alice.token));
    expect(smallPages.res.statusCode).toBe(200);
    // Like the service, 0 or more than 100 mean a page of 100.
    for (const first of [0, 500]) {
      expect(await refusal(t, `{ ${aliases(10, (a) => fullPage(a, first))} }`, 'GRAPHQL_MAX_COST', bearer(alice.token))).toBe(
        'Query cost 10010 exceeds the limit of 10000 (GRAPHQL_MAX_COST)',
      );
    }
  });

  it('cost: `first` as a variable counts as the value the request gives it, else its default, else a full page', async () => {
    const query = (variable: string) => `query (${variable}) { ${aliases(10, (a) => `${a}: accesskeys(first: $n) { nodes { ${FIELDS} } }`)} }`;
    const refused = 'Query cost 10010 exceeds the limit of 10000 (GRAPHQL_MAX_COST)';
    // A small declared default does not make a large value cheap (issue 15: 1,500 nodes for a cost of 1 a page).
    const large = await gql(t, query('$n: Int = 1'), { n: 100 }, bearer(alice.token));
    expect(expectRefused(large.res, large.body, 'GRAPHQL_MAX_COST')).toBe(refused);
    for (const n of [null, 0, 500]) {
      const full = await gql(t, query('$n: Int = 1'), { n }, bearer(alice.token));
      expect({ n, message: expectRefused(full.res, full.body, 'GRAPHQL_MAX_COST') }).toEqual({ n, message: refused });
    }
    const noValue = await gql(t, query('$n: Int'), {}, bearer(alice.token));
    expect(expectRefused(noValue.res, noValue.body, 'GRAPHQL_MAX_COST')).toBe(refused);
    // And a large declared default does not make a small value expensive.
    const small = await gql(t, query('$n: Int = 100'), { n: 1 }, bearer(alice.token));
    expect(small.res.statusCode).toBe(200);
    expect(small.body.data.a9.nodes).toHaveLength(1);
    const defaulted = await gql(t, query('$n: Int = 5'), {}, bearer(alice.token));
    expect(defaulted.res.statusCode).toBe(200);
    // Through a fragment, and before any credential is looked at (garbage would be 401).
    const spread = `query ($n: Int = 1) { ${aliases(10, (a) => `${a}: accesskeys(first: $n) { ...N }`)} } fragment N on AccesskeyConnection { nodes { ${FIELDS} } }`;
    const viaFragment = await gql(t, spread, { n: 100 }, bearer('vb_0000000000000000000000000000000x'));
    expect(expectRefused(viaFragment.res, viaFragment.body, 'GRAPHQL_MAX_COST')).toBe(refused);
  });

  it('tokens: 1,001 are refused while parsing', async () => {
    const many = `{ ${'__typename '.repeat(999)}}`;
    const { res, body } = await gql(t, many);
    expect(expectRefused(res, body, 'GRAPHQL_MAX_TOKENS')).toBe('Token count exceeds the limit of 1000 (GRAPHQL_MAX_TOKENS)');
  });

  it('directives: 10 pass, 11 are refused', async () => {
    const withDirectives = (n: number) => `{ ${Array.from({ length: n }, () => '__typename @include(if: true)').join(' ')} }`;
    expect((await gql(t, withDirectives(10))).res.statusCode).toBe(200);
    const { res, body } = await gql(t, withDirectives(11));
    expect(expectRefused(res, body, 'GRAPHQL_MAX_DIRECTIVES')).toBe('Directive count 11 exceeds the limit of 10 (GRAPHQL_MAX_DIRECTIVES)');
  });
});

describe('operations the schema does not serve', () => {
  it('answers a subscription as the client\'s error (400 GRAPHQL_VALIDATION_FAILED), and counts it as one', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    for (const query of ['subscription { me { kind } }', 'subscription S { accesskeys { nodes { id } } }']) {
      const { res, body } = await gql(t, query, {}, bearer(alice.token));
      expect({ query, status: res.statusCode, codes: body.errors.map((e: any) => e.extensions.code), data: body.data }).toEqual({
        query, status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'], data: undefined,
      });
    }
    const after = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const count = (text: string, status: string) =>
      Number(text.split('\n').find((l) => l.startsWith(`http_requests_total{method="POST",route="/graphql",status_code="${status}"} `))?.split(' ').at(-1) ?? 0);
    expect(count(after, '400') - count(before, '400')).toBe(2);
    expect(after).not.toMatch(/route="\/graphql",status_code="5\d\d"/);
  });
});

describe('configured limits (GRAPHQL_MAX_*)', () => {
  it.each([
    ['GRAPHQL_MAX_DEPTH', '{ __schema { types { name } } }', '{ __schema { types { fields { name } } } }', 'Query depth 4 exceeds the limit of 3 (GRAPHQL_MAX_DEPTH)'],
    ['GRAPHQL_MAX_ALIASES', '{ a: __typename }', '{ a: __typename b: __typename }', 'Alias count 2 exceeds the limit of 1 (GRAPHQL_MAX_ALIASES)'],
    ['GRAPHQL_MAX_COST', '{ __schema { types { name } } }', '{ __schema { types { name kind description } } }', undefined],
    ['GRAPHQL_MAX_TOKENS', `{ ${'__typename '.repeat(18)}}`, `{ ${'__typename '.repeat(19)}}`, 'Token count exceeds the limit of 20 (GRAPHQL_MAX_TOKENS)'],
    ['GRAPHQL_MAX_DIRECTIVES', '{ __typename }', '{ __typename @skip(if: false) }', 'Directive count 1 exceeds the limit of 0 (GRAPHQL_MAX_DIRECTIVES)'],
  ])('%s: the configured value is the limit', async (limit, within, beyond, message) => {
    expect((await gql(tight, within)).res.statusCode).toBe(200);
    const { res, body } = await gql(tight, beyond);
    const got = expectRefused(res, body, limit);
    if (message) expect(got).toBe(message);
    else expect(got).toMatch(new RegExp(`^Query cost \\d+ exceeds the limit of ${2 * types} \\(GRAPHQL_MAX_COST\\)$`));
  });
});

describe('introspection', () => {
  it("GraphiQL's own introspection query passes the default limits", async () => {
    for (const query of [getIntrospectionQuery(), getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true })]) {
      const { res, body } = await gql(t, query);
      expect(res.statusCode).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.__schema.types.map((type: { name: string }) => type.name)).toContain('Accesskey');
    }
  });

  it('is off in production, and so are "Did you mean" suggestions', async () => {
    const { res, body } = await gql(production, '{ __schema { types { name } } }');
    expect(res.statusCode).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const typo = '{ accesskeys { nodez { id } } }';
    expect((await gql(t, typo)).body.errors[0].message).toMatch(/Did you mean "nodes"\?/);
    const hidden = await gql(production, typo);
    expect(hidden.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(hidden.body.errors[0].message).toBe('Cannot query field "nodez" on type "AccesskeyConnection".');

    const input = 'mutation ($input: CreateAccesskeyInput!) { createAccesskey(input: $input) { token } }';
    expect((await gql(t, input, { input: { expire: 86400, nme: 'x' } })).body.errors[0].message).toMatch(/Did you mean/);
    const coerced = await gql(production, input, { input: { expire: 86400, nme: 'x' } });
    expect(coerced.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(coerced.body.errors[0].message).toContain('"nme"');
    expect(coerced.body.errors[0].message).not.toMatch(/Did you mean/);
  });

  it('is on in production with GRAPHQL_INTROSPECTION=true, and the limits still apply to it', async () => {
    const { res, body } = await gql(tight, '{ __schema { queryType { name } } }');
    expect(res.statusCode).toBe(200);
    expect(body.data.__schema.queryType.name).toBe('Query');
    await refusal(tight, '{ __schema { types { fields { name } } } }', 'GRAPHQL_MAX_DEPTH');
  });
});

describe('GET /graphql', () => {
  const get = (app: TestApp, query: string, headers: Record<string, string> = {}) =>
    app.app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(query)}`, headers: { accept: 'application/json', ...headers } });

  it('answers a query that carries an Authorization header', async () => {
    const res = await get(t, '{ me { kind customerId } }', bearer(alice.token));
    expect(res.statusCode).toBe(200);
    expect(json(res).data.me).toEqual({ kind: 'ACCESSKEY', customerId: alice.customerId });
  });

  it('refuses a query authenticated only by the session cookie (a browser sends it cross-site)', async () => {
    const { username, password } = await createAgent(t, alice, LEVELS.admin);
    const { token } = await login(t, username, password);
    const viaCookie = await get(t, '{ me { kind } }', { cookie: `token=${token}` });
    expect(viaCookie.statusCode).toBe(400);
    expect(viaCookie.body).toMatch(/Cross-Site Request Forgery/);
    // The same cookie over POST with a JSON body (which a browser must preflight) works.
    expect((await gql(t, '{ me { kind } }', {}, { cookie: `token=${token}` })).body.data.me.kind).toBe('AGENT');
  });

  it('refuses a mutation with 405, even with an Authorization header', async () => {
    const res = await get(t, 'mutation { createAccesskey(input: { expire: 86400 }) { token } }', bearer(alice.token));
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    const { body } = await gql(t, `{ ${fullPage('keys')} }`, {}, bearer(alice.token));
    expect(body.data.keys.nodes).toHaveLength(1);
  });
});

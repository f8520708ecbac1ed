import { LEVELS, bearer, createAgent, gql, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { agentSession, appWithTenants } from './helpers/tenants';

let t: TestApp;
let acme: Tenant;
let session: string;

beforeAll(async () => {
  [t, acme] = await appWithTenants({}, 'acme');
  session = (await agentSession(t, acme, LEVELS.admin)).token;
});
afterAll(() => t.close());

const CREATE = 'mutation { createAccesskey(input: { expire: 86400 }) { token } }';

describe('X-Content-Type-Options: nosniff', () => {
  it('is on every response: REST, GraphQL, errors, unknown paths, login, health, metrics, documents', async () => {
    const responses = {
      list: await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(acme.token) }),
      unauthenticated: await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys' }),
      badJson: await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: { ...bearer(acme.token), 'content-type': 'application/json' }, payload: '{"expire":' }),
      notFound: await t.app.inject({ method: 'GET', url: '/no/such/path' }),
      graphql: (await gql(t, '{ me { kind } }', {}, bearer(acme.token))).res,
      graphqlRefused: (await gql(t, '{ me { kind } }')).res,
      graphqlUnparsable: (await gql(t, '{ me {')).res,
      login: await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'nobody', password: 'whatever-it-is' } }),
      logout: await t.app.inject({ method: 'POST', url: '/auth/logout' }),
      healthz: await t.app.inject({ method: 'GET', url: '/healthz' }),
      readyz: await t.app.inject({ method: 'GET', url: '/readyz' }),
      metrics: await t.app.inject({ method: 'GET', url: '/metrics' }),
      openapi: await t.app.inject({ method: 'GET', url: '/v1.0/openapi.json' }),
      playground: await t.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } }),
    };
    const statuses = Object.fromEntries(Object.entries(responses).map(([name, res]) => [name, res.statusCode]));
    expect(statuses).toEqual({
      list: 200, unauthenticated: 401, badJson: 400, notFound: 404, graphql: 200, graphqlRefused: 401, graphqlUnparsable: 400,
      login: 400, logout: 200, healthz: 200, readyz: 200, metrics: 200, openapi: 200, playground: 200,
    });
    const headers = Object.fromEntries(Object.entries(responses).map(([name, res]) => [name, res.headers['x-content-type-options']]));
    expect(headers).toEqual(Object.fromEntries(Object.keys(responses).map((name) => [name, 'nosniff'])));
  });
});

describe('Cache-Control: no-store on every response holding a token or answering a credential', () => {
  const credentials = () => ({
    'access key in the header': { headers: bearer(acme.token), query: '' },
    'session in the header': { headers: bearer(session), query: '' },
    'session cookie': { headers: { cookie: `token=${session}` }, query: '' },
    'access key in the query': { headers: {}, query: `?accesskey=${acme.token}` },
  });

  it('REST POST /v1.0/accesskeys, however authenticated', async () => {
    for (const [how, { headers, query }] of Object.entries(credentials())) {
      const res = await t.app.inject({ method: 'POST', url: `/v1.0/accesskeys${query}`, headers, payload: { expire: 86400 } });
      expect({ how, status: res.statusCode, cacheControl: res.headers['cache-control'] }).toEqual({ how, status: 200, cacheControl: 'no-store' });
    }
  });

  it('GraphQL createAccesskey, however authenticated', async () => {
    for (const [how, { headers, query }] of Object.entries(credentials())) {
      const res = await t.app.inject({ method: 'POST', url: `/graphql${query}`, headers: { ...headers, 'content-type': 'application/json' }, payload: { query: CREATE } });
      expect({ how, status: res.statusCode, token: typeof JSON.parse(res.body).data?.createAccesskey?.token, cacheControl: res.headers['cache-control'] }).toEqual({
        how,
        status: 200,
        token: 'string',
        cacheControl: 'no-store',
      });
    }
  });

  it('every answer to a credential: REST reads and errors, the verify endpoint, however authenticated (a cookie does not keep shared caches off)', async () => {
    const { username, password } = await createAgent(t, acme, LEVELS['super-admin']);
    const superAdmin = (await login(t, username, password)).token;
    const reads = (query: string) => [`/v1.0/accesskeys${query}`, `/v1.0/accesskeys/${acme.keyId}${query}`, `/v1.0/accesskeys/00000000-0000-4000-8000-000000000000${query}`];
    for (const [how, { headers, query }] of Object.entries(credentials())) {
      for (const url of reads(query)) {
        const res = await t.app.inject({ method: 'GET', url, headers });
        expect({ how, url, status: res.statusCode < 500, cacheControl: res.headers['cache-control'] }).toEqual({ how, url, status: true, cacheControl: 'no-store' });
      }
    }
    const refused = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: { cookie: 'token=not.a.session' } });
    expect([refused.statusCode, refused.headers['cache-control']]).toEqual([401, 'no-store']);
    const verified = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys/verify', headers: { cookie: `token=${superAdmin}` }, payload: { token: acme.token } });
    expect([verified.statusCode, verified.headers['cache-control']]).toEqual([200, 'no-store']);
    // Nothing of anyone's: no credential, no no-store needed.
    const anonymous = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(anonymous.headers['cache-control']).toBeUndefined();
  });

  it('POST /auth/login', async () => {
    const { username, password } = await createAgent(t, acme, LEVELS.agent);
    const { res } = await login(t, username, password);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

import type * as SchemaValidator from '@seriousme/openapi-schema-validator';
import Ajv from 'ajv';
import Fastify from 'fastify';
import addFormats from 'ajv-formats';
import { generateToken } from '../src/keys/token';
import { httpStatusFor } from '../src/http/errors';
import { loggerOptions } from '../src/http/logging';
import { LEVELS, bearer, buildTestApp, createAgent, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';
import { LogCapture } from './helpers/log';

const log = new LogCapture();
let t: TestApp;
let acme: Tenant;

beforeAll(async () => { [t, acme] = await appWithTenants({ logger: loggerOptions('info', log) }, 'acme'); });
afterAll(() => t.close());

describe('health', () => {
  it('answers /healthz and /readyz without credentials', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(json(live)).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(json(ready)).toEqual({ status: 'ready' });
  });
});

describe('metrics', () => {
  /** The value of each series in a Prometheus text exposition. */
  const parse = (text: string) => {
    const series = new Map<string, number>();
    for (const line of text.split('\n')) if (line && !line.startsWith('#')) series.set(line.slice(0, line.lastIndexOf(' ')), Number(line.split(' ').at(-1)));
    return series;
  };
  const authSeries = (series: Map<string, number>) => Object.fromEntries([...series].filter(([name]) => name.startsWith('auth_attempts_total{')));

  let publicText: string;
  let privateText: string;

  beforeAll(async () => {
    const created = json(await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(acme.token), payload: { expire: 86400 } }));
    await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(acme.token) });
    await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(acme.token) });
    const expiring = await t.services.accesskeys.createForCustomer(acme.customerId, { expire: 86400 });
    const { username, password } = await createAgent(t, acme, LEVELS.admin);
    const ended = (await login(t, username, password, '10.2.2.2')).token;
    await t.services.agents.setPassword(username, 'a different password');
    t.clock.advanceSeconds(86400);
    const refused = [bearer('vb_bad'), bearer(generateToken()), bearer(created.token), bearer(expiring.token), { authorization: 'Basic x' }, bearer(ended), bearer('not.a.jwt')];
    for (const headers of [{}, ...refused]) {
      await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers });
    }
    await t.app.inject({ method: 'GET', url: '/no/such/route/123' });

    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    publicText = res.body;
    // What METRICS_PORT serves (main.ts mounts the private view on an app of its own).
    const monitoring = Fastify();
    t.metrics.registerRoute(monitoring, 'private');
    privateText = (await monitoring.inject({ method: 'GET', url: '/metrics' })).body;
    await monitoring.close();
  });

  it('count requests by route template and key events', () => {
    const value = (name: string) => parse(publicText).get(name);
    expect(value('http_requests_total{method="GET",route="/v1.0/accesskeys/:id",status_code="200"}')).toBe(1);
    expect(value('http_requests_total{method="DELETE",route="/v1.0/accesskeys/:id",status_code="200"}')).toBe(1);
    expect(value('http_requests_total{method="GET",route="unmatched",status_code="404"}')).toBe(1);
    expect(publicText).not.toContain('/no/such/route');
    expect(value('http_request_duration_seconds_count{method="POST",route="/v1.0/accesskeys",status_code="200"}')).toBe(1);
    expect(value('accesskeys_created_total')).toBeGreaterThanOrEqual(3);
    expect(value('accesskeys_deleted_total')).toBe(1);
    expect(publicText).toContain('process_cpu_user_seconds_total');
    expect(publicText).toContain('nodejs_eventloop_lag_seconds');
  });

  it('on the API port, show every refused credential as `invalid`, never why it was refused', () => {
    const auth = authSeries(parse(publicText));
    const outcomes = new Set(Object.keys(auth).map((name) => /outcome="([a-z]+)"/.exec(name)![1]));
    expect([...outcomes].sort()).toEqual(['invalid', 'missing', 'ok']);
    expect(auth['auth_attempts_total{credential="accesskey",outcome="invalid"}']).toBeGreaterThanOrEqual(4);
    expect(auth['auth_attempts_total{credential="session",outcome="invalid"}']).toBeGreaterThanOrEqual(2);
    expect(auth['auth_attempts_total{credential="none",outcome="invalid"}']).toBeGreaterThanOrEqual(1);
    expect(auth['auth_attempts_total{credential="none",outcome="missing"}']).toBeGreaterThanOrEqual(1);
  });

  it('on the monitoring port, say why each credential was refused; the two views count the same attempts', () => {
    const detailed = authSeries(parse(privateText));
    for (const [credential, outcome] of [
      ['accesskey', 'ok'], ['accesskey', 'malformed'], ['accesskey', 'unknown'], ['accesskey', 'deleted'], ['accesskey', 'expired'],
      ['session', 'revoked'], ['session', 'malformed'], ['none', 'missing'], ['none', 'malformed'],
    ]) {
      expect({ credential, outcome, count: detailed[`auth_attempts_total{credential="${credential}",outcome="${outcome}"}`] }).toEqual({ credential, outcome, count: expect.any(Number) });
    }
    const publicAuth = authSeries(parse(publicText));
    for (const credential of ['accesskey', 'session', 'none']) {
      const refusals = Object.entries(detailed)
        .filter(([name]) => name.includes(`credential="${credential}"`) && !/outcome="(ok|missing)"/.test(name))
        .reduce((sum, [, n]) => sum + n, 0);
      expect({ credential, invalid: publicAuth[`auth_attempts_total{credential="${credential}",outcome="invalid"}`] ?? 0 }).toEqual({ credential, invalid: refusals });
    }
    expect(parse(privateText).get('http_requests_total{method="GET",route="unmatched",status_code="404"}')).toBe(1);
  });

  it('show the database pool on the monitoring port only (its idle count would show a canary alarm\'s write)', () => {
    expect(parse(privateText).get('db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(parse(privateText).has('db_pool_connections{state="idle"}')).toBe(true);
    expect(publicText).not.toMatch(/^db_pool/m);
  });
});

describe('OpenAPI', () => {
  let doc: any;
  let ajv: Ajv;

  beforeAll(async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = json(res);
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    // OpenAPI 3.0 schemas: `nullable` and `example` are annotations here.
    const components = JSON.parse(JSON.stringify(doc.components.schemas).replace(/"nullable":true/g, '"type_nullable":true'));
    for (const [name, schema] of Object.entries<any>(components)) {
      if (schema.properties?.next_page_token) schema.properties.next_page_token = { type: ['string', 'null'] };
      ajv.addSchema({ ...schema, $id: undefined }, `#/components/schemas/${name}`);
    }
  });

  it('is a valid OpenAPI 3 document', async () => {
    // An ESM-only package: a real dynamic import (ts-jest would turn `import()` into `require`).
    const esmImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<typeof SchemaValidator>;
    const { Validator } = await esmImport('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\./);
  });

  it('describes every /v1.0 route and /auth/login, both credential locations and the error envelope', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/auth/login', '/auth/logout', '/healthz', '/readyz', '/v1.0/accesskeys', '/v1.0/accesskeys/{id}', '/v1.0/accesskeys/verify', '/v1.0/accesskeys/leaks'].sort());
    expect(Object.keys(doc.paths['/v1.0/accesskeys']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/v1.0/accesskeys/{id}']).sort()).toEqual(['delete', 'get', 'put']);
    expect(doc.components.securitySchemes.accesskeyQuery).toMatchObject({ type: 'apiKey', in: 'query', name: 'accesskey' });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1.0/accesskeys'].post.security).toEqual(expect.arrayContaining([{ accesskeyQuery: [] }, { bearer: [] }]));
    expect(doc.components.schemas.ErrorEnvelope.properties.error.required).toEqual(['status', 'reason', 'message', 'request_id']);
    expect(doc.components.schemas.CreateAccesskeyRequest.properties.expire).toMatchObject({ type: 'integer', minimum: 86400, maximum: 2147483647 });
    expect(doc.components.schemas.Accesskey.properties.tm_delete.example).toBe('9999-01-01T00:00:00.000000Z');
  });

  const operations = () =>
    Object.entries<any>(doc.paths).flatMap(([path, methods]) => Object.entries<any>(methods).map(([method, op]) => ({ path, method, op })));

  it('gives every operation a unique operationId and a declared tag', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(['checkLiveness', 'checkReadiness', 'createAccesskey', 'deleteAccesskey', 'getAccesskey', 'listAccesskeys', 'login', 'logout', 'reportLeakedAccesskeys', 'updateAccesskey', 'verifyAccesskey']);
    const tags = new Set(doc.tags.map((tag: { name: string }) => tag.name));
    for (const { op } of operations()) {
      expect(op.tags.length).toBeGreaterThan(0);
      for (const tag of op.tags) expect(tags.has(tag)).toBe(true);
    }
  });

  it('lists each error status explicitly, with examples that are real envelopes of that status', () => {
    const validate = ajv.compile({ $ref: '#/components/schemas/ErrorEnvelope' });
    for (const { path, method, op } of operations()) {
      const statuses = Object.keys(op.responses);
      expect({ path, method, ranges: statuses.filter((s) => !/^\d{3}$/.test(s)) }).toEqual({ path, method, ranges: [] });
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const media = op.responses[status].content['application/json'];
        const examples = Object.values<any>(media.examples);
        expect({ path, method, status, examples: examples.length > 0 }).toEqual({ path, method, status, examples: true });
        for (const { value } of examples) {
          expect(validate(value)).toBe(true);
          expect(httpStatusFor(value.error.status)).toBe(Number(status));
        }
      }
    }
    // The statuses a client must handle, per operation.
    const errorStatuses = (path: string, method: string) => Object.keys(doc.paths[path][method].responses).filter((s) => Number(s) >= 400);
    expect(errorStatuses('/v1.0/accesskeys/{id}', 'get')).toEqual(['400', '401', '403', '404', '409', '500', '503']);
    expect(errorStatuses('/v1.0/accesskeys', 'post')).toEqual(['400', '401', '403', '500', '503']);
    expect(errorStatuses('/auth/login', 'post')).toEqual(['400', '429', '500', '503']);
    expect(doc.paths['/auth/login'].post.responses['429'].headers['Retry-After'].schema.type).toBe('integer');
  });

  it('declares how a leak report is authenticated: its signature header as an apiKey scheme, the key identifier as a required header', () => {
    const op = doc.paths['/v1.0/accesskeys/leaks'].post;
    expect(op.security).toEqual([{ leakSignature: [] }]);
    expect(doc.components.securitySchemes.leakSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'Github-Public-Key-Signature' });
    const headers = op.parameters.filter((p: any) => p.in === 'header');
    expect(headers.map((p: any) => [p.name.toLowerCase(), p.required])).toEqual([['github-public-key-identifier', true]]);
    // Every other operation names its credentials too (none is silently open but login, logout and the probes).
    const open = operations().filter(({ op: o }) => !(o.security ?? []).some((r: object) => Object.keys(r).length > 0)).map(({ op: o }) => o.operationId);
    expect(open.sort()).toEqual(['checkLiveness', 'checkReadiness', 'login']);
  });

  it('declares the 404 ROUTE_NOT_FOUND answer of paths and methods it does not list, as real answers give it', async () => {
    const declaredResponse = doc.components.responses.RouteNotFound;
    const examples = Object.values<any>(declaredResponse.content['application/json'].examples);
    expect(examples.map(({ value }) => [value.error.status, value.error.reason])).toEqual([['NOT_FOUND', 'ROUTE_NOT_FOUND']]);
    expect(httpStatusFor(examples[0].value.error.status)).toBe(404);
    const validate = ajv.compile(declaredResponse.content['application/json'].schema);
    for (const [method, url] of [['GET', '/v1.0/no-such-path'], ['PATCH', '/v1.0/accesskeys'], ['GET', '/v1.0/accesskeys/a/b']] as const) {
      const res = await t.app.inject({ method, url, headers: bearer(acme.token) });
      expect({ method, url, status: res.statusCode, valid: validate(json(res)) }).toEqual({ method, url, status: 404, valid: true });
      expect(json(res).error.reason).toBe('ROUTE_NOT_FOUND');
    }
  });

  it('states the divergences a client relies on in the descriptions', () => {
    expect(doc.paths['/v1.0/accesskeys'].get.description).toContain('`next_page_token` is `null` on the last page');
    expect(doc.components.schemas.AccesskeyList.properties.next_page_token.nullable).toBe(true);
    expect(doc.paths['/v1.0/accesskeys/{id}'].put.description).toContain('a field left out becomes `""`');
    expect(doc.paths['/v1.0/accesskeys/{id}'].get.description).toContain("Another customer's key is answered 404");
    expect(doc.paths['/v1.0/accesskeys/{id}'].delete.description).toContain('409');
  });

  function declared(path: string, method: string, status: number) {
    const entry = doc.paths[path][method].responses[String(status)];
    const schema = entry.content['application/json'].schema;
    return ajv.compile(schema.$ref ? { $ref: schema.$ref } : schema);
  }

  it('matches real responses: every route, successes and errors', async () => {
    const { username, password } = await createAgent(t, acme, LEVELS.admin);
    const samples: Array<[string, string, () => Promise<{ statusCode: number; body: string }>]> = [];
    const created = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(acme.token), payload: { name: 'doc', expire: 86400 } });
    const id = json(created).id;
    samples.push(['/v1.0/accesskeys', 'post', async () => created]);
    samples.push(['/v1.0/accesskeys', 'get', () => t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(acme.token) })]);
    samples.push(['/v1.0/accesskeys', 'get', () => t.app.inject({ method: 'GET', url: '/v1.0/accesskeys' })]);
    samples.push(['/v1.0/accesskeys/{id}', 'get', () => t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${id}`, headers: bearer(acme.token) })]);
    samples.push(['/v1.0/accesskeys/{id}', 'put', () => t.app.inject({ method: 'PUT', url: `/v1.0/accesskeys/${id}`, headers: bearer(acme.token), payload: { name: 'x' } })]);
    samples.push(['/v1.0/accesskeys/{id}', 'put', () => t.app.inject({ method: 'PUT', url: `/v1.0/accesskeys/${id}`, headers: bearer(acme.token), payload: { name: 5 } })]);
    samples.push(['/v1.0/accesskeys/{id}', 'delete', () => t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${id}`, headers: bearer(acme.token) })]);
    samples.push(['/v1.0/accesskeys/{id}', 'get', () => t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${id}`, headers: bearer(acme.token) })]);
    samples.push(['/auth/login', 'post', () => t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } })]);
    samples.push(['/auth/login', 'post', () => t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: 'nope-nope' } })]);
    samples.push(['/healthz', 'get', () => t.app.inject({ method: 'GET', url: '/healthz' })]);
    const statuses: number[] = [];
    for (const [path, method, call] of samples) {
      const res = await call();
      statuses.push(res.statusCode);
      const validate = declared(path, method, res.statusCode);
      expect({ path, method, status: res.statusCode, valid: validate(JSON.parse(res.body)), errors: validate.errors ?? null }).toMatchObject({ valid: true });
      if (res.statusCode >= 400) {
        // The documented examples include the reason actually answered.
        const examples = Object.values<any>(doc.paths[path][method].responses[String(res.statusCode)].content['application/json'].examples);
        expect(examples.map(({ value }) => value.error.reason)).toContain(JSON.parse(res.body).error.reason);
      }
    }
    expect(statuses).toEqual([200, 200, 401, 200, 200, 400, 200, 409, 200, 400, 200]);
  });

  it('serves an offline Swagger UI', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/v1.0/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[a-z]/i);
    const script = await t.app.inject({ method: 'GET', url: '/v1.0/docs/static/swagger-ui-bundle.js' });
    expect(script.statusCode).toBe(200);
  });
});

describe('logs', () => {
  it('write one line per request with id, route, status and duration, and never a secret', async () => {
    log.lines.length = 0;
    const { username, password } = await createAgent(t, acme, LEVELS.admin);
    const session = (await login(t, username, password, '10.1.1.1')).token;
    await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: 'wrong-password' }, remoteAddress: '10.1.1.2' });
    const created = json(await t.app.inject({ method: 'POST', url: `/v1.0/accesskeys?accesskey=${acme.token}`, payload: { expire: 86400 }, headers: { 'x-request-id': 'log-create-1' } }));
    await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?token=${session}&page_size=2` });
    await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: { cookie: `token=${session}` } });
    await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(created.token) });
    await t.app.inject({ method: 'POST', url: '/graphql', headers: { ...bearer(session), 'content-type': 'application/json' }, payload: { query: 'mutation { createAccesskey(input: { expire: 86400 }) { token } }' } });

    const records = log.records().filter((r) => r.msg === 'request completed');
    expect(records).toHaveLength(7);
    const create = records.find((r) => r.reqId === 'log-create-1')!;
    expect(create).toMatchObject({ method: 'POST', route: '/v1.0/accesskeys', status: 200, url: '/v1.0/accesskeys?accesskey=[REDACTED]' });
    expect(typeof create.durationMs).toBe('number');
    for (const secret of [acme.token, created.token, session, password, 'wrong-password']) expect(log.text).not.toContain(secret);
    expect(log.text).not.toMatch(/vb_[0-9A-Za-z]{32}/);
    expect(log.text).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });
});

describe('switched off', () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await buildTestApp({ playground: false, metricsRoute: 'off' });
  });
  afterAll(() => off.close());

  it('serves no playground, Swagger UI or metrics when configured so', async () => {
    const page = await off.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(page.headers['content-type'] ?? '').not.toMatch(/text\/html/);
    expect((await off.app.inject({ method: 'GET', url: '/v1.0/docs/' })).statusCode).toBe(404);
    expect((await off.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    expect((await off.app.inject({ method: 'GET', url: '/v1.0/openapi.json' })).statusCode).toBe(200);
  });

  it('answers /readyz 503 UNAVAILABLE when the database does not answer, while /healthz stays up', async () => {
    await off.database.close();
    const ready = await off.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(json(ready).error).toMatchObject({ status: 'UNAVAILABLE' });
    expect((await off.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

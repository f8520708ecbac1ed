import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../src/config';
import { generateToken } from '../src/keys/token';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';

// Every error example the OpenAPI document shows is a real answer: for each one, the test sends
// the request that is refused that way and expects the documented status, code, reason and
// message (the request id aside). The examples are built by the code that refuses, so they cannot
// drift; this holds that true, and an example nobody can trigger here must say why below.

const dir = mkdtempSync(path.join(tmpdir(), 'openapi-examples-'));
const partner = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pemOf = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }) as string;
const PARTNER_ID = createHash('sha256').update(pemOf(partner.publicKey)).digest('hex');
const KEYS_FILE = path.join(dir, 'secret-scanning.pem');
writeFileSync(KEYS_FILE, pemOf(partner.publicKey));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Examples of answers no in-process request can provoke, with where they are tested instead. */
const ELSEWHERE: Record<string, string> = {
  INTERNAL: 'an unexpected error (the masking is tested in test/operations.test.ts)',
  DATABASE_UNAVAILABLE: 'a database that does not answer (test/database-outage.test.ts)',
};

type Json = any;
type Send = () => Promise<LightMyRequestResponse>;

describe('the OpenAPI error examples are the real answers', () => {
  let t: TestApp;
  let plain: TestApp;
  let tenant: Tenant;
  let agentSession: string;
  let superSession: string;
  let deletedId: string;
  let doc: Json;

  beforeAll(async () => {
    t = await buildTestApp({ leakReports: loadConfig({ LEAK_REPORT_KEYS: KEYS_FILE }).leakReports });
    plain = await buildTestApp();
    tenant = await createTenant(t, 'examples');
    const agent = await createAgent(t, tenant, LEVELS.agent);
    agentSession = (await login(t, agent.username, agent.password)).token;
    const boss = await createAgent(t, tenant, LEVELS['super-admin']);
    superSession = (await login(t, boss.username, boss.password)).token;
    const { accesskey } = await t.services.accesskeys.createForCustomer(tenant.customerId, { name: 'gone', expire: 86400 });
    deletedId = accesskey.id;
    expect((await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${deletedId}`, headers: bearer(tenant.token) })).statusCode).toBe(200);
    doc = json(await t.app.inject({ method: 'GET', url: '/v1.0/openapi.json' }));
  });
  afterAll(async () => {
    await t.close();
    await plain.close();
  });

  const inject = (app: TestApp, method: string, url: string, headers: Record<string, string> = {}, payload?: string | object) =>
    app.app.inject({ method: method.toUpperCase() as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
  const signed = (body: string) => ({
    'content-type': 'application/json',
    'github-public-key-identifier': PARTNER_ID,
    'github-public-key-signature': sign('sha256', Buffer.from(body), partner.privateKey).toString('base64'),
  });

  /** The request refused as the example `key` of `method route` shows (an example's key is its reason, or `FIELD_INVALID.<field>`). */
  function trigger(method: string, route: string, key: string): Send | null {
    const keyUrl = (id: string) => route.replace('{id}', id);
    const url = keyUrl(randomUUID());
    const body = method === 'post' && route === '/v1.0/accesskeys' ? { name: 'n', expire: 86400 } : method === 'put' ? { name: 'n' } : route.endsWith('/verify') ? { token: 'vb_x' } : undefined;
    const caller = route.endsWith('/verify') ? bearer(superSession) : bearer(tenant.token);
    if (route === '/auth/login') {
      if (key === 'LOGIN_FAILED') return () => inject(t, 'post', route, {}, { username: 'nobody-here', password: 'wrong' });
      if (key === 'FIELD_INVALID.username') return () => inject(t, 'post', route, {}, { username: '', password: 'x' });
      if (key === 'TOO_MANY_ATTEMPTS') {
        return async () => {
          for (let i = 0; i < 100; i++) {
            const res = await t.app.inject({ method: 'POST', url: route, payload: { username: 'limited', password: 'wrong' }, remoteAddress: '198.51.100.9' });
            if (res.statusCode === 429) return res;
          }
          throw new Error('never limited');
        };
      }
      return null;
    }
    if (route === '/v1.0/accesskeys/leaks') {
      const report = JSON.stringify([{ token: generateToken(), type: 'vb_access_key', url: 'https://example.com/a', source: 'content' }]);
      if (key === 'FIELD_INVALID.body[0].token') return () => inject(t, 'post', route, signed('[{"token": ""}]'), '[{"token": ""}]');
      if (key === 'BODY_TOO_LARGE') {
        const big = `[${' '.repeat(1024 * 1024 + 1)}]`;
        return () => inject(t, 'post', route, signed(big), big);
      }
      if (key === 'SIGNATURE_REQUIRED') return () => inject(t, 'post', route, { 'content-type': 'application/json' }, report);
      if (key === 'SIGNATURE_INVALID') return () => inject(t, 'post', route, { ...signed(report), 'github-public-key-signature': sign('sha256', Buffer.from('other'), partner.privateKey).toString('base64') }, report);
      if (key === 'LEAK_REPORTS_DISABLED') return () => inject(plain, 'post', route, signed(report), report);
      return null;
    }
    switch (key) {
      case 'AUTHENTICATION_REQUIRED':
        return () => inject(t, method, url, {}, body);
      case 'INVALID_CREDENTIALS':
        return () => inject(t, method, url, bearer(generateToken()), body);
      case 'PERMISSION_DENIED':
        return () => inject(t, method, route === '/v1.0/accesskeys' || route.endsWith('/verify') ? route : url, bearer(agentSession), body);
      case 'NOT_FOUND':
        return () => inject(t, method, url, caller, body);
      case 'STATE_INVALID':
        return () => inject(t, method, keyUrl(deletedId), caller, body);
      case 'FIELD_INVALID.id':
        return () => inject(t, method, keyUrl('not-a-uuid'), caller, body);
      case 'FIELD_INVALID.expire':
        return () => inject(t, method, route, caller, { expire: 60 });
      case 'FIELD_INVALID.name':
        return () => inject(t, method, url, caller, { name: 'x'.repeat(256) });
      case 'FIELD_INVALID.page_token':
        return () => inject(t, method, `${route}?page_token=bogus`, caller);
      case 'FIELD_INVALID.page_size':
        return () => inject(t, method, `${route}?page_size=abc`, caller);
      case 'FIELD_INVALID.token':
        return () => inject(t, method, route, caller, { token: 42 });
      case 'BODY_INVALID':
        return () => inject(t, method, route, { ...caller, 'content-type': 'application/json' }, '{');
      default:
        return null;
    }
  }

  it('answers every documented error example, exactly', async () => {
    const checked: string[] = [];
    const problems: unknown[] = [];
    for (const [route, operations] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(operations)) {
        for (const [status, response] of Object.entries<Json>(op.responses)) {
          for (const [key, { value }] of Object.entries<Json>(response.content?.['application/json']?.examples ?? {})) {
            const what = `${method.toUpperCase()} ${route} ${status} ${key}`;
            if (ELSEWHERE[value.error.reason]) continue;
            const send = trigger(method, route, key);
            if (!send) {
              problems.push(`${what}: no request in this test provokes it (add one, or say in ELSEWHERE where it is tested)`);
              continue;
            }
            const res = await send();
            const { request_id: _, ...answered } = JSON.parse(res.body).error ?? {};
            const { request_id: __, ...documented } = value.error;
            if (res.statusCode !== Number(status) || JSON.stringify(answered) !== JSON.stringify(documented)) {
              problems.push({ what, status: res.statusCode, answered, documented });
            }
            checked.push(what);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked.length).toBeGreaterThan(40);
  });

  it('shows the route-not-found answer as it is given', async () => {
    const { value } = Object.values<Json>(doc.components.responses.RouteNotFound.content['application/json'].examples)[0];
    const res = await inject(t, 'get', '/v1.0/no-such-path');
    expect(res.statusCode).toBe(404);
    expect({ ...json(res).error, request_id: null }).toEqual({ ...value.error, request_id: null });
  });
});

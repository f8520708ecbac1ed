import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AUDIT_ACTIONS } from '../src/audit/audit.types';
import { CONSOLE_CSP, defaultConsoleDir } from '../src/console/console.routes';
import { WEBHOOK_EVENT_TYPES } from '../src/webhooks/webhook.events';
import { DEFAULT_WEBHOOK_CONFIG } from '../src/webhooks/webhook.config';
import { LEVELS, buildTestApp, createAgent, createTenant, gql, login } from './helpers/app';
import type { TestApp } from './helpers/app';

/**
 * How the server serves the console built by `npm run build` (dist/console/): the page under a strict
 * CSP, the hashed assets precompressed and cached immutable, and `GET /`. The browser test
 * (test/slow/console.browser.test.ts) drives the console itself.
 */
let t: TestApp;
let scriptPath: string;
let stylePath: string;

beforeAll(async () => {
  // Webhooks on (a key to seal secrets with), to a loopback URL that is never called (the worker is not started).
  t = await buildTestApp({
    webhooks: { ...DEFAULT_WEBHOOK_CONFIG, secretKey: new Uint8Array(randomBytes(32)), allowHttp: true, allowPrivateNetworks: true },
    webhookWorker: 'manual',
  });
  const html = fs.readFileSync(path.join(defaultConsoleDir(), 'index.html'), 'utf8');
  scriptPath = /<script type="module" crossorigin src="([^"]+)"/.exec(html)![1];
  stylePath = /<link rel="stylesheet" crossorigin href="([^"]+)"/.exec(html)![1];
});

afterAll(async () => {
  await t?.close();
});

describe('the console page', () => {
  it.each(['/console', '/console/', '/console/keys/0b7c4a3e-1111-4111-8111-111111111111', '/console/audit', '/console/sign-in?next=%2Fconsole%2Faudit'])(
    'GET %s answers the page, revalidated, under a CSP with no inline script',
    async (url) => {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(CONSOLE_CSP).toContain("script-src 'self';");
      expect(CONSOLE_CSP).not.toContain('unsafe-inline');
      expect(res.body).toContain('<div id="root"></div>');
      // Every script is a file of this server; none is inline.
      expect(res.body.match(/<script[^>]*>/g)).toEqual([`<script type="module" crossorigin src="${scriptPath}">`]);
      expect(res.body).not.toMatch(/<script[^>]*>[^<]+<\/script>/);
    },
  );

  it('names content-hashed assets under /console/assets/', () => {
    expect(scriptPath).toMatch(/^\/console\/assets\/index-[\w-]{8}\.js$/);
    expect(stylePath).toMatch(/^\/console\/assets\/index-[\w-]{8}\.css$/);
  });
});

describe('the console assets', () => {
  it('serves the precompressed brotli file as built, cached immutable for a year', async () => {
    const res = await t.app.inject({ method: 'GET', url: scriptPath, headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['vary']).toBe('accept-encoding');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const file = path.join(defaultConsoleDir(), 'assets', path.basename(scriptPath));
    expect(res.rawPayload.equals(fs.readFileSync(`${file}.br`))).toBe(true);
    expect(brotliDecompressSync(res.rawPayload).equals(fs.readFileSync(file))).toBe(true);
  });

  it('serves gzip to a client without brotli, and identity to one that asks for nothing', async () => {
    const gz = await t.app.inject({ method: 'GET', url: stylePath, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toContain('prefers-color-scheme:dark');
    const plain = await t.app.inject({ method: 'GET', url: stylePath });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(plain.body).toContain('prefers-color-scheme:dark');
  });

  it('answers 404 for an asset that was not built, never a path on disk', async () => {
    for (const url of ['/console/assets/nope.js', '/console/assets/..%2F..%2Fpackage.json', '/console/assets/index.html']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
    }
  });

  it('keeps the console out of the OpenAPI document', async () => {
    const doc = JSON.parse((await t.app.inject({ method: 'GET', url: '/v1.0/openapi.json' })).body);
    expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/console'))).toEqual([]);
  });
});

describe('GET /', () => {
  it('answers a small HTML page linking the console, the playground, the OpenAPI document and the API docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const links = [...res.body.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]);
    expect(links).toEqual(expect.arrayContaining(['/console', '/graphql', '/v1.0/openapi.json', '/v1.0/docs']));
    for (const link of ['/console', '/graphql', '/v1.0/openapi.json', '/v1.0/docs']) {
      const target = await t.app.inject({ method: 'GET', url: link, headers: { accept: 'text/html' } });
      expect({ link, status: target.statusCode }).toEqual({ link, status: 200 });
    }
  });

  it('does not link the playground and Swagger UI when they are off', async () => {
    const off = await buildTestApp({ playground: false });
    try {
      const res = await off.app.inject({ method: 'GET', url: '/' });
      expect(res.body).toContain('href="/console"');
      expect(res.body).not.toContain('href="/graphql"');
      expect(res.body).not.toContain('href="/v1.0/docs"');
    } finally {
      await off.close();
    }
  });
});

describe('what the console asks of the API', () => {
  it("me tells a customer admin which scopes it may grant and what it may do; a key learns its own", async () => {
    const tenant = await createTenant(t, 'console-me');
    const { username, password } = await createAgent(t, tenant, LEVELS.admin);
    const { res } = await login(t, username, password);
    const cookie = res.cookies.find((c) => c.name === 'token')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const query = '{ me { grantableScopes allowedActions } }';
    const asAgent = await gql(t, query, {}, { cookie: `token=${cookie.value}`, 'apollo-require-preflight': 'true' });
    expect(asAgent.body.data.me).toEqual({
      grantableScopes: ['accesskeys:read', 'accesskeys:write'],
      allowedActions: ['accesskeys:read', 'accesskeys:write', 'audit:read', 'canaries:read', 'webhooks:manage'],
    });
    const superAdmin = await createAgent(t, tenant, LEVELS['super-admin']);
    const superSession = await login(t, superAdmin.username, superAdmin.password);
    const asSuper = await gql(t, query, {}, { authorization: `Bearer ${superSession.token}` });
    expect(asSuper.body.data.me.grantableScopes).toEqual(['accesskeys:read', 'accesskeys:write', 'accesskeys:verify']);
    const asKey = await gql(t, query, {}, { authorization: `Bearer ${tenant.token}` });
    expect(asKey.body.data.me).toEqual({ grantableScopes: ['accesskeys:read', 'accesskeys:write'], allowedActions: ['accesskeys:read', 'accesskeys:write'] });
  });
});

describe("the lists the console's choices come from (it keeps no copy)", () => {
  it('auditActions names every action the trail records, and webhookEventTypes every event an endpoint may want; for admin agents only', async () => {
    const tenant = await createTenant(t, 'console-lists');
    const { username, password } = await createAgent(t, tenant, LEVELS.admin);
    const { token } = await login(t, username, password);
    const asAgent = await gql(t, '{ auditActions webhookEventTypes }', {}, { authorization: `Bearer ${token}` });
    expect(asAgent.body.data).toEqual({ auditActions: [...AUDIT_ACTIONS], webhookEventTypes: [...WEBHOOK_EVENT_TYPES] });
    for (const field of ['auditActions', 'webhookEventTypes']) {
      const asKey = await gql(t, `{ ${field} }`, {}, { authorization: `Bearer ${tenant.token}` });
      expect({ field, code: asKey.body.errors[0].extensions.code }).toEqual({ field, code: 'FORBIDDEN' });
    }
  });
});

describe('webhookEndpoint (the page of one endpoint)', () => {
  it("answers the caller's own endpoint, and NOT_FOUND for another customer's", async () => {
    const mine = await createTenant(t, 'console-hooks');
    const theirs = await createTenant(t, 'console-hooks-other');
    const adminOf = async (tenant: typeof mine) => {
      const { username, password } = await createAgent(t, tenant, LEVELS.admin);
      return login(t, username, password);
    };
    const me = await adminOf(mine);
    const them = await adminOf(theirs);
    const created = await gql(
      t,
      'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
      { input: { url: 'http://127.0.0.1:9/hook', events: ['webhook.test'], description: 'ops' } },
      { authorization: `Bearer ${me.token}` },
    );
    const id = created.body.data.createWebhookEndpoint.endpoint.id;
    const query = 'query ($id: ID!) { webhookEndpoint(id: $id) { id url events description disabled } }';
    const own = await gql(t, query, { id }, { authorization: `Bearer ${me.token}` });
    expect(own.body.data.webhookEndpoint).toEqual({ id, url: 'http://127.0.0.1:9/hook', events: ['webhook.test'], description: 'ops', disabled: false });
    const other = await gql(t, query, { id }, { authorization: `Bearer ${them.token}` });
    expect(other.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('auditChain (the Audit page\'s "Verify the chain")', () => {
  it("verifies the caller's customer's chain for an admin agent, and refuses an access key", async () => {
    const tenant = await createTenant(t, 'console-chain');
    const { username, password } = await createAgent(t, tenant, LEVELS.admin);
    const { token } = await login(t, username, password);
    const query = '{ auditChain { ok events brokenAtSeq reason } }';
    // customer create is not in the customer's chain; the key, the agent and the login are.
    const verdict = await gql(t, query, {}, { authorization: `Bearer ${token}` });
    expect(verdict.body.data.auditChain).toEqual({ ok: true, events: 3, brokenAtSeq: null, reason: null });
    const asKey = await gql(t, query, {}, { authorization: `Bearer ${tenant.token}` });
    expect(asKey.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('names the first broken link of a tampered chain', async () => {
    const tenant = await createTenant(t, 'console-tampered');
    const { username, password } = await createAgent(t, tenant, LEVELS.admin);
    const { token } = await login(t, username, password);
    // What a table owner could do: edit an event past the append-only trigger (as test/audit.test.ts does).
    await t.database.dataSource.query('ALTER TABLE audit_events DISABLE TRIGGER tr_audit_events_append_only');
    try {
      await t.database.dataSource.query("UPDATE audit_events SET action = 'accesskey.update' WHERE customer_id = $1 AND seq = 1", [tenant.customerId]);
    } finally {
      await t.database.dataSource.query('ALTER TABLE audit_events ENABLE TRIGGER tr_audit_events_append_only');
    }
    const verdict = await gql(t, '{ auditChain { ok events brokenAtSeq reason } }', {}, { authorization: `Bearer ${token}` });
    expect(verdict.body.data.auditChain).toMatchObject({ ok: false, events: null, brokenAtSeq: 1, reason: expect.any(String) });
  });
});

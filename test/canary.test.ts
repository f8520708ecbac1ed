import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { generateToken, hashToken } from '../src/keys/token';
import type { AuditEvent } from '../src/audit/audit.types';
import { loggerOptions } from '../src/http/logging';
import { LEVELS, bearer, createAgent, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { agentSession, appWithTenants } from './helpers/tenants';
import { LogCapture } from './helpers/log';
import { embeddedEnv, run } from './helpers/process';

// Canary keys (issue 10 §3): they look like any key, never authorize anything, and each use is recorded.
let t: TestApp;
let log: LogCapture;
let alice: Tenant;
let bob: Tenant;
let verifier: string;
/** A session of each tenant's customer admin: only agents are told which keys are canaries. */
const admins = new Map<Tenant, string>();

async function adminOf(tenant: Tenant): Promise<string> {
  if (!admins.has(tenant)) {
    admins.set(tenant, (await agentSession(t, tenant, LEVELS.admin)).token);
  }
  return admins.get(tenant)!;
}

beforeAll(async () => {
  log = new LogCapture();
  [t, alice, bob] = await appWithTenants({ logger: loggerOptions('info', log) }, 'alice', 'bob');
  verifier = (await t.services.accesskeys.createForCustomer(bob.customerId, { expire: 86400 * 30 }, undefined, ['accesskeys:verify'])).token;
});
afterAll(() => t.close());

const CREATE = `mutation ($input: CreateAccesskeyInput!) {
  createAccesskey(input: $input) { token accesskey { id canary tokenPrefix scopes } } }`;

/** A canary of `owner`'s, made over GraphQL by the owner's customer admin. */
async function createCanary(owner: Tenant = alice, extra: Record<string, unknown> = {}) {
  const { body } = await gql(t, CREATE, { input: { expire: 86400 * 365, name: 'bait', canary: true, ...extra } }, bearer(await adminOf(owner)));
  expect(body.errors).toBeUndefined();
  // Each test starts a new second, so the throttle of an earlier use does not interfere.
  t.clock.advanceSeconds(2);
  return body.data.createAccesskey as { token: string; accesskey: { id: string; canary: boolean; tokenPrefix: string; scopes: string[] } };
}

/** The canary's recorded uses, newest first, once the writes under way have finished. */
async function usesOf(keyId: string, customerId = alice.customerId): Promise<AuditEvent[]> {
  await t.services.canaries.settled();
  return t.services.audit.search(customerId, { action: 'accesskey.canary_used', targetId: keyId, actorTokenHash: null, since: null, until: null, beforeSeq: null, limit: 100 });
}

async function metricsText(view: 'public' | 'private'): Promise<string> {
  if (view === 'public') return (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const monitoring = Fastify();
  t.metrics.registerRoute(monitoring, 'private');
  const text = (await monitoring.inject({ method: 'GET', url: '/metrics' })).body;
  await monitoring.close();
  return text;
}

const series = (text: string, name: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
};

/** What a client sees of an answer: status, headers and body, without what differs per request. */
function seen(res: LightMyRequestResponse) {
  const { date: _date, 'x-request-id': requestId, ...headers } = res.headers;
  const body = res.body.split(String(requestId)).join('<request id>');
  return { status: res.statusCode, headers, body };
}

const AS_CLIENT = { 'user-agent': 'curl/8.5.0', 'x-forwarded-for': '198.51.100.7' };
const FROM = '203.0.113.9';

/** The same request three ways: Bearer on REST, `?accesskey=` on REST, Bearer on GraphQL. */
const presentations = (token: string) => [
  () => t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: { ...AS_CLIENT, ...bearer(token) }, remoteAddress: FROM }),
  () => t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?page_size=5&accesskey=${token}`, headers: AS_CLIENT, remoteAddress: FROM }),
  () =>
    t.app.inject({
      method: 'POST', url: '/graphql', remoteAddress: FROM,
      headers: { ...AS_CLIENT, ...bearer(token), 'content-type': 'application/json' },
      payload: { query: '{ accesskeys { nodes { id } } }' },
    }),
];

describe('creating a canary', () => {
  it('makes a key whose token looks and checks like any other, and says canary: true (and in its create event)', async () => {
    const { token, accesskey } = await createCanary();
    expect(accesskey.canary).toBe(true);
    expect(token).toMatch(/^vb_[0-9A-Za-z]{32}$/);
    expect(accesskey.tokenPrefix).toBe(token.slice(0, 11));
    const check = await run(process.execPath, ['dist/src/cli/admin.js', 'token', 'check', token], embeddedEnv(path.join(os.tmpdir(), `akd-canary-${process.pid}`)));
    expect({ code: check.code, out: JSON.parse(check.stdout) }).toEqual({ code: 0, out: { well_formed: true, token_prefix: token.slice(0, 11) } });
    const [created] = await t.services.audit.search(alice.customerId, {
      action: 'accesskey.create', targetId: accesskey.id, actorTokenHash: null, since: null, until: null, beforeSeq: null, limit: 1,
    });
    expect(created.after).toMatchObject({ name: 'bait', canary: true });
  });

  it('makes an ordinary key when canary is false or absent, and its create event does not say canary', async () => {
    for (const input of [{ expire: 86400 }, { expire: 86400, canary: false }]) {
      const { body } = await gql(t, CREATE, { input }, bearer(await adminOf(alice)));
      expect(body.data.createAccesskey.accesskey.canary).toBe(false);
      const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(body.data.createAccesskey.token) });
      expect(res.statusCode).toBe(200);
      const [created] = await t.services.audit.search(alice.customerId, {
        action: 'accesskey.create', targetId: body.data.createAccesskey.accesskey.id, actorTokenHash: null, since: null, until: null, beforeSeq: null, limit: 1,
      });
      expect(created.after).not.toHaveProperty('canary');
    }
  });

  it('ignores a canary field in the REST body (the REST wire is frozen): the key made there is ordinary', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(alice.token), payload: { expire: 86400, canary: true } });
    expect(res.statusCode).toBe(200);
    expect(json(res)).not.toHaveProperty('canary');
    expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(json(res).token) })).statusCode).toBe(200);
  });
});

describe('using a canary', () => {
  it('is refused exactly like an unknown well-formed token: same status, headers and body, on REST (Bearer, ?accesskey=) and GraphQL', async () => {
    const { token } = await createCanary();
    const unknown = generateToken();
    for (const [i, present] of presentations(token).entries()) {
      const asCanary = seen(await present());
      const asUnknown = seen(await presentations(unknown)[i]());
      expect(asCanary.status).toBe(401);
      expect(asCanary).toEqual(asUnknown);
      t.clock.advanceSeconds(2);
    }
  });

  it('records each use in the owner\'s trail: client address, user agent, method and route (never the query string)', async () => {
    const { token, accesskey } = await createCanary();
    for (const present of presentations(token)) {
      expect((await present()).statusCode).not.toBe(500);
      t.clock.advanceSeconds(2);
    }
    const uses = await usesOf(accesskey.id);
    // The writes are not awaited by the requests, so on PostgreSQL they may commit in any order.
    const key = (d: Record<string, unknown> | null) => `${String(d?.route)} ${String(d?.method)}`;
    const byRoute = (a: Record<string, unknown> | null, b: Record<string, unknown> | null) => key(a).localeCompare(key(b));
    expect(uses.map((e) => e.detail).sort(byRoute)).toEqual([
      { via: 'authentication', method: 'GET', route: '/v1.0/accesskeys', suppressed: 0 },
      { via: 'authentication', method: 'GET', route: '/v1.0/accesskeys', suppressed: 0 },
      { via: 'authentication', method: 'POST', route: '/graphql', suppressed: 0 },
    ].sort(byRoute));
    for (const event of uses) {
      expect(event).toMatchObject({
        customerId: alice.customerId,
        targetId: accesskey.id,
        actor: { kind: 'accesskey', id: accesskey.id, name: accesskey.tokenPrefix, tokenHash: hashToken(token) },
        origin: { clientAddress: FROM, userAgent: 'curl/8.5.0', requestId: expect.any(String) },
      });
      expect(JSON.stringify(event)).not.toContain(token);
      expect(JSON.stringify(event)).not.toContain('page_size');
    }
    expect(new Set(uses.map((e) => e.origin.requestId)).size).toBe(3);
    // Nothing else is written in its name: not a last use, and bob's trail has none of it.
    expect((await t.services.accesskeys.listForCustomer(alice.customerId, { size: 100, after: null })).items.find((k) => k.id === accesskey.id)!.tmLastUsed).toBeNull();
    expect(await usesOf(accesskey.id, bob.customerId)).toEqual([]);
  });

  it('logs a warning per recorded use with request id, key, customer, client address and route, and never the token', async () => {
    const { token, accesskey } = await createCanary();
    const before = log.lines.length;
    const res = await presentations(token)[1]();
    await usesOf(accesskey.id);
    const records = log.records().slice(before);
    const warning = records.find((r) => r.msg === 'canary access key used');
    expect(warning).toMatchObject({
      level: 40, reqId: res.headers['x-request-id'], accesskeyId: accesskey.id, customerId: alice.customerId, clientAddress: FROM, route: '/v1.0/accesskeys', method: 'GET',
    });
    expect(log.text).not.toContain(token);
    expect(log.text).not.toContain(token.slice(11));
  });

  it('counts every use on the private metrics view only; authentication counts it as `unknown`', async () => {
    const { token } = await createCanary();
    const [publicBefore, privateBefore] = [await metricsText('public'), await metricsText('private')];
    const uses = 3;
    for (let i = 0; i < uses; i++) await presentations(token)[0]();
    const [publicAfter, privateAfter] = [await metricsText('public'), await metricsText('private')];
    expect(series(privateAfter, 'accesskeys_canary_uses_total') - series(privateBefore, 'accesskeys_canary_uses_total')).toBe(uses);
    expect(publicAfter).not.toContain('canary');
    const unknownSeries = 'auth_attempts_total{credential="accesskey",outcome="unknown"}';
    expect(series(privateAfter, unknownSeries) - series(privateBefore, unknownSeries)).toBe(uses);
    const invalidSeries = 'auth_attempts_total{credential="accesskey",outcome="invalid"}';
    expect(series(publicAfter, invalidSeries) - series(publicBefore, invalidSeries)).toBe(uses);
  });

  it('changes the public metrics as an unknown token changes them, even while its event is being written', async () => {
    const { token } = await createCanary();
    // What differs between two scrapes whatever happened between them: the process's own gauges and the latency histogram.
    const stable = (text: string) =>
      new Map(
        text.split('\n')
          .filter((l) => l && !l.startsWith('#') && !/^(process_|nodejs_|http_request_duration_seconds)/.test(l))
          .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const),
      );
    const change = (before: Map<string, number>, after: Map<string, number>) =>
      Object.fromEntries([...new Set([...before.keys(), ...after.keys()])].map((name) => [name, (after.get(name) ?? 0) - (before.get(name) ?? 0)]).filter(([, d]) => d !== 0));
    const start = stable(await metricsText('public'));
    expect((await presentations(generateToken())[0]()).statusCode).toBe(401);
    const afterUnknown = stable(await metricsText('public'));
    expect((await presentations(token)[0]()).statusCode).toBe(401);
    // Scraped at once: the alarm's event is being written now.
    const afterCanary = stable(await metricsText('public'));
    await t.services.canaries.settled();
    expect(change(afterUnknown, afterCanary)).toEqual(change(start, afterUnknown));
    expect([...afterCanary.keys()].filter((name) => name.startsWith('db_pool'))).toEqual([]);
  });

  it('writes at most one event (and warning) per key per second; the next one counts the uses skipped', async () => {
    const { token, accesskey } = await createCanary();
    const other = await createCanary();
    const warningsBefore = log.records().filter((r) => r.msg === 'canary access key used').length;
    for (let i = 0; i < 5; i++) await presentations(token)[0]();
    // Another canary has a throttle of its own.
    await presentations(other.token)[0]();
    expect((await usesOf(accesskey.id)).map((e) => e.detail!.suppressed)).toEqual([0]);
    expect(await usesOf(other.accesskey.id)).toHaveLength(1);
    t.clock.tick(999_000);
    await presentations(token)[0]();
    expect(await usesOf(accesskey.id)).toHaveLength(1);
    t.clock.tick(1000);
    await presentations(token)[0]();
    expect((await usesOf(accesskey.id)).map((e) => e.detail!.suppressed)).toEqual([5, 0]);
    expect(log.records().filter((r) => r.msg === 'canary access key used').length - warningsBefore).toBe(3);
  });

  it('does not keep the answer waiting for the event: it is answered while the owner\'s trail is locked', async () => {
    const { token, accesskey } = await createCanary();
    await presentations(token)[0]();
    expect(await usesOf(accesskey.id)).toHaveLength(1);
    t.clock.advanceSeconds(2);
    let status = 0;
    await t.database.sql.transaction(async (tx) => {
      await tx.query('test_lock_chain', 'SELECT seq FROM audit_chains WHERE chain = $1 FOR UPDATE', [alice.customerId]);
      status = (await presentations(token)[0]()).statusCode;
    });
    expect(status).toBe(401);
    expect(await usesOf(accesskey.id)).toHaveLength(2);
  });

  it('answers NOT_FOUND to a verifying service, exactly as for an unknown token, and records the use', async () => {
    const { token, accesskey } = await createCanary();
    const verify = (tok: string) =>
      t.app.inject({ method: 'POST', url: '/v1.0/accesskeys/verify', headers: { ...bearer(verifier), 'user-agent': 'billing/2.1' }, payload: { token: tok }, remoteAddress: FROM });
    const asCanary = await verify(token);
    expect(json(asCanary)).toEqual({ valid: false, code: 'NOT_FOUND' });
    expect(seen(asCanary)).toEqual(seen(await verify(generateToken())));
    const GQL = 'mutation ($token: String!) { verifyAccesskey(token: $token) { valid code accesskeyId customerId scopes tmExpire } }';
    t.clock.advanceSeconds(2);
    const viaGraphQL = await gql(t, GQL, { token: `secret-token:${token}` }, bearer(verifier));
    expect(viaGraphQL.body).toEqual((await gql(t, GQL, { token: generateToken() }, bearer(verifier))).body);
    expect(viaGraphQL.body.data.verifyAccesskey.code).toBe('NOT_FOUND');
    // Unawaited writes may commit in either order.
    const uses = (await usesOf(accesskey.id)).sort((a, b) => String(a.detail?.route).localeCompare(String(b.detail?.route)));
    expect(uses.map((e) => [e.detail, e.origin.userAgent])).toEqual([
      [{ via: 'verification', method: 'POST', route: '/graphql', suppressed: 0 }, 'lightMyRequest'],
      [{ via: 'verification', method: 'POST', route: '/v1.0/accesskeys/verify', suppressed: 0 }, 'billing/2.1'],
    ]);
  });

  it('authorizes nothing whatever its scopes: a write is refused too, and a canary made by an agent session is no different', async () => {
    const { username, password } = await createAgent(t, alice, LEVELS.admin);
    const session = (await login(t, username, password)).token;
    const { body: made } = await gql(t, CREATE, { input: { expire: 86400, canary: true, scopes: ['accesskeys:read', 'accesskeys:write'] } }, bearer(session));
    const { token, accesskey } = made.data.createAccesskey;
    expect(accesskey).toMatchObject({ canary: true, scopes: ['accesskeys:read', 'accesskeys:write'] });
    const write = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(token), payload: { expire: 86400 } });
    expect(write.statusCode).toBe(401);
    const { body } = await gql(t, 'mutation { createAccesskey(input: { expire: 86400 }) { token } }', {}, bearer(token));
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeNull();
  });
});

describe('a canary\'s lifecycle', () => {
  const STATE = 'mutation ($id: ID!) { disableAccesskey(id: $id) { canary tmDisable } }';
  const ENABLE = 'mutation ($id: ID!) { enableAccesskey(id: $id) { canary tmDisable } }';

  it('is silent while disabled, expired or deleted (still refused like an unknown token), and armed again once enabled', async () => {
    const { token, accesskey } = await createCanary();
    expect((await gql(t, STATE, { id: accesskey.id }, bearer(await adminOf(alice)))).body.data.disableAccesskey.canary).toBe(true);
    const unknown = generateToken();
    expect(seen(await presentations(token)[0]())).toEqual(seen(await presentations(unknown)[0]()));
    expect(await usesOf(accesskey.id)).toEqual([]);
    expect((await gql(t, ENABLE, { id: accesskey.id }, bearer(alice.token))).body.data.enableAccesskey.tmDisable).toBeNull();
    expect((await presentations(token)[0]()).statusCode).toBe(401);
    expect(await usesOf(accesskey.id)).toHaveLength(1);
    t.clock.advanceSeconds(2);
    await gql(t, 'mutation ($id: ID!) { deleteAccesskey(id: $id) { id } }', { id: accesskey.id }, bearer(alice.token));
    expect(seen(await presentations(token)[0]())).toEqual(seen(await presentations(unknown)[0]()));
    expect(await usesOf(accesskey.id)).toHaveLength(1);

    const shortLived = await createCanary(alice, { expire: 86400 });
    t.clock.advanceSeconds(86400);
    expect(seen(await presentations(shortLived.token)[0]())).toEqual(seen(await presentations(unknown)[0]()));
    expect(await usesOf(shortLived.accesskey.id)).toEqual([]);
  });

  it('keeps canary through a rotation: the new token is a canary too', async () => {
    const { accesskey } = await createCanary();
    const { body } = await gql(t, 'mutation ($id: ID!) { rotateAccesskey(id: $id, gracePeriod: 0) { token accesskey { id canary } previous { canary } } }', { id: accesskey.id }, bearer(await adminOf(alice)));
    const rotated = body.data.rotateAccesskey;
    expect([rotated.accesskey.canary, rotated.previous.canary]).toEqual([true, true]);
    expect((await presentations(rotated.token)[0]()).statusCode).toBe(401);
    expect(await usesOf(rotated.accesskey.id)).toHaveLength(1);
  });
});

describe('listing', () => {
  const LIST = '{ accesskeys(filter: { state: ALL }) { nodes { id canary } } }';

  it('shows canary: true to its customer\'s admins (and false on ordinary keys); REST lists it with the frozen fields', async () => {
    const { accesskey } = await createCanary();
    const nodes = (await gql(t, LIST, {}, bearer(await adminOf(alice)))).body.data.accesskeys.nodes as Array<{ id: string; canary: boolean }>;
    expect(nodes.find((n) => n.id === accesskey.id)!.canary).toBe(true);
    expect(nodes.find((n) => n.id === alice.keyId)!.canary).toBe(false);
    const one = await gql(t, 'query ($id: ID!) { accesskey(id: $id) { canary } }', { id: accesskey.id }, bearer(await adminOf(alice)));
    expect(one.body.data.accesskey.canary).toBe(true);
    const rest = json(await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${accesskey.id}`, headers: bearer(alice.token) }));
    expect(Object.keys(rest)).toEqual(['id', 'customer_id', 'name', 'detail', 'token_prefix', 'tm_expire', 'tm_create', 'tm_update', 'tm_delete']);
  });

  it('tells an access key nothing: canary is false on every key, in lists, lookups and every mutation\'s answer', async () => {
    const { accesskey } = await createCanary();
    const key = bearer(alice.token);
    const nodes = (await gql(t, LIST, {}, key)).body.data.accesskeys.nodes as Array<{ id: string; canary: boolean }>;
    expect(nodes.some((n) => n.id === accesskey.id)).toBe(true);
    expect(nodes.filter((n) => n.canary)).toEqual([]);
    expect((await gql(t, 'query ($id: ID!) { accesskey(id: $id) { canary } }', { id: accesskey.id }, key)).body.data.accesskey.canary).toBe(false);
    for (const mutation of ['updateAccesskey(id: $id, input: { name: "bait" })', 'disableAccesskey(id: $id)', 'enableAccesskey(id: $id)']) {
      const { body } = await gql(t, `mutation ($id: ID!) { m: ${mutation} { canary } }`, { id: accesskey.id }, key);
      expect({ mutation, canary: body.data.m.canary }).toEqual({ mutation, canary: false });
    }
    // A key may still plant a canary; it is not told so afterwards either.
    const planted = (await gql(t, CREATE, { input: { expire: 86400, canary: true } }, key)).body.data.createAccesskey.accesskey;
    expect(planted.canary).toBe(false);
    const rotated = (await gql(t, 'mutation ($id: ID!) { rotateAccesskey(id: $id) { accesskey { canary } previous { canary } } }', { id: planted.id }, key)).body.data.rotateAccesskey;
    expect([rotated.accesskey.canary, rotated.previous.canary]).toEqual([false, false]);
    const asAdmin = (await gql(t, 'query ($id: ID!) { accesskey(id: $id) { canary } }', { id: planted.id }, bearer(await adminOf(alice)))).body.data.accesskey;
    expect(asAdmin.canary).toBe(true);
  });

  it('shows another tenant nothing of it', async () => {
    const { accesskey } = await createCanary();
    const nodes = (await gql(t, LIST, {}, bearer(bob.token))).body.data.accesskeys.nodes as Array<{ id: string }>;
    expect(nodes.map((n) => n.id)).not.toContain(accesskey.id);
    const one = await gql(t, 'query ($id: ID!) { accesskey(id: $id) { canary } }', { id: accesskey.id }, bearer(bob.token));
    expect(one.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

import type { LightMyRequestResponse } from 'fastify';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, gql, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { openTestDatabase, usingPostgres } from './helpers/database';
import { loadConfig } from '../src/config';
import { AccesskeyStore } from '../src/keys/accesskey.store';

const VERIFY = 'accesskeys:verify';
const POLICY = { rateLimit: { store: 'memory', redisUrl: null, timeoutMs: 250 }, usageFlushSeconds: 60, usageRetentionDays: 90 } as const;

let t: TestApp;
let owner: Tenant;
let verifier: string;

beforeAll(async () => {
  t = await buildTestApp({ policy: POLICY });
  owner = await createTenant(t, 'owner');
  verifier = (await t.services.accesskeys.createForCustomer(owner.customerId, { expire: 86400 * 30 }, undefined, [VERIFY])).token;
});
afterAll(() => t.close());

const CREATE = `mutation ($input: CreateAccesskeyInput!) {
  createAccesskey(input: $input) { token accesskey { id rateLimit { limit windowSeconds } credits { remaining refill { amount interval } tmLastRefill } allowedCidrs meta } }
}`;
const SET = `mutation ($id: ID!, $input: AccesskeyPolicyInput!) {
  setAccesskeyPolicy(id: $id, input: $input) { id rateLimit { limit windowSeconds } credits { remaining refill { amount interval } } allowedCidrs meta }
}`;

/** A key of `owner` with a usage policy, made through GraphQL. */
async function keyWith(policy: Record<string, unknown>): Promise<{ id: string; token: string; created: any }> {
  const { body } = await gql(t, CREATE, { input: { name: 'limited', expire: 86400 * 30, ...policy } }, bearer(owner.token));
  expect(body.errors).toBeUndefined();
  t.clock.tick();
  return { id: body.data.createAccesskey.accesskey.id, token: body.data.createAccesskey.token, created: body.data.createAccesskey.accesskey };
}

const list = (token: string, remoteAddress = '127.0.0.1') => t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(token), remoteAddress });
const graphList = (token: string) => gql(t, '{ accesskeys(first: 1) { nodes { id } } }', {}, bearer(token));
const verifyRest = (token: string, clientIp?: string) =>
  t.app.inject({ method: 'POST', url: '/v1.0/accesskeys/verify', headers: bearer(verifier), payload: clientIp === undefined ? { token } : { token, client_ip: clientIp } });
const VERIFY_GQL = 'mutation ($token: String!, $ip: String) { verifyAccesskey(token: $token, clientIp: $ip) { valid code rateLimit { limit remaining reset } creditsRemaining meta } }';

const envelope = (res: LightMyRequestResponse) => json(res).error as { status: string; reason: string };
const headersOf = (res: LightMyRequestResponse) => [res.headers['ratelimit-limit'], res.headers['ratelimit-remaining'], res.headers['ratelimit-reset']];

describe('a key with a usage policy', () => {
  it('is made with its policy over GraphQL, shown there, and REST shows the key exactly as before', async () => {
    const { id, created } = await keyWith({
      rateLimit: { limit: 100, windowSeconds: 60 },
      credits: { remaining: 1000, refill: { amount: 1000, interval: 'DAILY' } },
      allowedCidrs: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'],
      meta: { plan: 'pro', tenant: 42 },
    });
    expect(created).toEqual({
      id, rateLimit: { limit: 100, windowSeconds: 60 }, credits: { remaining: 1000, refill: { amount: 1000, interval: 'DAILY' }, tmLastRefill: null },
      allowedCidrs: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32'], meta: { plan: 'pro', tenant: 42 },
    });
    const rest = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${id}`, headers: bearer(owner.token) });
    expect(Object.keys(json(rest))).not.toEqual(expect.arrayContaining(['meta']));
    expect(Object.keys(json(rest)).some((k) => /rate|credit|cidr|meta/.test(k))).toBe(false);
  });

  it('refuses a bad policy naming the field: a CIDR, the meta size, a limit, a refill', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ allowedCidrs: ['10.0.0.0/8', '10.0.0.0/33'] }, 'allowedCidrs[1]'],
      [{ allowedCidrs: ['not an address'] }, 'allowedCidrs[0]'],
      [{ meta: { blob: 'x'.repeat(4100) } }, 'meta'],
      [{ rateLimit: { limit: 0, windowSeconds: 60 } }, 'rateLimit.limit'],
      [{ rateLimit: { limit: 5, windowSeconds: 0 } }, 'rateLimit.windowSeconds'],
      [{ credits: { remaining: -1 } }, 'credits.remaining'],
      [{ credits: { remaining: 5, refill: { amount: 0, interval: 'DAILY' } } }, 'credits.refill.amount'],
    ];
    for (const [policy, field] of cases) {
      const { body } = await gql(t, CREATE, { input: { expire: 86400, ...policy } }, bearer(owner.token));
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});

describe('what a policy costs, and keys without one', () => {
  it('a key made over REST has no policy', async () => {
    const made = json(await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(owner.token), payload: { name: 'rest', expire: 86400 } }));
    const { body } = await gql(t, `{ accesskey(id: "${made.id}") { rateLimit { limit } credits { remaining } allowedCidrs meta } }`, {}, bearer(owner.token));
    expect(body.data.accesskey).toEqual({ rateLimit: null, credits: null, allowedCidrs: null, meta: null });
    const used = await list(made.token as string, '192.0.2.99');
    expect(used.statusCode).toBe(200);
    expect(headersOf(used)).toEqual([undefined, undefined, undefined]);
  });

  it('warm: a key without policy or with a rate limit (memory store) is one statement; credits add exactly one', async () => {
    for (let i = 0; i < 500 && !t.services.authCache.active; i++) await new Promise((r) => setTimeout(r, 10));
    const target = `/v1.0/accesskeys/${owner.keyId}`;
    const limited = (await keyWith({ rateLimit: { limit: 1000, windowSeconds: 3600 } })).token;
    const credited = (await keyWith({ credits: { remaining: 1000 } })).token;
    const statements = async (token: string) => {
      expect((await t.app.inject({ method: 'GET', url: target, headers: bearer(token) })).statusCode).toBe(200); // warms the cache
      const names: string[] = [];
      const original = t.database.sql.query.bind(t.database.sql);
      const spy = jest.spyOn(t.database.sql, 'query').mockImplementation((name: string, text: string, values: readonly unknown[]) => {
        names.push(name);
        return original(name, text, values);
      });
      try {
        expect((await t.app.inject({ method: 'GET', url: target, headers: bearer(token) })).statusCode).toBe(200);
      } finally {
        spy.mockRestore();
      }
      return names;
    };
    const plain = await statements(owner.token);
    expect(plain).toHaveLength(1);
    expect(await statements(limited)).toEqual(plain);
    expect(await statements(credited)).toEqual(['ak_spend_credit', ...plain]);
  });
});

describe('rate limit', () => {
  it('REST: RateLimit headers on every answer, 429 RESOURCE_EXHAUSTED RATE_LIMITED with Retry-After past the limit, again after the window', async () => {
    t.clock.toNextWindow(60);
    const { token } = await keyWith({ rateLimit: { limit: 2, windowSeconds: 60 } });
    const first = await list(token);
    expect(first.statusCode).toBe(200);
    expect(headersOf(first)).toEqual(['2', '1', '60']);
    t.clock.advanceSeconds(10);
    const second = await list(token);
    expect(headersOf(second)).toEqual(['2', '0', '50']);
    const third = await list(token);
    expect(third.statusCode).toBe(429);
    expect(envelope(third)).toMatchObject({ status: 'RESOURCE_EXHAUSTED', reason: 'RATE_LIMITED' });
    expect(third.headers['retry-after']).toBe('50');
    expect(headersOf(third)).toEqual(['2', '0', '50']);
    t.clock.toNextWindow(60);
    expect((await list(token)).statusCode).toBe(200);
  });

  it('REST: a key without a rate limit gets no RateLimit headers', async () => {
    const res = await list(owner.token);
    expect(res.statusCode).toBe(200);
    expect(headersOf(res)).toEqual([undefined, undefined, undefined]);
  });

  it('GraphQL: the same refusal as RESOURCE_EXHAUSTED with reason RATE_LIMITED', async () => {
    t.clock.toNextWindow(60);
    const { token } = await keyWith({ rateLimit: { limit: 1, windowSeconds: 60 } });
    expect((await graphList(token)).body.errors).toBeUndefined();
    const { body } = await graphList(token);
    expect(body.errors[0].extensions).toMatchObject({ code: 'RESOURCE_EXHAUSTED', reason: 'RATE_LIMITED' });
  });

  it('verification: counts as a use of the verified key, RATE_LIMITED past the limit, rate_limit on every answer', async () => {
    t.clock.toNextWindow(60);
    const { token } = await keyWith({ rateLimit: { limit: 2, windowSeconds: 60 } });
    expect(json(await verifyRest(token))).toMatchObject({ valid: true, code: 'VALID', rate_limit: { limit: 2, remaining: 1, reset: 60 }, credits_remaining: null });
    expect((await gql(t, VERIFY_GQL, { token }, bearer(verifier))).body.data.verifyAccesskey).toMatchObject({ valid: true, rateLimit: { limit: 2, remaining: 0 } });
    expect(json(await verifyRest(token))).toMatchObject({ valid: false, code: 'RATE_LIMITED', rate_limit: { limit: 2, remaining: 0, reset: 60 } });
    expect((await list(token)).statusCode).toBe(429);
  });
});

describe('the verifying key', () => {
  it("its own use counts against its own policy: a rate-limited verifier is refused like any key", async () => {
    t.clock.toNextWindow(60);
    const own = await t.services.accesskeys.createForCustomer(owner.customerId, { expire: 86400 * 30 }, undefined, [VERIFY]);
    t.clock.tick();
    const set = await gql(t, SET, { id: own.accesskey.id, input: { rateLimit: { limit: 1, windowSeconds: 60 } } }, bearer(owner.token));
    expect(set.body.errors).toBeUndefined();
    const { token } = await keyWith({});
    const byOwn = () => t.app.inject({ method: 'POST', url: '/v1.0/accesskeys/verify', headers: bearer(own.token), payload: { token } });
    expect(json(await byOwn())).toMatchObject({ valid: true, rate_limit: null });
    const refused = await byOwn();
    expect(refused.statusCode).toBe(429);
    expect(envelope(refused)).toMatchObject({ status: 'RESOURCE_EXHAUSTED', reason: 'RATE_LIMITED' });
    // Another verifier still verifies the same key: the limit was the verifier's, not the verified key's.
    expect(json(await verifyRest(token))).toMatchObject({ valid: true });
  });
});

describe('credits', () => {
  it('REST: each use spends one; none left is 429 RESOURCE_EXHAUSTED CREDITS_EXHAUSTED; a daily refill comes at the first use a day later', async () => {
    const { id, token } = await keyWith({ credits: { remaining: 2, refill: { amount: 3, interval: 'DAILY' } } });
    expect((await list(token)).statusCode).toBe(200);
    expect((await list(token)).statusCode).toBe(200);
    const refused = await list(token);
    expect(refused.statusCode).toBe(429);
    expect(envelope(refused)).toMatchObject({ status: 'RESOURCE_EXHAUSTED', reason: 'CREDITS_EXHAUSTED' });
    t.clock.advanceSeconds(86400 - 5);
    expect((await list(token)).statusCode).toBe(429);
    t.clock.advanceSeconds(5);
    expect((await list(token)).statusCode).toBe(200);
    const { body } = await gql(t, `{ accesskey(id: "${id}") { credits { remaining tmLastRefill } } }`, {}, bearer(owner.token));
    expect(body.data.accesskey.credits).toEqual({ remaining: 2, tmLastRefill: t.clock.now().toISOString() });
  });

  it('GraphQL: CREDITS_EXHAUSTED in extensions', async () => {
    const { token } = await keyWith({ credits: { remaining: 1 } });
    expect((await graphList(token)).body.errors).toBeUndefined();
    expect((await graphList(token)).body.errors[0].extensions).toMatchObject({ code: 'RESOURCE_EXHAUSTED', reason: 'CREDITS_EXHAUSTED' });
  });

  it('verification: credits_remaining after each use, then USAGE_EXCEEDED; a rate-limited use spends none', async () => {
    t.clock.toNextWindow(60);
    const { token } = await keyWith({ credits: { remaining: 3 }, rateLimit: { limit: 2, windowSeconds: 60 } });
    expect(json(await verifyRest(token))).toMatchObject({ valid: true, credits_remaining: 2 });
    expect((await gql(t, VERIFY_GQL, { token }, bearer(verifier))).body.data.verifyAccesskey).toMatchObject({ valid: true, creditsRemaining: 1 });
    expect(json(await verifyRest(token))).toMatchObject({ valid: false, code: 'RATE_LIMITED', credits_remaining: null });
    t.clock.toNextWindow(60);
    expect(json(await verifyRest(token))).toMatchObject({ valid: true, credits_remaining: 0 });
    expect(json(await verifyRest(token))).toMatchObject({ valid: false, code: 'USAGE_EXCEEDED', credits_remaining: 0 });
  });

  it('two replicas spending the last credits concurrently never go below zero nor spend one twice', async () => {
    const { id, token } = await keyWith({ credits: { remaining: 5 } });
    // On PostgreSQL a second pool on the same database, as a second replica has; on PGlite the one database, concurrently.
    const second = usingPostgres ? await openTestDatabase() : null;
    try {
      const stores = [new AccesskeyStore(t.database.sql), new AccesskeyStore((second ?? t.database).sql)];
      const spends = await Promise.all(Array.from({ length: 24 }, (_, i) => stores[i % 2].spendCredit(id, t.clock.now())));
      expect(spends.filter((s) => s.outcome === 'spent').map((s) => (s as { remaining: number }).remaining).sort()).toEqual([0, 1, 2, 3, 4]);
      expect(spends.filter((s) => s.outcome === 'exhausted')).toHaveLength(19);
      expect(json(await verifyRest(token))).toMatchObject({ valid: false, code: 'USAGE_EXCEEDED' });
      const [row] = await t.database.dataSource.query('SELECT credits_remaining FROM accesskeys WHERE id = $1', [id]);
      expect(row.credits_remaining).toBe(0);
    } finally {
      await second?.close();
    }
  });
});

describe('IP allowlist', () => {
  it('REST: allowed from a listed IPv4 or IPv6 range, else 403 PERMISSION_DENIED IP_NOT_ALLOWED', async () => {
    const { token } = await keyWith({ allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'] });
    expect((await list(token, '10.20.30.40')).statusCode).toBe(200);
    expect((await list(token, '2001:db8::1')).statusCode).toBe(200);
    expect((await list(token, '::ffff:10.0.0.1')).statusCode).toBe(200);
    const refused = await list(token, '192.0.2.1');
    expect(refused.statusCode).toBe(403);
    expect(envelope(refused)).toMatchObject({ status: 'PERMISSION_DENIED', reason: 'IP_NOT_ALLOWED' });
  });

  it('is checked before the rate limit and credits: a refused address uses up neither', async () => {
    t.clock.toNextWindow(60);
    const { id, token } = await keyWith({ allowedCidrs: ['10.0.0.0/8'], rateLimit: { limit: 1, windowSeconds: 60 }, credits: { remaining: 1 } });
    expect((await list(token, '192.0.2.1')).statusCode).toBe(403);
    expect((await list(token, '192.0.2.1')).statusCode).toBe(403);
    expect((await list(token, '10.0.0.1')).statusCode).toBe(200);
    const { body } = await gql(t, `{ accesskey(id: "${id}") { credits { remaining } } }`, {}, bearer(owner.token));
    expect(body.data.accesskey.credits.remaining).toBe(0);
  });

  it('GraphQL: FORBIDDEN with reason IP_NOT_ALLOWED', async () => {
    const { token } = await keyWith({ allowedCidrs: ['10.0.0.0/8'] });
    const { body } = await graphList(token); // inject's default address is 127.0.0.1
    expect(body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'IP_NOT_ALLOWED' });
  });

  it('verification: client_ip checked; missing is IP_NOT_ALLOWED; meta comes back; a bad client_ip is a 400 naming it', async () => {
    const { token } = await keyWith({ allowedCidrs: ['10.0.0.0/8'], meta: { plan: 'gold' } });
    expect(json(await verifyRest(token))).toMatchObject({ valid: false, code: 'IP_NOT_ALLOWED', meta: { plan: 'gold' } });
    expect(json(await verifyRest(token, '192.0.2.1'))).toMatchObject({ valid: false, code: 'IP_NOT_ALLOWED' });
    expect(json(await verifyRest(token, '10.9.9.9'))).toMatchObject({ valid: true, code: 'VALID', meta: { plan: 'gold' } });
    expect((await gql(t, VERIFY_GQL, { token, ip: '10.1.1.1' }, bearer(verifier))).body.data.verifyAccesskey).toMatchObject({ valid: true, meta: { plan: 'gold' } });
    const bad = await verifyRest(token, 'nope');
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.message).toMatch(/^client_ip/);
    expect((await gql(t, VERIFY_GQL, { token, ip: 'nope' }, bearer(verifier))).body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'clientIp' });
  });
});

describe('the client address on this server\'s API (TRUST_PROXY)', () => {
  const forwarded = (app: TestApp, token: string, remoteAddress: string, xff: string) =>
    app.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: { ...bearer(token), 'x-forwarded-for': xff }, remoteAddress });
  const createdFrom = async (app: TestApp, token: string, xff: string) => {
    const res = await app.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: { ...bearer(token), 'x-forwarded-for': xff }, payload: { expire: 86400 } });
    expect(res.statusCode).toBe(200);
    const [row] = await app.database.dataSource.query("SELECT client_address FROM audit_events WHERE action = 'accesskey.create' AND target_id = $1", [json(res).id]);
    return row.client_address as string;
  };

  it('unset: X-Forwarded-For is ignored; the connection\'s peer is the address (allowlist, audit origin)', async () => {
    const { token } = await keyWith({ allowedCidrs: ['10.0.0.0/8'] });
    const refused = await forwarded(t, token, '127.0.0.1', '10.1.2.3');
    expect(refused.statusCode).toBe(403);
    expect(envelope(refused).reason).toBe('IP_NOT_ALLOWED');
    expect((await forwarded(t, token, '10.9.9.9', '192.0.2.1')).statusCode).toBe(200);
    expect(await createdFrom(t, owner.token, '10.1.2.3')).toBe('127.0.0.1');
  });

  it('TRUST_PROXY=127.0.0.1: the address a trusted proxy forwards counts; an untrusted peer\'s header does not', async () => {
    const config = loadConfig({ TRUST_PROXY: '127.0.0.1', LOGIN_MAX_FAILURES: '2' });
    const trusting = await buildTestApp({ policy: POLICY, trustProxy: config.trustProxy, auth: config.auth });
    try {
      const tenant = await createTenant(trusting, 'behind-proxy');
      const { body } = await gql(trusting, CREATE, { input: { expire: 86400, allowedCidrs: ['10.0.0.0/8'] } }, bearer(tenant.token));
      const token = body.data.createAccesskey.token as string;
      expect((await forwarded(trusting, token, '127.0.0.1', '10.1.2.3')).statusCode).toBe(200);
      expect((await forwarded(trusting, token, '127.0.0.1', '10.1.2.3, 192.0.2.1')).statusCode).toBe(403);
      expect((await forwarded(trusting, token, '192.0.2.50', '10.1.2.3')).statusCode).toBe(403);
      expect(await createdFrom(trusting, tenant.token, '198.51.100.4')).toBe('198.51.100.4');
      // The login limiter counts failures per forwarded address too.
      const signIn = (username: string, password: string, xff: string) =>
        trusting.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, headers: { 'x-forwarded-for': xff } });
      for (const ghost of ['ghost1', 'ghost2']) expect(json(await signIn(ghost, 'whatever1', '198.51.100.20')).error.reason).toBe('LOGIN_FAILED');
      const { username, password } = await createAgent(trusting, tenant, LEVELS.admin);
      expect((await signIn(username, password, '198.51.100.20')).statusCode).toBe(429);
      expect((await signIn(username, password, '198.51.100.21')).statusCode).toBe(200);
    } finally {
      await trusting.close();
    }
  });
});

describe('setAccesskeyPolicy', () => {
  it('sets a policy that applies at once, keeps parts left out, clears with null, and is audited', async () => {
    t.clock.toNextWindow(60);
    const { id, token } = await keyWith({ meta: { plan: 'free' } });
    expect((await list(token)).statusCode).toBe(200); // cached now, without a policy
    const set = await gql(t, SET, { id, input: { rateLimit: { limit: 1, windowSeconds: 60 } } }, bearer(owner.token));
    expect(set.body.data.setAccesskeyPolicy).toMatchObject({ rateLimit: { limit: 1, windowSeconds: 60 }, meta: { plan: 'free' } });
    expect((await list(token)).statusCode).toBe(200);
    expect((await list(token)).statusCode).toBe(429);
    const cleared = await gql(t, SET, { id, input: { rateLimit: null, meta: null } }, bearer(owner.token));
    expect(cleared.body.data.setAccesskeyPolicy).toMatchObject({ rateLimit: null, meta: null });
    const free = await list(token);
    expect(free.statusCode).toBe(200);
    expect(headersOf(free)).toEqual([undefined, undefined, undefined]);
    const events = await t.database.dataSource.query("SELECT before, after FROM audit_events WHERE action = 'accesskey.update' AND target_id = $1 ORDER BY seq", [id]);
    expect(events.map((e: any) => [e.before, e.after])).toEqual([
      [{ policy: { meta: { plan: 'free' } } }, { policy: { meta: { plan: 'free' }, rate_limit: { limit: 1, window_seconds: 60 } } }],
      [{ policy: { meta: { plan: 'free' }, rate_limit: { limit: 1, window_seconds: 60 } } }, { policy: {} }],
    ]);
  });

  it('refuses a key changing its own policy, and a bad field by name', async () => {
    const own = await gql(t, SET, { id: owner.keyId, input: { rateLimit: null } }, bearer(owner.token));
    expect(own.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const { id } = await keyWith({});
    const bad = await gql(t, SET, { id, input: { allowedCidrs: ['1.2.3.4/40'] } }, bearer(owner.token));
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allowedCidrs[0]' });
  });

  it('a rotation copies the policy to the new key', async () => {
    const { id } = await keyWith({ rateLimit: { limit: 7, windowSeconds: 30 }, credits: { remaining: 9 }, allowedCidrs: ['10.0.0.0/8'], meta: { a: 1 } });
    const { body } = await gql(
      t,
      `mutation { rotateAccesskey(id: "${id}") { accesskey { rateLimit { limit windowSeconds } credits { remaining } allowedCidrs meta } } }`,
      {},
      bearer(owner.token),
    );
    expect(body.data.rotateAccesskey.accesskey).toEqual({ rateLimit: { limit: 7, windowSeconds: 30 }, credits: { remaining: 9 }, allowedCidrs: ['10.0.0.0/8'], meta: { a: 1 } });
  });
});

describe('usage analytics', () => {
  it('counts every use per key, hour and outcome; totals equal the requests made; refusals reach Prometheus', async () => {
    t.clock.set('2026-12-10T08:00:00Z');
    const { id, token } = await keyWith({ rateLimit: { limit: 3, windowSeconds: 3600 }, allowedCidrs: ['10.0.0.0/8'] });
    for (let i = 0; i < 4; i++) await list(token, '10.0.0.1'); // 3 valid, 1 rate limited
    await list(token, '192.0.2.1'); // IP not allowed
    t.clock.advanceSeconds(3600);
    await list(token, '10.0.0.1'); // valid, next hour
    await verifyRest(token, '10.0.0.2'); // valid (verification counts too)
    await t.services.policy.usageCounts.flush();
    const { body } = await gql(
      t,
      `{ accesskey(id: "${id}") { usage(since: "2026-12-10T08:00:00Z", until: "2026-12-10T11:00:00Z", interval: HOUR) { start valid rateLimited usageExceeded ipNotAllowed other } } }`,
      {},
      bearer(owner.token),
    );
    expect(body.data.accesskey.usage).toEqual([
      { start: '2026-12-10T08:00:00.000000Z', valid: 3, rateLimited: 1, usageExceeded: 0, ipNotAllowed: 1, other: 0 },
      { start: '2026-12-10T09:00:00.000000Z', valid: 2, rateLimited: 0, usageExceeded: 0, ipNotAllowed: 0, other: 0 },
      { start: '2026-12-10T10:00:00.000000Z', valid: 0, rateLimited: 0, usageExceeded: 0, ipNotAllowed: 0, other: 0 },
    ]);
    const root = await gql(t, '{ usage(since: "2026-12-10T00:00:00Z", until: "2026-12-11T00:00:00Z", interval: DAY) { start valid rateLimited ipNotAllowed } }', {}, bearer(owner.token));
    // The owner's own key and the verifier's uses count too: at least this key's 5 valid.
    expect(root.body.data.usage).toHaveLength(1);
    expect(root.body.data.usage[0].rateLimited).toBe(1);
    expect(root.body.data.usage[0].ipNotAllowed).toBe(1);
    expect(root.body.data.usage[0].valid).toBeGreaterThanOrEqual(5);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/accesskey_policy_refusals_total\{reason="RATE_LIMITED"\} [1-9]/);
    expect(metrics).toMatch(/accesskey_policy_refusals_total\{reason="IP_NOT_ALLOWED"\} [1-9]/);
  });

  it('uses of a disabled key count as other; a credit refusal reaches Prometheus as USAGE_EXCEEDED', async () => {
    t.clock.set('2026-12-20T08:00:00Z');
    const { id, token } = await keyWith({ credits: { remaining: 0 } });
    expect((await list(token)).statusCode).toBe(429);
    const off = await gql(t, 'mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', { id }, bearer(owner.token));
    expect(off.body.errors).toBeUndefined();
    expect((await list(token)).statusCode).toBe(401);
    expect(json(await verifyRest(token))).toMatchObject({ valid: false, code: 'DISABLED' });
    await t.services.policy.usageCounts.flush();
    const { body } = await gql(t, `{ accesskey(id: "${id}") { usage(since: "2026-12-20T08:00:00Z", until: "2026-12-20T09:00:00Z") { valid usageExceeded other } } }`, {}, bearer(owner.token));
    expect(body.data.accesskey.usage).toEqual([{ valid: 0, usageExceeded: 1, other: 2 }]);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/accesskey_policy_refusals_total\{reason="USAGE_EXCEEDED"\} [1-9]/);
  });

  it('refuses a report span that is too long or backwards, naming until', async () => {
    const { body } = await gql(t, '{ usage(since: "2026-12-10T00:00:00Z", until: "2026-12-01T00:00:00Z") { start } }', {}, bearer(owner.token));
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'until' });
  });

  // Last in this file: it moves the clock three months on (the verifier key has expired by then).
  it('a failed write keeps its counts for the next; hours older than USAGE_RETENTION_DAYS (90) are pruned at a flush', async () => {
    t.clock.set('2027-01-05T10:00:00Z');
    const { id, token } = await keyWith({ expire: 86400 * 365 });
    const counts = t.services.policy.usageCounts;
    const hours = async () =>
      (await t.database.dataSource.query(
        `SELECT to_char(tm_hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS hour, count::int AS count FROM accesskey_usage WHERE accesskey_id = $1 ORDER BY tm_hour`,
        [id],
      )).map((r: { hour: string; count: number }) => [r.hour, r.count]);
    await list(token);
    await list(token);
    const failing = jest.spyOn(t.database.sql, 'query').mockRejectedValueOnce(new Error('database down'));
    try {
      await counts.flush();
    } finally {
      failing.mockRestore();
    }
    expect(await hours()).toEqual([]);
    await list(token);
    await counts.flush();
    expect(await hours()).toEqual([['2027-01-05T10:00', 3]]);
    t.clock.advanceSeconds(89 * 86400);
    await list(token);
    await counts.flush();
    expect(await hours()).toEqual([['2027-01-05T10:00', 3], ['2027-04-04T10:00', 1]]);
    t.clock.advanceSeconds(2 * 86400);
    await counts.flush();
    expect(await hours()).toEqual([['2027-04-04T10:00', 1]]);
  });
});

import { randomBytes } from 'node:crypto';
import { SessionTokens } from '../src/auth/session';
import { loggerOptions } from '../src/http/logging';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';
import { LogCapture } from './helpers/log';

const log = new LogCapture();
let t: TestApp;
let acme: Tenant;
let other: Tenant;

beforeAll(async () => { [t, acme, other] = await appWithTenants({ logger: loggerOptions('info', log) }, 'acme', 'other'); });
afterAll(() => t.close());

const ME = '{ me { kind customerId agentId username accesskeyId permission permissions } }';
let ipSeq = 0;
const freshIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

describe('POST /auth/login', () => {
  it('answers {username, token} and sets the session cookie', async () => {
    const { username, password } = await createAgent(t, acme, LEVELS.admin, 'Alice.Admin');
    const res = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'alice.admin', password } });
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(Object.keys(body)).toEqual(['username', 'token']);
    expect(body.username).toBe(username);
    expect(body.token.split('.')).toHaveLength(3);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^token=${body.token.replace(/\./g, '\\.')};`));
    for (const attr of ['Max-Age=604800', 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Secure']) expect(cookie).toContain(attr);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('puts sub, iat, exp (7 days), customer_id, permission and the session generation in the token', async () => {
    const { agent, username, password } = await createAgent(t, acme, LEVELS.manager);
    const { token } = await login(t, username, password, freshIp());
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: agent.id, customer_id: acme.customerId, permission: LEVELS.manager, gen: 0 });
    expect(payload.exp - payload.iat).toBe(7 * 24 * 3600);
    expect(payload.iat).toBe(Math.floor(t.clock.now().epochMs / 1000));
  });

  it('refuses a wrong password and an unknown username identically, after the same password work', async () => {
    const { username } = await createAgent(t, acme, LEVELS.admin);
    const verify = jest.spyOn(t.services.passwords, 'verify');
    try {
      const wrongPassword = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: 'not-it-at-all' }, remoteAddress: freshIp() });
      expect(verify).toHaveBeenCalledTimes(1);
      const unknownUser = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'nobody-here', password: 'not-it-at-all' }, remoteAddress: freshIp() });
      expect(verify).toHaveBeenCalledTimes(2);
      expect(wrongPassword.statusCode).toBe(400);
      expect(unknownUser.statusCode).toBe(400);
      const strip = (r: typeof wrongPassword) => ({ ...json(r).error, request_id: undefined });
      expect(strip(wrongPassword)).toEqual(strip(unknownUser));
      expect(json(wrongPassword).error).toMatchObject({ status: 'INVALID_ARGUMENT', reason: 'LOGIN_FAILED' });
      expect(wrongPassword.headers['set-cookie']).toBeUndefined();
    } finally {
      verify.mockRestore();
    }
  });

  it.each([
    ['no body', undefined, 'body'],
    ['missing username', { password: 'x' }, 'username'],
    ['missing password', { username: 'x' }, 'password'],
    ['numeric password', { username: 'x', password: 1234 }, 'password'],
  ])('validates the body: %s', async (_label, payload, field) => {
    const res = await t.app.inject({ method: 'POST', url: '/auth/login', payload: payload as object, remoteAddress: freshIp() });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('refuses a deleted agent', async () => {
    const { username, password } = await createAgent(t, acme, LEVELS.admin);
    await t.services.agents.delete(username);
    expect((await login(t, username, password, freshIp())).res.statusCode).toBe(400);
  });

  it('leaves the Secure attribute off when configured for plain HTTP', async () => {
    const plain = await buildTestApp({ auth: { ...t.services.auth, cookieSecure: false } });
    try {
      const tenant = await createTenant(plain);
      const { username, password } = await createAgent(plain, tenant, LEVELS.admin);
      const { res } = await login(plain, username, password);
      expect(String(res.headers['set-cookie'])).not.toContain('Secure');
      expect(String(res.headers['set-cookie'])).toContain('HttpOnly');
    } finally {
      await plain.close();
    }
  });
});

describe('the session token as a credential', () => {
  let token: string;
  let agentId: string;

  beforeAll(async () => {
    const created = await createAgent(t, acme, LEVELS.admin);
    agentId = created.agent.id;
    token = (await login(t, created.username, created.password, freshIp())).token;
  });

  it.each([
    ['Authorization: Bearer', () => ({ headers: bearer(token), url: '/v1.0/accesskeys' })],
    ['token query parameter', () => ({ headers: {}, url: `/v1.0/accesskeys?token=${token}` })],
    ['token cookie', () => ({ headers: { cookie: `token=${token}` }, url: '/v1.0/accesskeys' })],
  ])('is accepted as %s', async (_label, where) => {
    const { headers, url } = where();
    const res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode).toBe(200);
    expect(json(res).result.every((k: { customer_id: string }) => k.customer_id === acme.customerId)).toBe(true);
  });

  it('makes the caller the agent in GraphQL `me`', async () => {
    const { body } = await gql(t, ME, {}, { cookie: `token=${token}` });
    expect(body.data.me).toMatchObject({ kind: 'AGENT', customerId: acme.customerId, agentId, accesskeyId: null, permission: LEVELS.admin, permissions: ['CUSTOMER_ADMIN'] });
  });

  it('wins over an access key sent in the same request', async () => {
    const { body } = await gql(t, ME, {}, { cookie: `token=${token}`, authorization: `Bearer ${other.token}` });
    expect(body.data.me).toMatchObject({ kind: 'AGENT', customerId: acme.customerId });
    const viaQuery = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?accesskey=${other.token}&token=${token}` });
    expect(json(viaQuery).result.every((k: { customer_id: string }) => k.customer_id === acme.customerId)).toBe(true);
  });

  it('expires after the session lifetime (clock controlled)', async () => {
    const created = await createAgent(t, acme, LEVELS.admin);
    const { token: short } = await login(t, created.username, created.password, freshIp());
    t.clock.advanceSeconds(7 * 24 * 3600 - 1);
    expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(short) })).statusCode).toBe(200);
    t.clock.advanceSeconds(1);
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(short) });
    expect(res.statusCode).toBe(401);
    expect(json(res).error.reason).toBe('INVALID_CREDENTIALS');
  });

  it('refuses tampered, wrongly signed and unsigned tokens', async () => {
    const created = await createAgent(t, acme, LEVELS.agent);
    const fresh = (await login(t, created.username, created.password, freshIp())).token;
    const [h, p, sig] = fresh.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...payload, permission: LEVELS['super-admin'] })).toString('base64url');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const foreign = await new SessionTokens(new Uint8Array(randomBytes(48)), t.clock, 3600).issue(created.agent);
    for (const bad of [`${h}.${elevated}.${sig}`, `${h}.${p}.${sig.slice(0, -2)}AA`, unsigned, foreign, 'not.a.jwt', 'garbage']) {
      const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(bad) });
      expect(res.statusCode).toBe(401);
      expect(json(res).error.reason).toBe('INVALID_CREDENTIALS');
    }
  });

  it("stops working when the agent is deleted, and follows the agent's current permission", async () => {
    const created = await createAgent(t, acme, LEVELS.admin);
    const session = (await login(t, created.username, created.password, freshIp())).token;
    await t.database.dataSource.query('UPDATE agents SET permission = $2 WHERE id = $1', [created.agent.id, LEVELS.agent]);
    expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(session) })).statusCode).toBe(403);
    await t.services.agents.delete(created.username);
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(session) });
    expect(res.statusCode).toBe(401);
    expect(json(res).error.reason).toBe('INVALID_CREDENTIALS');
  });
});

describe('brute-force protection', () => {
  it('limits failures per username: the 11th attempt in a minute is 429 with Retry-After, even with the right password', async () => {
    const { username, password } = await createAgent(t, acme, LEVELS.admin);
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: 'wrong-guess' }, remoteAddress: freshIp() });
      expect(res.statusCode).toBe(400);
      t.clock.advanceSeconds(1);
    }
    const limited = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, remoteAddress: freshIp() });
    expect(limited.statusCode).toBe(429);
    expect(json(limited).error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', reason: 'TOO_MANY_ATTEMPTS' });
    expect(limited.headers['retry-after']).toBe('50');
    t.clock.advanceSeconds(50);
    expect((await login(t, username, password, freshIp())).res.statusCode).toBe(200);
  });

  it('limits failures per client address across usernames', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username: `ghost${i}`, password: 'whatever1' }, remoteAddress: ip });
    }
    const { username, password } = await createAgent(t, acme, LEVELS.admin);
    expect((await login(t, username, password, ip)).res.statusCode).toBe(429);
    expect((await login(t, username, password, freshIp())).res.statusCode).toBe(200);
  });
});

describe('inputs the database cannot take', () => {
  const attempt = (username: string, password: string, ip = freshIp()) =>
    t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, remoteAddress: ip });

  it('a NUL in the username or password is a 400 that counts toward the limit, and no server error', async () => {
    const errorsBefore = log.records().filter((r) => r.level >= 50).length;
    const { username, password } = await createAgent(t, acme, LEVELS.admin);
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await attempt(`${username}\u0000`, password, ip);
      expect(res.statusCode).toBe(400);
      expect(json(res).error.status).toBe('INVALID_ARGUMENT');
    }
    for (let i = 0; i < 5; i++) expect((await attempt(username, `${password}\u0000`, ip)).statusCode).toBe(400);
    // Ten failures from this address: even the right credentials are now refused from it.
    expect((await attempt(username, password, ip)).statusCode).toBe(429);
    // The password attempts counted against the username too (5 so far): 5 more and it is locked.
    for (let i = 0; i < 5; i++) expect((await attempt(username, `\u0000${i}`)).statusCode).toBe(400);
    expect((await attempt(username, password)).statusCode).toBe(429);
    // And the NUL username has a count of its own.
    for (let i = 0; i < 5; i++) expect((await attempt(`${username}\u0000`, 'whatever1')).statusCode).toBe(400);
    expect((await attempt(`${username}\u0000`, 'whatever1')).statusCode).toBe(429);
    expect(log.records().filter((r) => r.level >= 50)).toHaveLength(errorsBefore);
  });

  it('every spelling that logs in as an agent counts against that one agent (İ, ı, the Kelvin sign, ß)', async () => {
    const { password } = await createAgent(t, acme, LEVELS.admin, 'kiss.admin');
    const ascii = ['kiss.admin', 'KISS.ADMIN', 'Kiss.Admin', 'kIsS.aDmIn'];
    const others = ['KİSS.ADMİN', 'kıss.admın', '\u212Aiss.admin', 'kiß.admin', 'KIẞ.ADMIN', 'kiss.admin\u0307'];
    const loggedIn: string[] = [];
    for (const spelling of [...ascii, ...others]) {
      const res = await attempt(spelling, password);
      expect([200, 400]).toContain(res.statusCode);
      if (res.statusCode === 200) loggedIn.push(spelling);
    }
    // Usernames are ASCII and compared ignoring ASCII case only, in whatever locale the database runs.
    expect(loggedIn).toEqual(ascii);
    for (let i = 0; i < 10; i++) expect((await attempt(loggedIn[i % loggedIn.length], 'wrong-guess')).statusCode).toBe(400);
    for (const spelling of loggedIn) expect((await attempt(spelling, password)).statusCode).toBe(429);
  });
});

it('never puts a password or a session token in a response body other than login, or in a log line', async () => {
  const { username, password } = await createAgent(t, acme, LEVELS.admin);
  const { res, token } = await login(t, username, password, freshIp());
  expect(res.body).not.toContain(password);
  await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?token=${token}` });
  await t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: `${password}x` }, remoteAddress: freshIp() });
  const { body } = await gql(t, ME, {}, bearer(token));
  expect(JSON.stringify(body)).not.toContain(token);
  expect(log.text).not.toContain(password);
  expect(log.text).not.toContain(token);
  expect(log.text).not.toContain('scrypt$');
});

it('replaces ?token= and ?password= by [REDACTED] in the request log line', async () => {
  const { username, password } = await createAgent(t, acme, LEVELS.admin);
  const { token } = await login(t, username, password, freshIp());
  const asToken = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?page_size=1&token=${token}` });
  expect(asToken.statusCode).toBe(200);
  const asPassword = await t.app.inject({ method: 'POST', url: `/auth/login?password=${encodeURIComponent(password)}&Pass%77ord=${encodeURIComponent(password)}`, payload: { username, password }, remoteAddress: freshIp() });
  expect(asPassword.statusCode).toBe(200);
  const lineOf = (res: { headers: Record<string, unknown> }) => log.records().find((r) => r.reqId === res.headers['x-request-id'] && r.msg === 'request completed');
  expect(lineOf(asToken)?.url).toBe('/v1.0/accesskeys?page_size=1&token=[REDACTED]');
  expect(lineOf(asPassword)?.url).toBe('/auth/login?password=[REDACTED]&Pass%77ord=[REDACTED]');
  expect(log.text).not.toContain(token);
  expect(log.text).not.toContain(password);
  expect(log.text).not.toContain(encodeURIComponent(password));
});

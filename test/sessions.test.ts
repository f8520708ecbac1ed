import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { LEVELS, bearer, createAgent, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';

// How sessions end: password change, logout, and tokens whose claims the server would never issue.
const sessionKey = new Uint8Array(randomBytes(48));
const TTL = 7 * 24 * 3600;
let t: TestApp;
let acme: Tenant;

beforeAll(async () => { [t, acme] = await appWithTenants({ sessionKey }, 'acme'); });
afterAll(() => t.close());

let ipSeq = 0;
const freshIp = () => `10.7.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

/** REST and GraphQL statuses for a request authenticated with `headers`. */
async function statuses(headers: Record<string, string>) {
  const rest = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers });
  const graphql = await gql(t, '{ me { kind } }', {}, headers);
  return {
    rest: rest.statusCode,
    restReason: rest.statusCode === 200 ? null : json(rest).error.reason,
    graphql: graphql.res.statusCode,
    graphqlCode: graphql.body.errors?.[0]?.extensions?.code ?? null,
  };
}
const ACCEPTED = { rest: 200, restReason: null, graphql: 200, graphqlCode: null };
const REFUSED = { rest: 401, restReason: 'INVALID_CREDENTIALS', graphql: 401, graphqlCode: 'UNAUTHENTICATED' };

async function loggedIn(permission: number = LEVELS.admin) {
  const created = await createAgent(t, acme, permission);
  const first = (await login(t, created.username, created.password, freshIp())).token;
  const second = (await login(t, created.username, created.password, freshIp())).token;
  return { ...created, first, second };
}

describe('a password change', () => {
  it("ends every session of the agent, on REST and GraphQL; logging in with the new password works", async () => {
    const { username, first, second } = await loggedIn();
    expect(await statuses(bearer(first))).toEqual(ACCEPTED);
    expect((await t.services.agents.setPassword(username, 'a brand new password')).sessionGeneration).toBe(1);
    expect(await statuses(bearer(first))).toEqual(REFUSED);
    expect(await statuses({ cookie: `token=${second}` })).toEqual(REFUSED);
    const again = await login(t, username, 'a brand new password', freshIp());
    expect(again.res.statusCode).toBe(200);
    expect(await statuses(bearer(again.token))).toEqual(ACCEPTED);
  });

  it("leaves other agents' sessions alone", async () => {
    const changed = await loggedIn();
    const bystander = await loggedIn();
    await t.services.agents.setPassword(changed.username, 'another new password');
    expect(await statuses(bearer(bystander.first))).toEqual(ACCEPTED);
  });
});

describe('POST /auth/logout', () => {
  it('with a Bearer session ends that session and the agent\'s others, and clears the cookie', async () => {
    const { username, password, first, second } = await loggedIn();
    const res = await t.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(first) });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({});
    expect(String(res.headers['set-cookie'])).toMatch(/^token=;.*Expires=Thu, 01 Jan 1970/);
    expect(await statuses(bearer(first))).toEqual(REFUSED);
    expect(await statuses(bearer(second))).toEqual(REFUSED);
    const again = await login(t, username, password, freshIp());
    expect(await statuses(bearer(again.token))).toEqual(ACCEPTED);
  });

  it('with the session cookie ends the session', async () => {
    const { first } = await loggedIn();
    expect((await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: `token=${first}` } })).statusCode).toBe(200);
    expect(await statuses({ cookie: `token=${first}` })).toEqual(REFUSED);
  });

  it('with the token parameter ends the session', async () => {
    const { first } = await loggedIn();
    expect((await t.app.inject({ method: 'POST', url: `/auth/logout?token=${first}` })).statusCode).toBe(200);
    expect(await statuses(bearer(first))).toEqual(REFUSED);
  });

  it('without a session, or with an unusable one, only clears the cookie', async () => {
    const { first } = await loggedIn();
    for (const headers of [{}, bearer('not.a.jwt'), bearer(acme.token), { authorization: 'Basic eDp5' }]) {
      const res = await t.app.inject({ method: 'POST', url: '/auth/logout', headers });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/^token=;/);
    }
    expect(await statuses(bearer(first))).toEqual(ACCEPTED);
    expect(await statuses(bearer(acme.token))).toEqual(ACCEPTED);
  });

  it('with an already ended session does not end the sessions opened since', async () => {
    const { username, password, first } = await loggedIn();
    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(first) });
    const later = (await login(t, username, password, freshIp())).token;
    expect((await t.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(first) })).statusCode).toBe(200);
    expect(await statuses(bearer(later))).toEqual(ACCEPTED);
  });
});

describe('session token claims', () => {
  let agent: Awaited<ReturnType<typeof createAgent>>['agent'];
  beforeAll(async () => {
    ({ agent } = await createAgent(t, acme, LEVELS.admin));
  });

  const nowSeconds = () => Math.floor(t.clock.now().epochMs / 1000);
  /** A token signed with the server's own key, with exactly these registered claims. */
  const craft = (claims: JWTPayload) =>
    new SignJWT({ customer_id: acme.customerId, permission: LEVELS.admin, gen: 0, iss: 'vb-accesskey-server', sub: agent.id, ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(sessionKey);

  it('accepts what the server itself issues: iat now, exp after exactly the configured lifetime', async () => {
    const now = nowSeconds();
    expect(await statuses(bearer(await craft({ iat: now, exp: now + TTL })))).toEqual(ACCEPTED);
    expect(await statuses(bearer(await craft({ iat: now - 10, exp: now - 10 + TTL })))).toEqual(ACCEPTED);
  });

  it.each([
    ['iat in the future', (now: number) => ({ iat: now + 1, exp: now + 1 + TTL })],
    ['no exp', (now: number) => ({ iat: now })],
    ['no iat', (now: number) => ({ exp: now + TTL })],
    ['a lifetime longer than configured', (now: number) => ({ iat: now, exp: now + TTL + 1 })],
    ['no session generation', (now: number) => ({ iat: now, exp: now + TTL, gen: undefined })],
    ['a session generation other than the agent\'s', (now: number) => ({ iat: now, exp: now + TTL, gen: 1 })],
  ])('refuses a token with %s', async (_label, claims) => {
    expect(await statuses(bearer(await craft(claims(nowSeconds()))))).toEqual(REFUSED);
  });
});

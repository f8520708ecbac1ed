import { generateToken } from '../src/keys/token';
import { loggerOptions } from '../src/http/logging';
import { LEVELS, bearer, createAgent, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';
import { LogCapture } from './helpers/log';

const READ = 'accesskeys:read';
const WRITE = 'accesskeys:write';
const VERIFY = 'accesskeys:verify';

let t: TestApp;
let log: LogCapture;
let service: Tenant;
let other: Tenant;
let verifier: string;

beforeAll(async () => {
  log = new LogCapture();
  [t, service, other] = await appWithTenants({ logger: loggerOptions('debug', log) }, 'service', 'other');
  verifier = (await t.services.accesskeys.createForCustomer(service.customerId, { expire: 86400 * 30 }, undefined, [VERIFY])).token;
});
afterAll(() => t.close());

const verifyRest = (token: unknown, credential = verifier) =>
  t.app.inject({ method: 'POST', url: '/v1.0/accesskeys/verify', headers: bearer(credential), payload: token === undefined ? {} : { token } });

const VERIFY_GQL = 'mutation ($token: String!) { verifyAccesskey(token: $token) { valid code accesskeyId customerId scopes tmExpire } }';

async function otherKey(scopes = [READ]) {
  return t.services.accesskeys.createForCustomer(other.customerId, { expire: 86400 }, undefined, scopes as never);
}

describe('POST /v1.0/accesskeys/verify', () => {
  it("answers VALID for another customer's live key, with exactly the documented fields in order", async () => {
    const { accesskey, token } = await otherKey([READ, WRITE]);
    const res = await verifyRest(token);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(json(res))).toEqual(['valid', 'code', 'accesskey_id', 'customer_id', 'scopes', 'tm_expire']);
    expect(json(res)).toEqual({
      valid: true, code: 'VALID', accesskey_id: accesskey.id, customer_id: other.customerId, scopes: [READ, WRITE], tm_expire: accesskey.tmExpire.toISOString(),
    });
  });

  it('answers MALFORMED for a bad shape or checksum, and for surrounding whitespace', async () => {
    const { token } = await otherKey();
    for (const bad of ['nope', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, ` ${token} `]) {
      const res = await verifyRest(bad);
      expect(res.statusCode).toBe(200);
      expect(json(res)).toEqual({ valid: false, code: 'MALFORMED' });
    }
  });

  it('answers NOT_FOUND for a well-formed unknown token', async () => {
    expect(json(await verifyRest(generateToken()))).toEqual({ valid: false, code: 'NOT_FOUND' });
  });

  it('answers EXPIRED, DISABLED and DELETED, through the cache (verified once as VALID before)', async () => {
    const expiring = await otherKey();
    const disabled = await otherKey();
    const deleted = await otherKey();
    for (const k of [expiring, disabled, deleted]) expect(json(await verifyRest(k.token)).code).toBe('VALID');
    await t.services.accesskeys.disableForCustomer(other.customerId, disabled.accesskey.id);
    await t.services.accesskeys.delete({ requestId: 't', caller: { kind: 'accesskey', customerId: other.customerId, accesskeyId: other.keyId, credentialHash: '0'.repeat(64), tokenPrefix: 'vb_test', scopes: [WRITE] } }, deleted.accesskey.id);
    expect(json(await verifyRest(disabled.token))).toEqual({ valid: false, code: 'DISABLED' });
    expect(json(await verifyRest(deleted.token))).toEqual({ valid: false, code: 'DELETED' });
    t.clock.advanceSeconds(86400);
    expect(json(await verifyRest(expiring.token))).toEqual({ valid: false, code: 'EXPIRED' });
  });

  it('keeps answering 401 to the holder of a bad token who presents it as a credential', async () => {
    const { accesskey, token } = await otherKey();
    await t.services.accesskeys.disableForCustomer(other.customerId, accesskey.id);
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect((await verifyRest(generateToken(), token)).statusCode).toBe(401);
  });

  it('refuses callers without accesskeys:verify with 403, admin agents included', async () => {
    const { token } = await otherKey([READ, WRITE]);
    const res = await verifyRest(token, other.token);
    expect(res.statusCode).toBe(403);
    expect(json(res).error.status).toBe('PERMISSION_DENIED');
    const admin = await createAgent(t, service, LEVELS.admin);
    const session = (await login(t, admin.username, admin.password)).token;
    expect((await verifyRest(token, session)).statusCode).toBe(403);
  });

  it('lets a super admin agent verify', async () => {
    const { token } = await otherKey();
    const admin = await createAgent(t, service, LEVELS['super-admin']);
    const session = (await login(t, admin.username, admin.password)).token;
    expect(json(await verifyRest(token, session)).code).toBe('VALID');
  });

  it.each([['missing', undefined], ['a number', 42], ['null', null], ['an array', ['x']]])('refuses a %s token with 400 naming token', async (_what, token) => {
    const res = await verifyRest(token);
    expect(res.statusCode).toBe(400);
    expect(json(res).error.message).toContain('token');
  });

  it('never logs the verified token, even at debug level and on errors', async () => {
    const { token } = await otherKey();
    log.lines.length = 0;
    await verifyRest(token);
    await verifyRest([token]);
    await verifyRest({ nested: token });
    await gql(t, VERIFY_GQL, { token }, bearer(verifier));
    await gql(t, `mutation { verifyAccesskey(token: "${token}", bogus: 1) { valid } }`, {}, bearer(verifier));
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.text).not.toContain(token);
    expect(log.text).not.toContain(token.slice(3, 20));
  });
});

describe('verifyAccesskey (GraphQL)', () => {
  it('answers VALID with the key, and nulls with a reason otherwise', async () => {
    const { accesskey, token } = await otherKey([READ]);
    const ok = await gql(t, VERIFY_GQL, { token }, bearer(verifier));
    expect(ok.body.data.verifyAccesskey).toEqual({
      valid: true, code: 'VALID', accesskeyId: accesskey.id, customerId: other.customerId, scopes: [READ], tmExpire: accesskey.tmExpire.toISOString(),
    });
    const bad = await gql(t, VERIFY_GQL, { token: generateToken() }, bearer(verifier));
    expect(bad.body.data.verifyAccesskey).toEqual({ valid: false, code: 'NOT_FOUND', accesskeyId: null, customerId: null, scopes: null, tmExpire: null });
    const malformed = await gql(t, VERIFY_GQL, { token: 'x' }, bearer(verifier));
    expect(malformed.body.data.verifyAccesskey.code).toBe('MALFORMED');
  });

  it('refuses a caller without accesskeys:verify with FORBIDDEN', async () => {
    const { token } = await otherKey();
    const { body } = await gql(t, VERIFY_GQL, { token }, bearer(other.token));
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('a verification is a use of the verified key', () => {
  it("sets the verified key's tmLastUsed at the next flush (the verifier's own key counts too, it authenticated)", async () => {
    const verified = await otherKey();
    await t.services.usage.flush();
    const stored = async () =>
      (await t.database.dataSource.query('SELECT tm_last_used FROM accesskeys WHERE id = $1', [verified.accesskey.id]))[0].tm_last_used;
    expect(await stored()).toBeNull();
    t.clock.advanceSeconds(5);
    expect(json(await verifyRest(verified.token)).code).toBe('VALID');
    await t.services.usage.flush();
    expect((await stored()).toISOString()).toBe(t.clock.now().toISOString());
  });
});

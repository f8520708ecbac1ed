import { crc32 } from 'node:zlib';
import { generateToken, isWellFormedToken } from '../src/keys/token';
import { loggerOptions } from '../src/http/logging';
import { bearer, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';
import { LogCapture } from './helpers/log';

let t: TestApp;
let alice: Tenant;
const log = new LogCapture();

beforeAll(async () => { [t, alice] = await appWithTenants({ logger: loggerOptions('info', log) }, 'alice'); });
afterAll(() => t.close());

const list = (headers: Record<string, string> = {}, query = '') =>
  t.app.inject({ method: 'GET', url: `/v1.0/accesskeys${query}`, headers });

function flipLast(token: string): string {
  const last = token.at(-1)!;
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

describe('credential locations', () => {
  it('accepts Authorization: Bearer and the accesskey query parameter', async () => {
    expect((await list(bearer(alice.token))).statusCode).toBe(200);
    expect((await list({ authorization: `bearer ${alice.token}` })).statusCode).toBe(200);
    expect((await list({}, `?accesskey=${alice.token}`)).statusCode).toBe(200);
  });

  it('refuses a request with no credential as AUTHENTICATION_REQUIRED', async () => {
    const res = await list();
    expect(res.statusCode).toBe(401);
    expect(json(res).error).toMatchObject({ status: 'UNAUTHENTICATED', reason: 'AUTHENTICATION_REQUIRED' });
  });
});

describe('refusals', () => {
  const malformed: Array<[string, () => Record<string, string> | string]> = [
    ['a token with a wrong checksum', () => bearer(flipLast(alice.token))],
    ['a token that is too short', () => bearer('vb_abc')],
    ['a token without the vb_ prefix', () => bearer(`xx_${alice.token.slice(3)}`)],
    ['a non-Bearer scheme', () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    ['an empty accesskey parameter', () => '?accesskey='],
    ['a repeated accesskey parameter', () => `?accesskey=${alice.token}&accesskey=${alice.token}`],
  ];

  it.each(malformed)('refuses %s without touching the database', async (_label, credential) => {
    const spy = jest.spyOn(t.database.dataSource, 'query');
    try {
      const c = credential();
      const res = typeof c === 'string' ? await list({}, c) : await list(c);
      expect(res.statusCode).toBe(401);
      expect(json(res).error.reason).toBe('INVALID_CREDENTIALS');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses unknown, expired and deleted keys exactly alike', async () => {
    const expiring = await t.services.accesskeys.createForCustomer(alice.customerId, { expire: 86400 });
    const deleted = await t.services.accesskeys.createForCustomer(alice.customerId, { expire: 86400 });
    const ctx = { requestId: 'test', caller: { kind: 'accesskey' as const, customerId: alice.customerId, accesskeyId: alice.keyId, credentialHash: '0'.repeat(64), tokenPrefix: 'vb_test', scopes: ['accesskeys:read' as const] } };
    await t.services.accesskeys.delete(ctx, deleted.accesskey.id);

    t.clock.advanceSeconds(86399);
    expect((await list(bearer(expiring.token))).statusCode).toBe(200); // one second before expiry
    t.clock.advanceSeconds(1);

    const bodies = [];
    for (const token of [generateToken(), expiring.token, deleted.token]) {
      const res = await list(bearer(token), '');
      expect(res.statusCode).toBe(401);
      const { request_id: _id, ...rest } = json(res).error;
      bodies.push(rest);
    }
    expect(bodies[0]).toEqual({ status: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS', message: expect.any(String) });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it("refuses a well-formed token that shares a real key's 11-character prefix", async () => {
    // Same displayed prefix, a new body and a correct checksum: only the full token may match.
    const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const body = alice.token.slice(0, 11) + generateToken().slice(3, 21);
    let checksum = '';
    for (let v = crc32(body); v > 0; v = Math.floor(v / 62)) checksum = ALPHABET[v % 62] + checksum;
    const forged = body + checksum.padStart(6, '0');
    expect(isWellFormedToken(forged)).toBe(true);
    expect(forged.slice(0, 11)).toBe(alice.token.slice(0, 11));
    expect(forged).not.toBe(alice.token);
    for (const res of [await list(bearer(forged)), await list({}, `?accesskey=${forged}`)]) {
      expect(res.statusCode).toBe(401);
      expect(json(res).error.reason).toBe('INVALID_CREDENTIALS');
    }
    expect((await list(bearer(alice.token))).statusCode).toBe(200);
  });

  it('uses the Authorization header when both locations are given', async () => {
    const res = await list(bearer(generateToken()), `?accesskey=${alice.token}`);
    expect(res.statusCode).toBe(401);
  });
});

describe('unexpected failures', () => {
  it('are answered 500 INTERNAL without internals and logged with the request id', async () => {
    const spy = jest.spyOn(t.services.accesskeys, 'list').mockRejectedValueOnce(new Error('connection to 10.0.0.7 lost: password=hunter2'));
    try {
      const res = await list({ ...bearer(alice.token), 'x-request-id': 'req-internal-1' });
      expect(res.statusCode).toBe(500);
      expect(json(res)).toEqual({
        error: { status: 'INTERNAL', reason: 'INTERNAL', message: 'An internal error occurred.', request_id: 'req-internal-1' },
      });
      const logged = log.records().find((r) => r.reqId === 'req-internal-1' && r.level === 50);
      expect(logged?.err?.message).toContain('connection to 10.0.0.7 lost');
    } finally {
      spy.mockRestore();
    }
  });
});

it('keeps the bound values of a failed query out of the log', async () => {
  const failure = Object.assign(new Error('duplicate key value violates unique constraint'), {
    query: 'INSERT INTO agents …',
    parameters: ['scrypt$16384$8$1$c2FsdA$aGFzaA', 'hunter2-in-a-parameter'],
  });
  const spy = jest.spyOn(t.services.accesskeys, 'list').mockRejectedValueOnce(failure);
  try {
    const res = await list({ ...bearer(alice.token), 'x-request-id': 'req-internal-2' });
    expect(res.statusCode).toBe(500);
    const logged = log.records().find((r) => r.reqId === 'req-internal-2' && r.level === 50);
    expect(logged?.err?.parameters).toBe('[REDACTED]');
    expect(log.text).not.toContain('hunter2-in-a-parameter');
  } finally {
    spy.mockRestore();
  }
});

it('never writes a token to the log', async () => {
  const created = json(await t.app.inject({ method: 'POST', url: `/v1.0/accesskeys?accesskey=${alice.token}`, payload: { expire: 86400 } }));
  await list({}, `?accesskey=${created.token}&page_size=1`);
  await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(created.token) });
  expect(log.lines.length).toBeGreaterThan(5);
  expect(log.text).not.toContain(alice.token);
  expect(log.text).not.toContain(created.token);
  expect(log.text).not.toMatch(/vb_[0-9A-Za-z]{32}/);
  expect(log.text).toContain('accesskey=[REDACTED]');
});

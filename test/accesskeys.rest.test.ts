import type { LightMyRequestResponse } from 'fastify';
import { bearer, createTenant, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';

const KEY_FIELDS = ['id', 'customer_id', 'name', 'detail', 'token_prefix', 'tm_expire', 'tm_create', 'tm_update', 'tm_delete'];
const CREATE_FIELDS = ['id', 'customer_id', 'name', 'detail', 'token', 'token_prefix', 'tm_expire', 'tm_create', 'tm_update', 'tm_delete'];
const SIX_DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const LIVE = '9999-01-01T00:00:00.000000Z';

let t: TestApp;
let alice: Tenant;
let bob: Tenant;

beforeAll(async () => { [t, alice, bob] = await appWithTenants({}, 'alice', 'bob'); });
afterAll(() => t.close());

async function create(tenant: Tenant, body: unknown) {
  return t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(tenant.token), payload: body as object });
}

function expectEnvelope(res: LightMyRequestResponse, status: number, code: string, reason?: string) {
  expect(res.statusCode).toBe(status);
  const body = json(res);
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error)).toEqual(['status', 'reason', 'message', 'request_id']);
  expect(body.error.status).toBe(code);
  if (reason) expect(body.error.reason).toBe(reason);
  expect(body.error.request_id).toBe(res.headers['x-request-id']);
  return body.error as { status: string; reason: string; message: string };
}

describe('POST /v1.0/accesskeys', () => {
  it('creates a key and returns it once with its token, in the documented field order', async () => {
    // (Shorter than alice's own key has left: a key made with a key expires no later than it.)
    const res = await create(alice, { name: 'My New Accesskey', detail: 'This key is used for reporting', expire: 2592000 });
    expect(res.statusCode).toBe(200);
    const key = json(res);
    expect(Object.keys(key)).toEqual(CREATE_FIELDS);
    expect(key.customer_id).toBe(alice.customerId);
    expect(key.name).toBe('My New Accesskey');
    expect(key.token).toMatch(/^vb_[0-9A-Za-z]{32}$/);
    expect(key.token_prefix).toBe(key.token.slice(0, 11));
    expect(key.tm_create).toBe(t.clock.now().toISOString());
    expect(key.tm_update).toBe(key.tm_create);
    expect(key.tm_expire).toBe(t.clock.now().plusSeconds(2592000).toISOString());
    expect(key.tm_delete).toBe(LIVE);
    for (const f of ['tm_expire', 'tm_create', 'tm_update', 'tm_delete']) expect(key[f]).toMatch(SIX_DIGITS);
  });

  it('keeps microseconds exactly: tm_expire is tm_create plus expire seconds', async () => {
    t.clock.set('2026-12-01T10:15:30.123456Z');
    const key = json(await create(alice, { expire: 86400 }));
    expect(key.tm_create).toBe('2026-12-01T10:15:30.123456Z');
    expect(key.tm_expire).toBe('2026-12-02T10:15:30.123456Z');
    expect(key.name).toBe('');
    expect(key.detail).toBe('');
    t.clock.tick();
  });

  it('ignores unknown fields', async () => {
    const res = await create(alice, { expire: 86400, token: 'vb_mine', customer_id: bob.customerId, admin: true });
    expect(res.statusCode).toBe(200);
    expect(json(res).customer_id).toBe(alice.customerId);
    expect(json(res).token).not.toBe('vb_mine');
  });

  it.each([
    ['missing expire', {}, 'expire'],
    ['expire below one day', { expire: 86399 }, 'expire'],
    ['expire above 2^31-1', { expire: 2147483648 }, 'expire'],
    ['fractional expire', { expire: 86400.5 }, 'expire'],
    ['expire as a string', { expire: '86400' }, 'expire'],
    ['null expire', { expire: null }, 'expire'],
    ['numeric name', { expire: 86400, name: 5 }, 'name'],
    ['256-character name', { expire: 86400, name: 'x'.repeat(256) }, 'name'],
    ['name with NUL', { expire: 86400, name: 'a\u0000b' }, 'name'],
    ['4097-character detail', { expire: 86400, detail: 'x'.repeat(4097) }, 'detail'],
    ['array detail', { expire: 86400, detail: ['x'] }, 'detail'],
    // PostgreSQL counts code points: "a\uFE0F" is two of them, where class-validator's MaxLength counted one.
    ['name of 400 code points', { expire: 86400, name: 'a\uFE0F'.repeat(200) }, 'name'],
    ['name of 256 code points', { expire: 86400, name: '\u{1F600}'.repeat(256) }, 'name'],
    ['detail of 8192 code points', { expire: 86400, detail: 'a\uFE0F'.repeat(4096) }, 'detail'],
    ['detail of 4097 code points', { expire: 86400, detail: 'a\uFE0F'.repeat(2048) + 'x' }, 'detail'],
  ])('refuses %s, naming the field', async (_label, body, field) => {
    const error = expectEnvelope(await create(alice, body), 400, 'INVALID_ARGUMENT');
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('accepts the boundaries', async () => {
    expect((await create(alice, { expire: 86400, name: 'x'.repeat(255), detail: 'y'.repeat(4096) })).statusCode).toBe(200);
    // Exactly 255 and 4096 code points, however many UTF-16 units they take, are stored as sent.
    for (const [name, detail] of [
      ['a\uFE0F'.repeat(127) + 'a', 'a\uFE0F'.repeat(2048)],
      ['\u{1F600}'.repeat(255), '\u{1F600}'.repeat(4096)],
    ]) {
      const res = await create(alice, { expire: 86400, name, detail });
      expect(res.statusCode).toBe(200);
      const stored = json(await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${json(res).id}`, headers: bearer(alice.token) }));
      expect([stored.name, stored.detail]).toEqual([name, detail]);
    }
    expect((await create(alice, { expire: 2147483647 })).statusCode).toBe(200);
  });

  it.each([['[]'], ['"text"'], ['42'], ['null']])('refuses a body that is not an object: %s', async (payload) => {
    const res = await t.app.inject({
      method: 'POST', url: '/v1.0/accesskeys', headers: { ...bearer(alice.token), 'content-type': 'application/json' }, payload,
    });
    expect(expectEnvelope(res, 400, 'INVALID_ARGUMENT').message).toMatch(/^body:/);
  });

  it('refuses malformed JSON and a missing body with the envelope', async () => {
    const bad = await t.app.inject({
      method: 'POST', url: '/v1.0/accesskeys', headers: { ...bearer(alice.token), 'content-type': 'application/json' }, payload: '{"expire":',
    });
    expect(expectEnvelope(bad, 400, 'INVALID_ARGUMENT').message).toMatch(/^body:/);
    const none = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(alice.token) });
    expectEnvelope(none, 400, 'INVALID_ARGUMENT');
  });

  it('needs credentials', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', payload: { expire: 86400 } });
    expectEnvelope(res, 401, 'UNAUTHENTICATED', 'AUTHENTICATION_REQUIRED');
  });
});

describe('GET /v1.0/accesskeys/{id}', () => {
  it("returns the caller's key without its token", async () => {
    const created = json(await create(alice, { name: 'read me', expire: 86400 }));
    const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(alice.token) });
    expect(res.statusCode).toBe(200);
    const key = json(res);
    expect(Object.keys(key)).toEqual(KEY_FIELDS);
    const { token: _token, ...withoutToken } = created;
    expect(key).toEqual(withoutToken);
    expect(res.body).not.toContain(created.token);
  });

  it("answers 404 for another customer's key and for an unknown id alike", async () => {
    const foreign = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${bob.keyId}`, headers: bearer(alice.token) });
    const unknown = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys/00000000-0000-4000-8000-000000000000', headers: bearer(alice.token) });
    const a = expectEnvelope(foreign, 404, 'NOT_FOUND');
    const b = expectEnvelope(unknown, 404, 'NOT_FOUND');
    expect(a.message).toBe(b.message);
  });

  it('refuses an id that is not a UUID', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys/not-a-uuid', headers: bearer(alice.token) });
    expect(expectEnvelope(res, 400, 'INVALID_ARGUMENT').message).toMatch(/^id:/);
  });
});

describe('PUT /v1.0/accesskeys/{id}', () => {
  it('replaces name and detail and sets tm_update', async () => {
    const created = json(await create(alice, { name: 'before', detail: 'old', expire: 86400 }));
    t.clock.advanceSeconds(60);
    const res = await t.app.inject({ method: 'PUT', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(alice.token), payload: { name: 'after' } });
    expect(res.statusCode).toBe(200);
    const key = json(res);
    expect(Object.keys(key)).toEqual(KEY_FIELDS);
    expect(key.name).toBe('after');
    expect(key.detail).toBe('');
    expect(key.tm_update).toBe(t.clock.now().toISOString());
    expect(key.tm_create).toBe(created.tm_create);
    expect(key.tm_expire).toBe(created.tm_expire);
  });

  it('validates the body and refuses foreign keys', async () => {
    const own = json(await create(alice, { expire: 86400 }));
    const bad = await t.app.inject({ method: 'PUT', url: `/v1.0/accesskeys/${own.id}`, headers: bearer(alice.token), payload: { name: 1 } });
    expect(expectEnvelope(bad, 400, 'INVALID_ARGUMENT').message).toMatch(/^name:/);
    const long = await t.app.inject({ method: 'PUT', url: `/v1.0/accesskeys/${own.id}`, headers: bearer(alice.token), payload: { name: 'a\uFE0F'.repeat(200) } });
    expect(expectEnvelope(long, 400, 'INVALID_ARGUMENT').message).toMatch(/^name:/);
    const foreign = await t.app.inject({ method: 'PUT', url: `/v1.0/accesskeys/${bob.keyId}`, headers: bearer(alice.token), payload: { name: 'x' } });
    expectEnvelope(foreign, 404, 'NOT_FOUND');
    const check = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${bob.keyId}`, headers: bearer(bob.token) });
    expect(json(check).name).toBe('bootstrap');
  });
});

describe('DELETE /v1.0/accesskeys/{id}', () => {
  it('soft-deletes, returns the deleted key, and the key stops authenticating at once', async () => {
    const created = json(await create(alice, { name: 'doomed', expire: 86400 }));
    const victim = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(created.token) });
    expect(victim.statusCode).toBe(200);
    t.clock.advanceSeconds(5);
    const res = await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(alice.token) });
    expect(res.statusCode).toBe(200);
    const key = json(res);
    expect(Object.keys(key)).toEqual(KEY_FIELDS);
    expect(key.tm_delete).toBe(t.clock.now().toISOString());
    expect(key.tm_update).toBe(key.tm_delete);
    const after = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(created.token) });
    expectEnvelope(after, 401, 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
  });

  it('answers 409 STATE_INVALID for get, put and delete of a deleted key', async () => {
    const created = json(await create(alice, { expire: 86400 }));
    await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(alice.token) });
    for (const [method, payload] of [['GET', undefined], ['PUT', { name: 'x' }], ['DELETE', undefined]] as const) {
      const res = await t.app.inject({ method, url: `/v1.0/accesskeys/${created.id}`, headers: bearer(alice.token), payload });
      expectEnvelope(res, 409, 'FAILED_PRECONDITION', 'STATE_INVALID');
    }
  });

  it('accepts a bodiless DELETE sent with a JSON content type', async () => {
    const created = json(await create(alice, { expire: 86400 }));
    const res = await t.app.inject({
      method: 'DELETE', url: `/v1.0/accesskeys/${created.id}`, headers: { ...bearer(alice.token), 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(200);
  });

  it("cannot delete another customer's key", async () => {
    const res = await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${bob.keyId}`, headers: bearer(alice.token) });
    expectEnvelope(res, 404, 'NOT_FOUND');
    const still = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(bob.token) });
    expect(still.statusCode).toBe(200);
  });
});

describe('GET /v1.0/accesskeys', () => {
  it("lists only the caller's live keys, newest first, including expired ones", async () => {
    const carol = await createTenant(t, 'carol');
    const expiring = json(await create(carol, { name: 'short', expire: 86400 }));
    t.clock.tick();
    const gone = json(await create(carol, { name: 'gone', expire: 86400 }));
    await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${gone.id}`, headers: bearer(carol.token) });
    t.clock.advanceSeconds(86401); // `expiring` has now expired; carol's bootstrap key is valid a year
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(carol.token) });
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(Object.keys(body)).toEqual(['result', 'next_page_token']);
    expect(body.result.map((k: { id: string }) => k.id)).toEqual([expiring.id, carol.keyId]);
    expect(body.next_page_token).toBeNull();
    for (const key of body.result) {
      expect(Object.keys(key)).toEqual(KEY_FIELDS);
      expect(key.customer_id).toBe(carol.customerId);
    }
  });

  it.each(['-1', 'abc', '1.5', ''])('validates page_size=%s', async (size) => {
    const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?page_size=${size}`, headers: bearer(alice.token) });
    if (size === '') {
      expect(res.statusCode).toBe(200);
    } else {
      expect(expectEnvelope(res, 400, 'INVALID_ARGUMENT').message).toMatch(/^page_size:/);
    }
  });

  it('refuses a page_token that is neither a cursor nor a timestamp', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_token=%21%21', headers: bearer(alice.token) });
    expect(expectEnvelope(res, 400, 'INVALID_ARGUMENT').message).toMatch(/^page_token:/);
  });
});

describe('transport details', () => {
  it('echoes a safe X-Request-Id and replaces an unsafe one', async () => {
    const safe = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: { 'x-request-id': 'abc-123.DEF:9_x' } });
    expect(safe.headers['x-request-id']).toBe('abc-123.DEF:9_x');
    expect(json(safe).error.request_id).toBe('abc-123.DEF:9_x');
    for (const unsafe of ['a'.repeat(65), 'has space', 'semi;colon', '']) {
      const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: { 'x-request-id': unsafe } });
      expect(res.headers['x-request-id']).not.toBe(unsafe);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers an unknown route with the envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/nothing-here' });
    expectEnvelope(res, 404, 'NOT_FOUND');
    const post = await t.app.inject({ method: 'PATCH', url: '/v1.0/accesskeys' });
    expectEnvelope(post, 404, 'NOT_FOUND');
  });

  it('marks responses to query-string authentication Cache-Control: no-store', async () => {
    const viaQuery = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys?accesskey=${alice.token}` });
    expect(viaQuery.statusCode).toBe(200);
    expect(viaQuery.headers['cache-control']).toBe('no-store');
  });
});

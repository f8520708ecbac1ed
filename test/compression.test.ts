import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { PLAYGROUND_ASSET_PREFIX } from '../src/graphql/playground';
import { COMPRESSION_THRESHOLD_BYTES } from '../src/http/compression';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';

let t: TestApp;
let acme: Tenant;

beforeAll(async () => {
  t = await buildTestApp();
  acme = await createTenant(t, 'acme');
});
afterAll(() => t.close());

const get = (url: string, encoding?: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { ...(encoding === undefined ? {} : { 'accept-encoding': encoding }), ...headers } });

/** The body as the client sees it after undoing `Content-Encoding`. */
function decoded(res: LightMyRequestResponse): Buffer {
  switch (res.headers['content-encoding']) {
    case 'br':
      return brotliDecompressSync(res.rawPayload);
    case 'gzip':
      return gunzipSync(res.rawPayload);
    case undefined:
      return res.rawPayload;
    default:
      throw new Error(`unexpected encoding ${String(res.headers['content-encoding'])}`);
  }
}

async function graphiqlBundleUrl(): Promise<string> {
  const page = await get('/graphql', undefined, { accept: 'text/html' });
  const url = [...page.body.matchAll(/src="([^"]*)"/g)].map((m) => m[1]).find((u) => u.startsWith(`${PLAYGROUND_ASSET_PREFIX}graphiql.`));
  if (!url) throw new Error('the page names no GraphiQL bundle');
  return url;
}

/** Asserts `url` is served compressed with each encoding, to a fraction of its size, and plain without Accept-Encoding. */
async function expectCompressed(url: string, maxRatio: number, headers: Record<string, string> = {}) {
  const plain = await get(url, undefined, headers);
  expect(plain.statusCode).toBe(200);
  expect(plain.headers['content-encoding']).toBeUndefined();
  for (const [accept, encoding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br;q=0, gzip;q=1', 'gzip']]) {
    const res = await get(url, accept, headers);
    expect({ url, accept, status: res.statusCode, encoding: res.headers['content-encoding'] }).toEqual({ url, accept, status: 200, encoding });
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(decoded(res).equals(plain.rawPayload)).toBe(true);
    expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length * maxRatio);
  }
  return plain;
}

describe('compression', () => {
  it('serves the playground bundle as gzip or brotli, at a fraction of its size', async () => {
    const plain = await expectCompressed(await graphiqlBundleUrl(), 0.25);
    expect(plain.rawPayload.length).toBeGreaterThan(1_000_000);
  });

  it('serves the OpenAPI document compressed', async () => {
    await expectCompressed('/v1.0/openapi.json', 0.3);
  });

  it('compresses JSON lists above the threshold and keeps their no-store', async () => {
    for (let i = 0; i < 6; i++) await t.services.accesskeys.createForCustomer(acme.customerId, { name: `key ${i}`, expire: 86400 });
    const plain = await expectCompressed(`/v1.0/accesskeys?accesskey=${acme.token}`, 0.5);
    expect(plain.rawPayload.length).toBeGreaterThan(COMPRESSION_THRESHOLD_BYTES);
    const res = await get(`/v1.0/accesskeys?accesskey=${acme.token}`, 'br');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('leaves small answers alone', async () => {
    const res = await get('/healthz', 'gzip, br');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.length).toBeLessThan(COMPRESSION_THRESHOLD_BYTES);
    expect(json(res)).toEqual({ status: 'ok' });
  });

  it('does not decompress request bodies', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1.0/accesskeys',
      headers: { ...bearer(acme.token), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify({ expire: 86400 })),
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.status).toBe('INVALID_ARGUMENT');
  });
});

describe('responses that carry a token are never compressed', () => {
  // Threshold 0: every other response is compressed, so only the exclusion keeps these plain.
  let t0: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t0 = await buildTestApp({ compressionThreshold: 0 });
    tenant = await createTenant(t0, 'zero');
  });
  afterAll(() => t0.close());

  const accept = { 'accept-encoding': 'gzip, br' };

  it('compresses an ordinary small answer at threshold 0 (the control)', async () => {
    const res = await t0.app.inject({ method: 'GET', url: '/healthz', headers: accept });
    expect(res.headers['content-encoding']).toBe('br');
  });

  it('POST /v1.0/accesskeys (the new token)', async () => {
    const res = await t0.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: { ...accept, ...bearer(tenant.token) }, payload: { name: 'n'.repeat(255), expire: 86400 } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(json(res).token).toMatch(/^vb_/);
    // The other methods of the same path are compressed as usual.
    const list = await t0.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: { ...accept, ...bearer(tenant.token) } });
    expect(list.headers['content-encoding']).toBe('br');
  });

  it('POST /auth/login (the session token)', async () => {
    const { username, password } = await createAgent(t0, tenant, LEVELS.admin);
    const res = await t0.app.inject({ method: 'POST', url: '/auth/login', headers: accept, payload: { username, password } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(json(res).token).toBeTruthy();
  });

  it('/graphql, over POST and GET', async () => {
    const post = await t0.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { ...accept, ...bearer(tenant.token), 'content-type': 'application/json' },
      payload: { query: 'mutation { createAccesskey(input: { expire: 86400 }) { token } }' },
    });
    expect(post.statusCode).toBe(200);
    expect(post.headers['content-encoding']).toBeUndefined();
    expect(json(post).data.createAccesskey.token).toMatch(/^vb_/);
    const query = encodeURIComponent('{ accesskeys { nodes { id } } }');
    const viaGet = await t0.app.inject({ method: 'GET', url: `/graphql?query=${query}`, headers: { ...accept, ...bearer(tenant.token) } });
    expect(viaGet.statusCode).toBe(200);
    expect(viaGet.headers['content-encoding']).toBeUndefined();
  });
});

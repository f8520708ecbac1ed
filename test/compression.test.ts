import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { PLAYGROUND_ASSET_PREFIX, playgroundAssetCompressions } from '../src/graphql/playground';
import { COMPRESSION_THRESHOLD_BYTES } from '../src/http/compression';
import { LEVELS, bearer, createAgent, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';

let t: TestApp;
let acme: Tenant;

beforeAll(async () => { [t, acme] = await appWithTenants({}, 'acme'); });
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

/** The playground assets the page names, in page order. */
async function playgroundAssetUrls(): Promise<string[]> {
  const page = await get('/graphql', undefined, { accept: 'text/html' });
  return [...page.body.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]).filter((u) => u.startsWith(PLAYGROUND_ASSET_PREFIX));
}

async function graphiqlBundleUrl(): Promise<string> {
  const url = (await playgroundAssetUrls()).find((u) => u.startsWith(`${PLAYGROUND_ASSET_PREFIX}graphiql.`) && u.endsWith('.js'));
  if (!url) throw new Error('the page names no GraphiQL bundle');
  return url;
}

const fileName = (url: string) => url.slice(PLAYGROUND_ASSET_PREFIX.length);

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

describe('playground assets: compressed once per coding, kept in memory', () => {
  // First in the file: nothing has asked for the bundle yet, so the concurrent requests below are
  // the ones that find it uncompressed (the precondition checks it).
  it('20 concurrent requests per coding compress the bundle once, and all get the same bytes', async () => {
    const url = await graphiqlBundleUrl();
    expect(playgroundAssetCompressions().get(fileName(url))).toEqual({ br: 0, gzip: 0 });
    const plain = await get(url);
    for (const coding of ['br', 'gzip']) {
      const responses = await Promise.all(Array.from({ length: 20 }, () => get(url, coding)));
      for (const res of responses) {
        expect(res.headers['content-encoding']).toBe(coding);
        expect(res.rawPayload.equals(responses[0].rawPayload)).toBe(true);
      }
      expect(decoded(responses[0]).equals(plain.rawPayload)).toBe(true);
    }
    expect(playgroundAssetCompressions().get(fileName(url))).toEqual({ br: 1, gzip: 1 });
    // A later request is answered from memory, not compressed again.
    await get(url, 'gzip, br');
    expect(playgroundAssetCompressions().get(fileName(url))).toEqual({ br: 1, gzip: 1 });
  });

  it('every asset decompresses to its exact bytes, with its length, Vary and long-lived cache headers', async () => {
    for (const url of await playgroundAssetUrls()) {
      const plain = await get(url);
      expect(plain.statusCode).toBe(200);
      for (const accept of ['br', 'gzip']) {
        const res = await get(url, accept);
        const large = plain.rawPayload.length >= COMPRESSION_THRESHOLD_BYTES;
        expect({ url, accept, encoding: res.headers['content-encoding'] }).toEqual({ url, accept, encoding: large ? accept : undefined });
        expect(decoded(res).equals(plain.rawPayload)).toBe(true);
        expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
        expect(res.headers.vary).toBe(large ? 'accept-encoding' : undefined);
        expect(res.headers['content-type']).toBe(plain.headers['content-type']);
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
    }
  });

  it('sends identity without Accept-Encoding, with the plain length', async () => {
    const res = await get(await graphiqlBundleUrl());
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('accept-encoding');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    expect(res.rawPayload.length).toBeGreaterThan(1_000_000);
  });

  it('negotiates by q-value, `*` and identity', async () => {
    const url = await graphiqlBundleUrl();
    const cases: Array<[string, string | undefined]> = [
      ['gzip;q=0, br', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['gzip, br;q=0.5', 'gzip'],
      ['BR;Q=1, GZIP', 'br'],
      ['x-gzip', 'gzip'],
      ['*', 'br'],
      ['*;q=0.5, br;q=0', 'gzip'],
      ['identity', undefined],
      ['identity;q=1, br;q=0.5', undefined],
      ['', undefined],
      ['deflate, zstd', undefined],
    ];
    for (const [accept, encoding] of cases) {
      const res = await get(url, accept);
      expect({ accept, status: res.statusCode, encoding: res.headers['content-encoding'] }).toEqual({ accept, status: 200, encoding });
    }
  });
});

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

  it("sends Swagger UI's big static files as they are: no per-request compression work for anyone who asks", async () => {
    const res = await get('/v1.0/docs/static/swagger-ui-bundle.js', 'gzip, br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.length).toBeGreaterThan(1_000_000);
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
  beforeAll(async () => { [t0, tenant] = await appWithTenants({ compressionThreshold: 0 }, 'zero'); });
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

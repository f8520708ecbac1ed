import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import { defaultConfig } from '../src/config';
import type { AuthenticateRequest } from '../src/graphql/context';
import type { DatabaseHealth } from '../src/db/health';
import { buildAppSchema } from '../src/app/graphql-schema';
import { registerGraphQL } from '../src/app/graphql-server';
import { PLAYGROUND_ASSET_PREFIX } from '../src/graphql/playground';
import { bearer, buildTestApp, createTenant, gql } from './helpers/app';
import type { TestApp } from './helpers/app';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const getPage = (app = t.app) => app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });

/** Every `src` and `href` in the page. */
const referencedUrls = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);

async function assetUrls(): Promise<string[]> {
  return referencedUrls((await getPage()).body).filter((url) => url.startsWith(PLAYGROUND_ASSET_PREFIX));
}

describe('the playground page (GET /graphql, Accept: text/html)', () => {
  it('is HTML that references only this server, with a strict CSP', async () => {
    const res = await getPage();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(res.headers['cache-control']).toBe('no-cache');

    const urls = referencedUrls(res.body);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const url of urls) expect(url.startsWith(PLAYGROUND_ASSET_PREFIX) || url.startsWith('data:')).toBe(true);
    expect(res.body).not.toMatch(/https?:\/\//);
    // The bootstrap is a served file: no inline script for the CSP to allow.
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(res.body).not.toMatch(/<style|style="/);
  });

  it('serves each asset under a name that carries its content hash, with its content type and a long cache lifetime', async () => {
    const urls = await assetUrls();
    expect(urls.filter((url) => url.endsWith('.js'))).toHaveLength(4);
    expect(urls.filter((url) => url.endsWith('.css'))).toHaveLength(2);
    for (const url of urls) {
      const res = await t.app.inject({ method: 'GET', url });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect(res.headers['content-type']).toBe(url.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.rawPayload.length).toBeGreaterThan(0);
      // A changed file gets a new name, so an immutable cache entry is never stale.
      expect(url).toContain(`.${createHash('sha256').update(res.rawPayload).digest('hex').slice(0, 12)}.`);
      if (url.endsWith('.css')) {
        // Fonts and icons are inlined; the stylesheets load nothing else.
        for (const [, target] of res.body.matchAll(/url\(\s*['"]?([^'")]*)/g)) expect(target).toMatch(/^data:/);
        expect(res.body).not.toMatch(/@import/);
      }
    }
  });

  it('serves nothing else under the asset prefix', async () => {
    const [anAsset] = await assetUrls();
    const attempts = [
      `${PLAYGROUND_ASSET_PREFIX}../../package.json`,
      `${PLAYGROUND_ASSET_PREFIX}..%2F..%2Fpackage.json`,
      `${PLAYGROUND_ASSET_PREFIX}%2e%2e%2f%2e%2e%2fpackage.json`,
      `${PLAYGROUND_ASSET_PREFIX}..%5C..%5Cpackage.json`,
      `${PLAYGROUND_ASSET_PREFIX}node_modules/react/package.json`,
      `${PLAYGROUND_ASSET_PREFIX}react.production.min.js`,
      `${PLAYGROUND_ASSET_PREFIX}graphiql.min.js.map`,
      `${PLAYGROUND_ASSET_PREFIX}constructor`,
      `${PLAYGROUND_ASSET_PREFIX}__proto__`,
      PLAYGROUND_ASSET_PREFIX,
      `${anAsset}/x`,
    ];
    for (const url of attempts) {
      const res = await t.app.inject({ method: 'GET', url });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).not.toContain('"dependencies"');
    }
  });

  it('leaves the API alone: POST /graphql runs operations, JSON clients get no HTML', async () => {
    const tenant = await createTenant(t);
    const { res, body } = await gql(t, '{ accesskeys { nodes { id name } } }', {}, bearer(tenant.token));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(body).toEqual({ data: { accesskeys: { nodes: [{ id: tenant.keyId, name: 'bootstrap' }] } } });

    const json = await t.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'application/json' } });
    expect(json.headers['content-type']).not.toMatch(/text\/html/);
  });
});

describe('registerGraphQL(…, playground = false)', () => {
  it('serves no page and no assets', async () => {
    const [anAsset] = await assetUrls();
    const app = Fastify();
    // Nothing here authenticates or queries: the page and the assets are all that is asked for.
    await registerGraphQL(app, await buildAppSchema({ accesskeys: {} as never, verify: {} as never, audit: {} as never }), {} as AuthenticateRequest, {} as DatabaseHealth, { playground: false, graphql: defaultConfig().graphql });
    try {
      const page = await getPage(app);
      expect(page.headers['content-type']).not.toMatch(/text\/html/);
      expect((await app.inject({ method: 'GET', url: anAsset })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});

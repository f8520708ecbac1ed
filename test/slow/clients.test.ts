import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apolloExample, createApolloClient } from '../../examples/apollo';
import { createRestClient, restTutorial } from '../../examples/rest';
import { createUrqlClient, urqlExample } from '../../examples/urql';
import { bearer, buildTestApp, createTenant } from '../helpers/app';
import type { TestApp, Tenant } from '../helpers/app';
import { ROOT, run } from '../helpers/process';

// The client examples of docs/clients.md, run against the real app on a real port.
let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());

const node = (script: string, args: string[]) => run(process.execPath, [path.join(ROOT, script), ...args], process.env, undefined, 120_000);

describe('GraphQL Code Generator (typed documents)', () => {
  it('generates from schema.graphql and examples/graphql/ exactly the committed examples/generated/graphql/', async () => {
    // --check runs the whole generation and fails if any file would change.
    const result = await node('node_modules/@graphql-codegen/cli/cjs/bin.js', ['--config', 'codegen.ts', '--check']);
    expect({ code: result.code, out: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual({ code: 0, out: '' });
  });

  it('the example clients type-check against the generated types, as a frontend compiles them', async () => {
    const result = await node('node_modules/typescript/bin/tsc', ['-p', 'examples/tsconfig.json']);
    expect({ code: result.code, out: result.stdout }).toEqual({ code: 0, out: '' });
  });
});

describe('Apollo Client', () => {
  it('creates, lists, renames and deletes a key with the typed documents', async () => {
    const tenant = await createTenant(t, 'apollo');
    const result = await apolloExample(createApolloClient(base, tenant.token));
    expect(result.token).toMatch(/^vb_[0-9A-Za-z]{32}$/);
    expect(result.names).toEqual(['from Apollo', 'bootstrap']);
    expect(result.renamedTo).toBe('renamed by Apollo');
    expect(result.tmDelete).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    // The key the example made and deleted no longer authenticates.
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(result.token) });
    expect(res.statusCode).toBe(401);
  });
});

describe('urql (default GET for queries)', () => {
  let methods: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    methods = [];
    const realFetch = globalThis.fetch;
    spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      methods.push(init?.method ?? 'GET');
      return realFetch(input, init);
    });
  });
  afterEach(() => spy.mockRestore());

  it('runs queries over GET with the Authorization header and mutations over POST', async () => {
    const tenant = await createTenant(t, 'urql');
    const result = await urqlExample(createUrqlClient(base, tenant.token));
    expect(result.kind).toBe('ACCESSKEY');
    expect(result.detail).toBe('typed');
    expect(result.ids).toEqual([result.id, tenant.keyId]);
    // me, create, get, two list pages.
    expect(methods).toEqual(['GET', 'POST', 'GET', 'GET', 'GET']);
  });
});

describe('curl', () => {
  const curl = existsSync('/usr/bin/curl') ? it : it.skip;
  if (!existsSync('/usr/bin/curl')) console.warn('curl examples skipped: /usr/bin/curl is not installed');
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await createTenant(t, 'curl');
  });

  curl('a GraphQL query over GET, as docs/clients.md shows', async () => {
    const result = await run('curl', ['-s', '-G', `${base}/graphql`, '-H', `Authorization: Bearer ${tenant.token}`, '--data-urlencode', 'query={ me { kind customerId } }'], process.env);
    expect(JSON.parse(result.stdout)).toEqual({ data: { me: { kind: 'ACCESSKEY', customerId: tenant.customerId } } });
  });

  curl('a GraphQL mutation over POST, as docs/clients.md shows', async () => {
    const result = await run(
      'curl',
      ['-s', `${base}/graphql`, '-H', `Authorization: Bearer ${tenant.token}`, '-H', 'Content-Type: application/json', '-d', '{"query":"mutation { createAccesskey(input: { name: \\"ci\\", expire: 86400 }) { token } }"}'],
      process.env,
    );
    expect(JSON.parse(result.stdout).data.createAccesskey.token).toMatch(/^vb_/);
  });

  curl('the OpenAPI document with --compressed (brotli on the wire, JSON on stdout)', async () => {
    const result = await run('curl', ['-s', '--compressed', '-D', '-', `${base}/v1.0/openapi.json`], process.env);
    const [head, body] = result.stdout.split('\r\n\r\n');
    expect(head).toMatch(/^content-encoding: br$/im);
    expect(JSON.parse(body).openapi).toMatch(/^3\./);
  });
});

describe('openapi-typescript + openapi-fetch (REST)', () => {
  it('generates from the served /v1.0/openapi.json exactly the committed examples/generated/openapi.ts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'openapi-ts-'));
    try {
      const out = path.join(dir, 'openapi.ts');
      const result = await node('node_modules/openapi-typescript/bin/cli.js', [`${base}/v1.0/openapi.json`, '-o', out]);
      expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(ROOT, 'examples/generated/openapi.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the platform tutorial through openapi-fetch with the accesskey query parameter', async () => {
    const tenant = await createTenant(t, 'rest');
    const result = await restTutorial(createRestClient(base, tenant.token));
    expect(result.token).toMatch(/^vb_[0-9A-Za-z]{32}$/);
    expect(result.key).toMatchObject({ customer_id: tenant.customerId, name: 'My New Accesskey', detail: 'This key is used for reporting' });
    expect(result.listed.map((key) => key.id)).toEqual([result.key.id, tenant.keyId]);
    expect(result.nextPageToken).toBeNull();
    expect(result.fetched).toEqual(result.key);
    expect(result.deleted?.tm_delete).not.toBe('9999-01-01T00:00:00.000000Z');
    expect(result.deleteAgain).toMatchObject({ status: 409, error: { status: 'FAILED_PRECONDITION', reason: 'STATE_INVALID' } });
    // The deleted key no longer authenticates.
    const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(result.token) });
    expect(res.statusCode).toBe(401);
  });
});

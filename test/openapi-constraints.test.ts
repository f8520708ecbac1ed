import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { bearer, buildTestApp, createTenant, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';

// What the OpenAPI document says a request field accepts is what the server enforces: the test
// walks the served document, and for every constraint on a path or query parameter or a body
// field (format, minimum, maximum, lengths, pattern, item count) sends one value that breaks it
// and expects 400 INVALID_ARGUMENT naming that field. A constraint added to the document without
// the rule behind it, or a rule removed, fails here.

const dir = mkdtempSync(path.join(tmpdir(), 'openapi-constraints-'));
const partner = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pemOf = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }) as string;
const PARTNER_ID = createHash('sha256').update(pemOf(partner.publicKey)).digest('hex');
const KEYS_FILE = path.join(dir, 'secret-scanning.pem');
writeFileSync(KEYS_FILE, pemOf(partner.publicKey));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = any;
const CONSTRAINTS = ['format', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems'] as const;
type Constraint = (typeof CONSTRAINTS)[number];

interface Case {
  readonly method: string;
  readonly route: string;
  readonly location: 'path' | 'query' | 'body';
  /** Where in the parameter or body: property names and `0` for an array's first item. */
  readonly at: ReadonlyArray<string | number>;
  readonly constraint: Constraint;
  readonly bound: unknown;
}

/** A value that breaks `constraint`; `undefined` when this test does not know how to. */
function violating(constraint: Constraint, bound: any): unknown {
  switch (constraint) {
    case 'format':
      return bound === 'uuid' ? 'not-a-uuid' : undefined;
    case 'minimum':
      return bound - 1;
    case 'maximum':
      return bound + 1;
    case 'minLength':
      return 'x'.repeat(bound - 1);
    case 'maxLength':
      return 'x'.repeat(bound + 1);
    case 'pattern':
      return bound === '^[^\\u0000]*$' ? 'a\u0000b' : undefined;
    case 'minItems':
      return bound > 0 ? [] : undefined;
    case 'maxItems':
      return 'items';
  }
}

function collect(doc: Json, schema: Json, base: Omit<Case, 'at' | 'constraint' | 'bound'>, at: Array<string | number>, out: Case[]): void {
  if (!schema || typeof schema !== 'object') return;
  if (schema.$ref) return collect(doc, doc.components.schemas[schema.$ref.split('/').pop()], base, at, out);
  for (const constraint of CONSTRAINTS) if (schema[constraint] !== undefined) out.push({ ...base, at, constraint, bound: schema[constraint] });
  for (const [name, property] of Object.entries(schema.properties ?? {})) collect(doc, property, base, [...at, name], out);
  if (schema.items) collect(doc, schema.items, base, [...at, 0], out);
}

function casesOf(doc: Json): Case[] {
  const out: Case[] = [];
  for (const [route, operations] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(operations)) {
      for (const p of op.parameters ?? []) {
        if (p.in === 'path' || p.in === 'query') collect(doc, p.schema, { method, route, location: p.in }, [p.name], out);
      }
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body) collect(doc, body, { method, route, location: 'body' }, [], out);
    }
  }
  return out;
}

/** The name the answer must give the field: `expire`, `id`, `page_size`, `body[0].token`, or `body` for the whole body. */
function fieldOf(c: Case): string {
  if (c.at.length === 0) return 'body';
  if (c.location === 'body' && typeof c.at[0] === 'number') {
    return `body${c.at.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
  }
  return String(c.at[c.at.length - 1]);
}

function setAt(target: Json, at: ReadonlyArray<string | number>, value: unknown): Json {
  if (at.length === 0) return value;
  const copy = Array.isArray(target) ? [...target] : { ...target };
  copy[at[0]] = setAt(target[at[0]], at.slice(1), value);
  return copy;
}

describe('the OpenAPI document is enforced', () => {
  let t: TestApp;
  let tenant: Tenant;
  let doc: Json;

  beforeAll(async () => {
    t = await buildTestApp({ leakReports: loadConfig({ LEAK_REPORT_KEYS: KEYS_FILE }).leakReports });
    tenant = await createTenant(t, 'constraints');
    doc = json(await t.app.inject({ method: 'GET', url: '/v1.0/openapi.json' }));
  });
  afterAll(() => t.close());

  /** A request each operation accepts, to break one field of. */
  const valid = (route: string, method: string): { params: Record<string, string>; query: Record<string, string>; body: Json } => {
    if (route === '/auth/login') return { params: {}, query: {}, body: { username: 'nobody', password: 'secret' } };
    if (route === '/v1.0/accesskeys/leaks') {
      return { params: {}, query: {}, body: [{ token: 'vb_x', type: 'vb_access_key', url: 'https://example.com/a', source: 'content' }] };
    }
    const body = method === 'post' ? { name: 'n', detail: 'd', expire: 86400 } : method === 'put' ? { name: 'n', detail: 'd' } : undefined;
    return { params: { id: tenant.keyId }, query: {}, body };
  };

  it('documents constraints on the path, the query and bodies (so the walk below checks something)', () => {
    const cases = casesOf(doc);
    expect(cases.filter((c) => c.location === 'path' && c.constraint === 'format').length).toBeGreaterThanOrEqual(3);
    expect(cases.some((c) => c.location === 'query' && c.constraint === 'minimum')).toBe(true);
    expect(cases.some((c) => c.constraint === 'maximum')).toBe(true);
    expect(cases.every((c) => violating(c.constraint, c.bound) !== undefined)).toBe(true);
  });

  it('answers every documented constraint broken with 400 INVALID_ARGUMENT naming the field', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const c of casesOf(doc)) {
      const { params, query, body } = valid(c.route, c.method);
      let bad = violating(c.constraint, c.bound);
      if (c.constraint === 'maxItems') bad = Array.from({ length: Number(c.bound) + 1 }, () => body[0]);
      const name = String(c.at[0]);
      if (c.location === 'path') params[name] = String(bad);
      if (c.location === 'query') query[name] = String(bad);
      const payload = c.location === 'body' ? setAt(body, c.at, bad) : body;
      const url = c.route.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(params[p])) + (Object.keys(query).length ? `?${new URLSearchParams(query)}` : '');
      const text = payload === undefined ? undefined : JSON.stringify(payload);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (c.route === '/v1.0/accesskeys/leaks') {
        Object.assign(headers, { 'github-public-key-identifier': PARTNER_ID, 'github-public-key-signature': sign('sha256', Buffer.from(text!), partner.privateKey).toString('base64') });
      } else if (c.route !== '/auth/login') {
        Object.assign(headers, bearer(tenant.token));
      }
      const res = await t.app.inject({ method: c.method.toUpperCase() as 'GET', url, headers, ...(text === undefined ? {} : { payload: text }), remoteAddress: `192.0.2.${++checked % 250}` });
      const error = res.statusCode === 400 ? json(res).error : null;
      const field = fieldOf(c);
      const what = `${c.method.toUpperCase()} ${c.route} ${c.location} ${c.at.join('.') || '(body)'} ${c.constraint}=${JSON.stringify(c.bound)}`;
      if (error?.status !== 'INVALID_ARGUMENT' || !String(error.message).startsWith(`${field}:`)) {
        failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});

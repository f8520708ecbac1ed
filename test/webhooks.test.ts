import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { loadConfig } from '../src/config';
import { loggerOptions } from '../src/http/logging';
import { systemAttribution } from '../src/audit/audit.types';
import { DEFAULT_WEBHOOK_CONFIG, endpointConcurrencyOf } from '../src/webhooks/webhook.config';
import type { WebhookConfig } from '../src/webhooks/webhook.config';
import { resolveWebhookSecretKey } from '../src/webhooks/secret-key';
import { SecretBox } from '../src/webhooks/webhook.crypto';
import { WebhookWorker } from '../src/webhooks/worker';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, gql, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { LogCapture } from './helpers/log';
import { Receiver } from './helpers/receiver';
import { usingPostgres } from './helpers/database';

/** Webhook settings of these tests: http to loopback allowed, a short schedule, short timeouts. */
const KEY = new Uint8Array(randomBytes(32));
const config = (over: Partial<WebhookConfig> = {}): WebhookConfig => ({
  ...DEFAULT_WEBHOOK_CONFIG, secretKey: KEY, allowHttp: true, allowPrivateNetworks: true, timeoutMs: 400, retrySchedule: [5, 300],
  // Bounds the concurrency tests hold the app's worker to: 3 in flight in the process, 2 per endpoint.
  concurrency: 3, endpointConcurrency: 2, ...over,
});

// Leak reports, signed as a secret-scanning partner signs them.
const dir = mkdtempSync(path.join(tmpdir(), 'webhooks-'));
const partner = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const KEYS_FILE = path.join(dir, 'partner.pem');
const PARTNER_PEM = partner.publicKey.export({ type: 'spki', format: 'pem' }) as string;
writeFileSync(KEYS_FILE, PARTNER_PEM);
const PARTNER_ID = createHash('sha256').update(PARTNER_PEM).digest('hex');
const signed = (body: string, key: KeyObject = partner.privateKey) => ({
  'github-public-key-identifier': PARTNER_ID,
  'github-public-key-signature': sign('sha256', Buffer.from(body), key).toString('base64'),
});

let t: TestApp;
let receiver: Receiver;
let alice: Tenant;
let bob: Tenant;
let aliceAdmin: string;
const log = new LogCapture();

beforeAll(async () => {
  receiver = await Receiver.start();
  t = await buildTestApp({
    logger: loggerOptions('info', log),
    webhooks: config(),
    webhookWorker: 'manual',
    leakReports: loadConfig({ LEAK_REPORT_KEYS: KEYS_FILE }).leakReports,
  });
  alice = await createTenant(t, 'alice');
  bob = await createTenant(t, 'bob');
  const { username, password } = await createAgent(t, alice, LEVELS.admin);
  aliceAdmin = (await login(t, username, password)).token;
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  receiver.reset();
  receiver.behave({ status: 200 });
});

const worker = () => t.services.webhooks.worker!;

/** Runs the worker until nothing is due at the test clock's now. */
async function deliverDue(w: WebhookWorker = worker()): Promise<void> {
  for (let round = 0; round < 50; round++) {
    const started = await w.tick();
    await w.idle();
    if (started === 0) return;
  }
}

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url events description disabled tmCreate } } }`;

async function endpoint(events: string[] = ['*'], as = aliceAdmin, url = receiver.url) {
  const { body } = await gql(t, CREATE, { input: { url, events, description: 'ops' } }, bearer(as));
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.createWebhookEndpoint as { secret: string; endpoint: { id: string; url: string; events: string[]; disabled: boolean } };
}

const deleteEndpoint = (id: string) => gql(t, 'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id }, bearer(aliceAdmin));

const DELIVERIES = `query ($id: ID!, $status: WebhookDeliveryStatus) {
  webhookDeliveries(endpointId: $id, filter: { status: $status }) { nodes { id eventType status attempts lastStatusCode lastError tmNextAttempt tmDelivered } } }`;

async function deliveries(endpointId: string, status?: string) {
  const { body } = await gql(t, DELIVERIES, { id: endpointId, status }, bearer(aliceAdmin));
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.webhookDeliveries.nodes as Array<{ id: string; eventType: string; status: string; attempts: number; lastStatusCode: number | null; lastError: string | null }>;
}

const rest = (method: 'POST' | 'PUT' | 'DELETE', url: string, token = alice.token, payload?: object) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

describe('endpoints', () => {
  it('creates an endpoint whose whsec_ secret is in the creating answer only, sealed in the database', async () => {
    const { secret, endpoint: e } = await endpoint(['accesskey.created']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(e).toMatchObject({ url: receiver.url, events: ['accesskey.created'], disabled: false });
    const rows = await t.database.dataSource.query('SELECT secret_sealed FROM webhook_endpoints WHERE id = $1', [e.id]);
    expect(rows[0].secret_sealed).not.toContain(secret.slice(6, 20));
    expect(new SecretBox(KEY).open(rows[0].secret_sealed, e.id)).toBe(secret);
    const listed = await gql(t, '{ webhookEndpoints { nodes { id url } } }', {}, bearer(aliceAdmin));
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));
    expect(listed.body.data.webhookEndpoints.nodes.map((n: { id: string }) => n.id)).toContain(e.id);
    const trail = await t.services.audit.search(alice.customerId, { action: 'webhook.create', targetId: e.id, actorTokenHash: null, since: null, until: null, beforeSeq: null, limit: 10 });
    expect(trail).toHaveLength(1);
    expect(JSON.stringify(trail)).not.toContain(secret.slice(6));
    await deleteEndpoint(e.id);
  });

  it('refuses access keys (FORBIDDEN) for every webhook operation: a leaked key cannot silence its alerts', async () => {
    const { endpoint: e } = await endpoint();
    for (const [query, variables] of [
      [CREATE, { input: { url: receiver.url, events: ['*'] } }],
      ['{ webhookEndpoints { nodes { id } } }', {}],
      ['mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: e.id }],
      ['mutation ($id: ID!) { updateWebhookEndpoint(id: $id, input: { disabled: true }) { id } }', { id: e.id }],
      ['mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret } }', { id: e.id }],
      ['mutation ($id: ID!) { sendTestWebhook(id: $id) { id } }', { id: e.id }],
      ['query ($id: ID!) { webhookDeliveries(endpointId: $id) { nodes { id } } }', { id: e.id }],
      ['mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }', { id: e.id }],
    ] as const) {
      const { body } = await gql(t, query, variables, bearer(alice.token));
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await deliveries(e.id)).length).toBe(0);
    await deleteEndpoint(e.id);
  });

  it("hides another customer's endpoints from a customer admin; a super admin reaches any", async () => {
    const { endpoint: e } = await endpoint();
    const { username, password } = await createAgent(t, bob, LEVELS.admin);
    const bobAdmin = (await login(t, username, password)).token;
    const { body } = await gql(t, 'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: e.id }, bearer(bobAdmin));
    expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
    const other = await gql(t, CREATE, { input: { url: receiver.url, events: ['*'], customerId: alice.customerId } }, bearer(bobAdmin));
    expect(other.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const sa = await createAgent(t, bob, LEVELS['super-admin']);
    const superAdmin = (await login(t, sa.username, sa.password)).token;
    const listed = await gql(t, 'query ($c: ID) { webhookEndpoints(customerId: $c) { nodes { id } } }', { c: alice.customerId }, bearer(superAdmin));
    expect(listed.body.data.webhookEndpoints.nodes.map((n: { id: string }) => n.id)).toContain(e.id);
    const made = await gql(t, CREATE, { input: { url: receiver.url, events: ['*'], customerId: alice.customerId } }, bearer(superAdmin));
    expect(made.body.data.createWebhookEndpoint.endpoint.id).toBeDefined();
    await deleteEndpoint(e.id);
    await deleteEndpoint(made.body.data.createWebhookEndpoint.endpoint.id);
  });

  it('refuses unknown event types and bad URLs with BAD_USER_INPUT naming the field', async () => {
    for (const [input, field] of [
      [{ url: receiver.url, events: ['accesskey.nope'] }, 'events'],
      [{ url: receiver.url, events: [] }, 'events'],
      [{ url: 'ftp://example.com/x', events: ['*'] }, 'url'],
      [{ url: 'not a url', events: ['*'] }, 'url'],
    ] as const) {
      const { body } = await gql(t, CREATE, { input }, bearer(aliceAdmin));
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});

describe('events', () => {
  it('each accesskey event arrives signed, with its payload and never a token, hash or secret', async () => {
    const { secret, endpoint: e } = await endpoint(['*']);
    const created = json(await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(alice.token), payload: { name: 'ci', expire: 86400 * 30 } }));
    const id = created.id as string;
    await rest('PUT', `/v1.0/accesskeys/${id}`, alice.token, { name: 'ci-2', detail: 'd' });
    await gql(t, 'mutation ($id: ID!) { disableAccesskey(id: $id) { id } }', { id }, bearer(alice.token));
    await gql(t, 'mutation ($id: ID!) { enableAccesskey(id: $id) { id } }', { id }, bearer(alice.token));
    const rotated = (await gql(t, 'mutation ($id: ID!) { rotateAccesskey(id: $id, gracePeriod: 60) { token accesskey { id tokenPrefix } } }', { id }, bearer(alice.token))).body.data.rotateAccesskey;
    const leakBody = JSON.stringify([{ token: rotated.token, type: 'vb_access_key', url: 'https://example.com/leak', source: 'content' }]);
    const leak = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys/leaks', headers: { 'content-type': 'application/json', ...signed(leakBody) }, payload: leakBody });
    expect(leak.statusCode).toBe(200);
    await rest('DELETE', `/v1.0/accesskeys/${id}`);
    const canary = await t.services.accesskeys.createForCustomer(alice.customerId, { name: 'bait', expire: 86400 * 30, canary: true });
    expect((await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(canary.token) })).statusCode).toBe(401);
    await t.services.canaries.settled();
    await deliverDue();

    const events = receiver.received.map((r) => Receiver.verify(r, secret));
    const byType = (type: string) => events.filter((ev) => ev.type === type).map((ev) => ev.data);
    expect(events.map((ev) => ev.type)).toEqual(expect.arrayContaining([
      'accesskey.created', 'accesskey.updated', 'accesskey.disabled', 'accesskey.enabled', 'accesskey.rotated', 'accesskey.leak_reported', 'accesskey.deleted', 'accesskey.canary_used',
    ]));
    expect(byType('accesskey.created').find((d) => d.accesskey_id === id)).toEqual({
      customer_id: alice.customerId, accesskey_id: id, name: 'ci', token_prefix: created.token.slice(0, 11), tm_expire: created.tm_expire, scopes: created.scopes ?? expect.any(Array),
    });
    expect(byType('accesskey.disabled')[0]).toMatchObject({ accesskey_id: id, name: 'ci-2', tm_disable: expect.any(String) });
    expect(byType('accesskey.enabled')[0]).toEqual({ customer_id: alice.customerId, accesskey_id: id, name: 'ci-2', token_prefix: created.token.slice(0, 11) });
    expect(byType('accesskey.updated')[0]).toMatchObject({ customer_id: alice.customerId, accesskey_id: id, name: 'ci-2', token_prefix: created.token.slice(0, 11), detail: 'd' });
    expect(byType('accesskey.rotated')[0]).toMatchObject({ accesskey_id: id, new_accesskey_id: rotated.accesskey.id, new_token_prefix: rotated.accesskey.tokenPrefix, grace_period: 60 });
    expect(byType('accesskey.leak_reported')[0]).toMatchObject({ accesskey_id: rotated.accesskey.id, url: 'https://example.com/leak', source: 'content', policy: 'disable' });
    expect(byType('accesskey.canary_used')[0]).toMatchObject({ accesskey_id: canary.accesskey.id, name: 'bait', via: 'authentication' });
    expect(byType('accesskey.deleted')[0]).toMatchObject({ accesskey_id: id });
    for (const ev of events) expect(ev.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const everything = receiver.received.map((r) => r.body).join('\n');
    for (const secretText of [created.token, rotated.token, canary.token, canary.accesskey.tokenHash, secret]) expect(everything).not.toContain(secretText);
    expect(everything).not.toMatch(/token_hash|tokenHash/);
    await deleteEndpoint(e.id);
  });

  it('an endpoint gets only the event types it subscribed to', async () => {
    const { endpoint: e } = await endpoint(['accesskey.deleted']);
    const created = json(await rest('POST', '/v1.0/accesskeys', alice.token, { expire: 86400 }));
    await rest('DELETE', `/v1.0/accesskeys/${created.id}`);
    await deliverDue();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(['accesskey.deleted']);
    await deleteEndpoint(e.id);
  });

  it('setAccesskeyPolicy sends accesskey.updated with the policy after it, never a token or hash', async () => {
    const { secret, endpoint: e } = await endpoint(['accesskey.updated']);
    const made = await gql(t, 'mutation { createAccesskey(input: { name: "gw", expire: 86400 }) { token accesskey { id tokenPrefix } } }', {}, bearer(alice.token));
    const { token, accesskey } = made.body.data.createAccesskey;
    const [{ token_hash: tokenHash }] = await t.database.dataSource.query('SELECT token_hash FROM accesskeys WHERE id = $1', [accesskey.id]);
    const SET = 'mutation ($id: ID!, $input: AccesskeyPolicyInput!) { setAccesskeyPolicy(id: $id, input: $input) { id } }';
    const input = { rateLimit: { limit: 5, windowSeconds: 60 }, credits: { remaining: 10, refill: { amount: 10, interval: 'DAILY' } }, allowedCidrs: ['10.0.0.0/8'], meta: { plan: 'pro' } };
    expect((await gql(t, SET, { id: accesskey.id, input }, bearer(alice.token))).body.errors).toBeUndefined();
    t.clock.tick();
    expect((await gql(t, SET, { id: accesskey.id, input: { rateLimit: null, credits: null, allowedCidrs: null, meta: null } }, bearer(alice.token))).body.errors).toBeUndefined();
    await deliverDue();
    // Delivered concurrently: in the order of the changes by their timestamps (a microsecond apart).
    const events = receiver.received.map((r) => Receiver.verify(r, secret)).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    expect(events.map((ev) => ev.type)).toEqual(['accesskey.updated', 'accesskey.updated']);
    const base = { customer_id: alice.customerId, accesskey_id: accesskey.id, name: 'gw', token_prefix: accesskey.tokenPrefix };
    expect(events[0].data).toEqual({
      ...base,
      policy: { rate_limit: { limit: 5, window_seconds: 60 }, credits: { remaining: 10, refill: { amount: 10, interval: 'DAILY' } }, allowed_cidrs: ['10.0.0.0/8'], meta: { plan: 'pro' } },
    });
    expect(events[1].data).toEqual({ ...base, policy: {} });
    const everything = receiver.received.map((r) => r.body).join('\n');
    for (const secretText of [token, tokenHash, secret]) expect(everything).not.toContain(secretText);
    await deleteEndpoint(e.id);
  });

  it('a change that rolls back sends nothing; its committed twin is queued', async () => {
    const { endpoint: e } = await endpoint(['accesskey.updated']);
    const entry = { customerId: alice.customerId, action: 'accesskey.update' as const, targetId: alice.keyId, by: systemAttribution('test'), after: { name: 'x' } };
    await expect(t.database.sql.transaction(async (tx) => {
      await t.services.audit.record(tx, entry);
      throw new Error('the change fails after its event was written');
    })).rejects.toThrow('the change fails');
    expect(await deliveries(e.id)).toHaveLength(0);
    await t.services.audit.recordAlone(entry);
    expect(await deliveries(e.id)).toHaveLength(1);
    await deliverDue();
    expect(receiver.received).toHaveLength(1);
    await deleteEndpoint(e.id);
  });

  it('sendTestWebhook queues webhook.test to that endpoint only', async () => {
    const { secret, endpoint: e } = await endpoint(['accesskey.created']);
    const { endpoint: other } = await endpoint(['*']);
    const { body } = await gql(t, 'mutation ($id: ID!) { sendTestWebhook(id: $id) { id eventType status } }', { id: e.id }, bearer(aliceAdmin));
    expect(body.data.sendTestWebhook).toMatchObject({ eventType: 'webhook.test', status: 'PENDING' });
    await deliverDue();
    expect(receiver.received).toHaveLength(1);
    expect(Receiver.verify(receiver.received[0], secret)).toMatchObject({ type: 'webhook.test', data: { endpoint_id: e.id } });
    expect(receiver.received[0].id).toBe(body.data.sendTestWebhook.id);
    expect(await deliveries(other.id)).toHaveLength(0);
    await deleteEndpoint(e.id);
    await deleteEndpoint(other.id);
  });
});

describe('delivery', () => {
  const test = async (id: string) => (await gql(t, 'mutation ($id: ID!) { sendTestWebhook(id: $id) { id } }', { id }, bearer(aliceAdmin))).body.data.sendTestWebhook.id as string;

  it('a receiver failing twice gets the third attempt, on schedule, with the same webhook-id', async () => {
    t.clock.set('2026-12-01T10:15:30.123456Z');
    const { secret, endpoint: e } = await endpoint(['webhook.test']);
    receiver.behave({ status: 500, body: 'oops' }, { status: 503 }, { status: 204 });
    const id = await test(e.id);
    await deliverDue();
    expect(receiver.received).toHaveLength(1);
    let [d] = await deliveries(e.id);
    expect(d).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 500 });
    t.clock.advanceSeconds(4);
    await deliverDue();
    expect(receiver.received).toHaveLength(1); // not yet: the first retry is 5 s after
    t.clock.advanceSeconds(1);
    await deliverDue();
    expect(receiver.received).toHaveLength(2);
    t.clock.advanceSeconds(300);
    await deliverDue();
    expect(receiver.received).toHaveLength(3);
    [d] = await deliveries(e.id);
    expect(d).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 204, lastError: null });
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([id]));
    for (const r of receiver.received) Receiver.verify(r, secret);
    await deleteEndpoint(e.id);
  });

  it('is FAILED once the schedule is exhausted, and redeliverWebhook queues it again with the same id', async () => {
    const { endpoint: e } = await endpoint(['webhook.test']);
    receiver.behave({ status: 500 });
    const id = await test(e.id);
    for (const step of [0, 5, 300]) {
      t.clock.advanceSeconds(step);
      await deliverDue();
    }
    t.clock.advanceSeconds(100000);
    await deliverDue();
    expect(receiver.received).toHaveLength(3);
    expect((await deliveries(e.id, 'FAILED')).map((d) => d.id)).toEqual([id]);
    receiver.behave({ status: 200 });
    const { body } = await gql(t, 'mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { id status attempts } }', { id }, bearer(aliceAdmin));
    expect(body.data.redeliverWebhook).toMatchObject({ id, status: 'PENDING', attempts: 0 });
    await deliverDue();
    expect(receiver.received.at(-1)!.id).toBe(id);
    expect((await deliveries(e.id))[0]).toMatchObject({ status: 'DELIVERED' });
    await deleteEndpoint(e.id);
  });

  it('a receiver that hangs is cut at WEBHOOK_TIMEOUT_MS and tried again', async () => {
    const { endpoint: e } = await endpoint(['webhook.test']);
    receiver.behave('hang', { status: 200 });
    await test(e.id);
    const started = Date.now();
    await deliverDue();
    expect(Date.now() - started).toBeLessThan(5000);
    const [d] = await deliveries(e.id);
    expect(d).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: null });
    expect(d.lastError).toMatch(/timed out/);
    t.clock.advanceSeconds(5);
    await deliverDue();
    expect((await deliveries(e.id))[0]).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    await deleteEndpoint(e.id);
  });

  it('a rotated secret signs alongside the old one during the grace period, then alone', async () => {
    const { secret: old, endpoint: e } = await endpoint(['webhook.test']);
    const { body } = await gql(t, 'mutation ($id: ID!) { rotateWebhookSecret(id: $id, gracePeriod: 3600) { secret } }', { id: e.id }, bearer(aliceAdmin));
    const fresh = body.data.rotateWebhookSecret.secret as string;
    expect(fresh).not.toBe(old);
    await test(e.id);
    await deliverDue();
    const [during] = receiver.received;
    expect(during.signature.split(' ')).toHaveLength(2);
    Receiver.verify(during, old);
    Receiver.verify(during, fresh);
    t.clock.advanceSeconds(3601);
    await test(e.id);
    await deliverDue();
    const after = receiver.received[1];
    expect(after.signature.split(' ')).toHaveLength(1);
    Receiver.verify(after, fresh);
    expect(() => Receiver.verify(after, old)).toThrow();
    await deleteEndpoint(e.id);
  });

  it('an endpoint whose deliveries all fail for WEBHOOK_DISABLE_AFTER_HOURS is disabled, with an audit event', async () => {
    const { endpoint: e } = await endpoint(['webhook.test']);
    receiver.behave({ status: 500 });
    await test(e.id);
    await deliverDue();
    t.clock.advanceSeconds(71 * 3600);
    await test(e.id);
    await deliverDue();
    let listed = (await gql(t, '{ webhookEndpoints { nodes { id disabled } } }', {}, bearer(aliceAdmin))).body.data.webhookEndpoints.nodes;
    expect(listed.find((n: { id: string }) => n.id === e.id).disabled).toBe(false);
    t.clock.advanceSeconds(3600);
    await test(e.id);
    await deliverDue();
    listed = (await gql(t, '{ webhookEndpoints { nodes { id disabled tmDisable } } }', {}, bearer(aliceAdmin))).body.data.webhookEndpoints.nodes;
    expect(listed.find((n: { id: string }) => n.id === e.id).disabled).toBe(true);
    const trail = await t.services.audit.search(alice.customerId, { action: 'webhook.disable', targetId: e.id, actorTokenHash: null, since: null, until: null, beforeSeq: null, limit: 10 });
    expect(trail).toHaveLength(1);
    // Disabled: nothing more is attempted until it is enabled again.
    const before = receiver.received.length;
    await test(e.id);
    t.clock.advanceSeconds(100000);
    await deliverDue();
    expect(receiver.received.length).toBe(before);
    // Enabled again: what waited goes out, and the failure streak starts over.
    receiver.behave({ status: 200 });
    const enabled = await gql(t, 'mutation ($id: ID!) { updateWebhookEndpoint(id: $id, input: { disabled: false }) { id disabled tmDisable } }', { id: e.id }, bearer(aliceAdmin));
    expect(enabled.body.data.updateWebhookEndpoint).toMatchObject({ disabled: false, tmDisable: null });
    await deliverDue();
    expect(receiver.received.length).toBeGreaterThan(before);
    expect(await deliveries(e.id, 'PENDING')).toHaveLength(0);
    await deleteEndpoint(e.id);
  });
});

describe('bounds, metrics and warnings', () => {
  const test = async (id: string) => (await gql(t, 'mutation ($id: ID!) { sendTestWebhook(id: $id) { id } }', { id }, bearer(aliceAdmin))).body.data.sendTestWebhook.id as string;

  it('holds at most WEBHOOK_ENDPOINT_CONCURRENCY attempts in flight per endpoint and WEBHOOK_CONCURRENCY per process', async () => {
    // The app's worker: 3 in flight, 2 per endpoint (config above). The receiver holds every answer open.
    const { endpoint: one } = await endpoint(['webhook.test'], aliceAdmin, `${receiver.url}/one`);
    const { endpoint: two } = await endpoint(['webhook.test'], aliceAdmin, `${receiver.url}/two`);
    // The first endpoint's deliveries are due first: unbounded per endpoint, the first round would take three of them.
    for (const e of [one, one, one, one, two, two, two, two]) {
      await test(e.id);
      t.clock.tick();
    }
    receiver.behave('hold');
    let started = 0;
    for (let round = 0; round < 5 && started < 3; round++) started += await worker().tick();
    expect(started).toBe(3);
    await receiver.waitFor(3);
    // Full: further rounds start nothing while the three are held.
    expect(await worker().tick()).toBe(0);
    expect(await worker().tick()).toBe(0);
    expect(receiver.holding).toBe(3);
    expect(Object.fromEntries(receiver.maxOpen)).toEqual({ '/hook/one': 2, '/hook/two': 1 });
    receiver.behave({ status: 200 });
    receiver.release();
    await worker().idle();
    await deliverDue();
    expect(receiver.received).toHaveLength(8);
    expect(receiver.maxOpen.get('/hook/one')).toBe(2);
    expect(receiver.maxOpen.get('/hook/two')).toBeLessThanOrEqual(2);
    expect(receiver.maxOpenTotal).toBe(3);
    expect(await deliveries(one.id, 'DELIVERED')).toHaveLength(4);
    expect(await deliveries(two.id, 'DELIVERED')).toHaveLength(4);
    await deleteEndpoint(one.id);
    await deleteEndpoint(two.id);
  });

  it('the bounds come from WEBHOOK_CONCURRENCY and WEBHOOK_ENDPOINT_CONCURRENCY (half the first by default)', () => {
    expect(loadConfig({ WEBHOOK_CONCURRENCY: '6', WEBHOOK_ENDPOINT_CONCURRENCY: '5' }).webhooks).toMatchObject({ concurrency: 6, endpointConcurrency: 5 });
    expect(loadConfig({ WEBHOOK_CONCURRENCY: '6' }).webhooks.endpointConcurrency).toBeNull();
    expect(endpointConcurrencyOf({ concurrency: 6, endpointConcurrency: null })).toBe(3);
    expect(endpointConcurrencyOf({ concurrency: 1, endpointConcurrency: null })).toBe(1);
    expect(endpointConcurrencyOf({ concurrency: 4, endpointConcurrency: 9 })).toBe(4);
    expect(() => loadConfig({ WEBHOOK_ENDPOINT_CONCURRENCY: '0' })).toThrow(/WEBHOOK_ENDPOINT_CONCURRENCY/);
  });

  /** The private metrics view (METRICS_PORT), as a map of series to values. */
  async function scrape(): Promise<Map<string, number>> {
    const monitoring = Fastify();
    t.metrics.registerRoute(monitoring, 'private');
    const text = (await monitoring.inject({ method: 'GET', url: '/metrics' })).body;
    await monitoring.close();
    const series = new Map<string, number>();
    for (const line of text.split('\n')) {
      const m = /^(webhook_\S+) (\S+)$/.exec(line);
      if (m) series.set(m[1], Number(m[2]));
    }
    return series;
  }

  it('/metrics counts attempts by outcome, times them and shows the queue depth', async () => {
    const before = await scrape();
    const delta = async (name: string) => ((await scrape()).get(name) ?? 0) - (before.get(name) ?? 0);
    const { endpoint: good } = await endpoint(['webhook.test']);
    const { endpoint: bad } = await endpoint(['webhook.test'], aliceAdmin, `${receiver.url}/bad`);
    await test(good.id);
    await test(bad.id);
    expect(await delta('webhook_queue_depth')).toBe(2);
    receiver.behave({ status: 200 });
    await deliverDue(); // both answered 200
    receiver.behave({ status: 500 });
    await test(bad.id);
    await deliverDue();
    expect(await delta('webhook_queue_depth')).toBe(1);
    for (const step of [5, 300]) {
      t.clock.advanceSeconds(step);
      await deliverDue();
    }
    const statuses = [...(await deliveries(good.id)), ...(await deliveries(bad.id))].map((d) => d.status).sort();
    expect(statuses).toEqual(['DELIVERED', 'DELIVERED', 'FAILED']);
    // Two delivered; the third delivery: two retries, then failed. Five attempts timed.
    expect(await delta('webhook_deliveries_total{outcome="delivered"}')).toBe(2);
    expect(await delta('webhook_deliveries_total{outcome="retry"}')).toBe(2);
    expect(await delta('webhook_deliveries_total{outcome="failed"}')).toBe(1);
    expect(await delta('webhook_attempt_duration_seconds_count')).toBe(5);
    expect(await delta('webhook_queue_depth')).toBe(0);
    await deleteEndpoint(good.id);
    await deleteEndpoint(bad.id);
  });

  it('warns once per endpoint per failure streak, not once per attempt', async () => {
    const { endpoint: e } = await endpoint(['webhook.test']);
    const warnings = () => log.records().filter((r) => r.level === 40 && r.msg === 'webhook endpoint is failing' && r.endpointId === e.id);
    receiver.behave({ status: 500 });
    await test(e.id);
    for (const step of [0, 5, 300]) {
      t.clock.advanceSeconds(step);
      await deliverDue();
    }
    expect(receiver.received).toHaveLength(3);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ statusCode: 500 });
    receiver.behave({ status: 200 });
    await test(e.id);
    await deliverDue();
    expect(warnings()).toHaveLength(1);
    receiver.behave({ status: 503 });
    await test(e.id);
    await deliverDue();
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({ statusCode: 503 });
    expect(log.text).not.toContain('whsec_');
    await deleteEndpoint(e.id);
  });

  it('reads at most 64 KiB of an answer, keeps its first 1 KiB, and does not follow redirects', async () => {
    const { endpoint: e } = await endpoint(['webhook.test']);
    // 100 KiB sent and the answer never ended: only the cap ends the read (the timeout would make it a failure).
    receiver.behave({ status: 200, bodyBytes: 100 * 1024 });
    await test(e.id);
    await deliverDue();
    const query = 'query ($id: ID!) { webhookDeliveries(endpointId: $id) { nodes { status lastStatusCode lastError lastResponse } } }';
    let [d] = (await gql(t, query, { id: e.id }, bearer(aliceAdmin))).body.data.webhookDeliveries.nodes;
    expect(d).toMatchObject({ status: 'DELIVERED', lastStatusCode: 200, lastError: null });
    expect(d.lastResponse).toBe('x'.repeat(1024));
    receiver.behave({ status: 307, body: 'moved', headers: { location: `${receiver.url}/elsewhere` } });
    t.clock.tick();
    await test(e.id);
    await deliverDue();
    [d] = (await gql(t, query, { id: e.id }, bearer(aliceAdmin))).body.data.webhookDeliveries.nodes;
    expect(d).toMatchObject({ status: 'PENDING', lastStatusCode: 307, lastResponse: 'moved' });
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook', '/hook']);
    await deleteEndpoint(e.id);
  });
});

(usingPostgres ? describe : describe.skip)('a second replica on PostgreSQL', () => {
  it('delivers what another replica queued at once (its notification), not at its next poll', async () => {
    // Replica B polls only every 10 minutes; replica A (t) queues and never delivers (its worker is not started).
    const b = await buildTestApp({ webhooks: config({ pollMs: 600000 }) });
    try {
      b.clock.set(t.clock.now().toISOString());
      for (let i = 0; i < 500 && !b.services.authCache.active; i++) await new Promise((r) => setTimeout(r, 10));
      expect(b.services.authCache.active).toBe(true);
      await b.services.webhooks.worker!.idle();
      const { secret, endpoint: e } = await endpoint(['webhook.test']);
      const started = Date.now();
      const id = (await gql(t, 'mutation ($id: ID!) { sendTestWebhook(id: $id) { id } }', { id: e.id }, bearer(aliceAdmin))).body.data.sendTestWebhook.id;
      await receiver.waitFor(1, 10000);
      expect(Date.now() - started).toBeLessThan(10000);
      expect(receiver.received[0].id).toBe(id);
      Receiver.verify(receiver.received[0], secret);
      await b.services.webhooks.worker!.idle();
      expect((await deliveries(e.id))[0]).toMatchObject({ status: 'DELIVERED', attempts: 1 });
      await deleteEndpoint(e.id);
    } finally {
      await b.close();
    }
  });

  it('delivers at once what a one-statement rename queued on another replica (the statement notifies too)', async () => {
    const b = await buildTestApp({ webhooks: config({ pollMs: 600000 }) });
    try {
      b.clock.set(t.clock.now().toISOString());
      for (let i = 0; i < 500 && !b.services.authCache.active; i++) await new Promise((r) => setTimeout(r, 10));
      expect(b.services.authCache.active).toBe(true);
      await b.services.webhooks.worker!.idle();
      const { endpoint: e } = await endpoint(['accesskey.updated']);
      const created = json(await rest('POST', '/v1.0/accesskeys', alice.token, { expire: 86400 }));
      const started = Date.now();
      expect((await rest('PUT', `/v1.0/accesskeys/${created.id}`, alice.token, { name: 'woken' })).statusCode).toBe(200);
      await receiver.waitFor(1, 10000);
      expect(Date.now() - started).toBeLessThan(10000);
      expect(JSON.parse(receiver.received[0].body)).toMatchObject({ type: 'accesskey.updated', data: { accesskey_id: created.id, name: 'woken' } });
      await b.services.webhooks.worker!.idle();
      await deleteEndpoint(e.id);
    } finally {
      await b.close();
    }
  });
});

describe('the key that seals signing secrets', () => {
  it('is generated once in DATA_DIR, owner-only (0600), and read back on every later start', () => {
    const dataDir = path.join(dir, 'data');
    const settings = { webhooks: { secretKey: null }, database: { kind: 'embedded' as const, dataDir } };
    const first = resolveWebhookSecretKey(settings)!;
    expect(first).toHaveLength(32);
    const file = path.join(dataDir, 'webhook-secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveWebhookSecretKey(settings)).toEqual(first);
    // A secret sealed before the restart opens after it.
    const sealed = new SecretBox(first).seal('whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0', 'endpoint-id');
    expect(new SecretBox(resolveWebhookSecretKey(settings)!).open(sealed, 'endpoint-id')).toBe('whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0');
    // WEBHOOK_SECRET_KEY wins; PostgreSQL without it: webhooks off.
    expect(resolveWebhookSecretKey({ ...settings, webhooks: { secretKey: KEY } })).toBe(KEY);
    expect(resolveWebhookSecretKey({ webhooks: { secretKey: null }, database: { kind: 'postgres' } })).toBeNull();
    writeFileSync(file, 'short\n');
    expect(() => resolveWebhookSecretKey(settings)).toThrow(/32-byte/);
  });
});

describe('SSRF', () => {
  let strict: TestApp;
  let strictAdmin: string;
  beforeAll(async () => {
    strict = await buildTestApp({ webhooks: config({ allowPrivateNetworks: false }), webhookWorker: 'manual' });
    const tenant = await createTenant(strict, 'strict');
    const { username, password } = await createAgent(strict, tenant, LEVELS.admin);
    strictAdmin = (await login(strict, username, password)).token;
  });
  afterAll(() => strict.close());

  it.each([
    ['loopback', 'http://127.0.0.1:9/hook'],
    ['10/8', 'http://10.1.2.3/hook'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data'],
    ['CGNAT', 'http://100.64.0.1/'],
    ['IPv6 loopback', 'http://[::1]/'],
    ['a name that resolves to loopback', 'http://localhost:9/hook'],
  ])('refuses %s at create with BAD_USER_INPUT on url', async (_what, url) => {
    const { body } = await gql(strict, CREATE, { input: { url, events: ['*'] } }, bearer(strictAdmin));
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
  });

  it('refuses http: unless WEBHOOK_ALLOW_HTTP', async () => {
    const https = await buildTestApp({ webhooks: config({ allowHttp: false }), webhookWorker: 'manual' });
    try {
      const tenant = await createTenant(https, 'h');
      const { username, password } = await createAgent(https, tenant, LEVELS.admin);
      const { body } = await gql(https, CREATE, { input: { url: receiver.url, events: ['*'] } }, bearer((await login(https, username, password)).token));
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    } finally {
      await https.close();
    }
  });

  it('checks again at connection time: a name that now resolves to loopback is not called', async () => {
    // Registered while private networks were allowed; the worker that delivers allows them no more (DNS rebinding).
    const { endpoint: e } = await endpoint(['webhook.test'], aliceAdmin, receiver.url.replace('127.0.0.1', 'localhost'));
    await gql(t, 'mutation ($id: ID!) { sendTestWebhook(id: $id) { id } }', { id: e.id }, bearer(aliceAdmin));
    const guarded = new WebhookWorker({
      db: t.database.sql, audit: t.services.audit, clock: t.clock, box: new SecretBox(KEY), reach: { allowHttp: true, allowPrivateNetworks: false },
      retrySchedule: [5], timeoutMs: 400, disableAfterHours: 72, concurrency: 4,
    });
    await deliverDue(guarded);
    expect(receiver.received).toHaveLength(0);
    const [d] = await deliveries(e.id);
    expect(d).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(d.lastError).toMatch(/refused: localhost resolves to .*loopback/);
    await deleteEndpoint(e.id);
  });
});

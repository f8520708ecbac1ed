import { randomBytes } from 'node:crypto';
import { DEFAULT_WEBHOOK_CONFIG } from '../src/webhooks/webhook.config';
import type { WebhookConfig } from '../src/webhooks/webhook.config';
import { ExpiryScanner } from '../src/webhooks/expiry';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, gql, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { usingPostgres } from './helpers/database';
import { Receiver } from './helpers/receiver';

const config: WebhookConfig = {
  ...DEFAULT_WEBHOOK_CONFIG, secretKey: new Uint8Array(randomBytes(32)), allowHttp: true, allowPrivateNetworks: true, expiryReminderDays: [7, 1],
};

let t: TestApp;
/** A second replica on the same PostgreSQL database (on PGlite, a second scanner in the one process). */
let other: TestApp | null = null;
let receiver: Receiver;
let tenant: Tenant;
let secret: string;
const DAY = 86400;

beforeAll(async () => {
  receiver = await Receiver.start();
  t = await buildTestApp({ webhooks: config, webhookWorker: 'manual' });
  if (usingPostgres) other = await buildTestApp({ webhooks: config, webhookWorker: 'manual' });
  tenant = await createTenant(t, 'expiring');
  const { username, password } = await createAgent(t, tenant, LEVELS.admin);
  const admin = (await login(t, username, password)).token;
  const { body } = await gql(t, `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
    { input: { url: receiver.url, events: ['accesskey.expiring'] } }, bearer(admin));
  secret = body.data.createWebhookEndpoint.secret;
});
afterAll(async () => {
  await other?.close();
  await t?.close();
  await receiver?.close();
});

/** Both replicas scan at once; then every queued delivery is delivered. */
async function scanEverywhere(): Promise<number> {
  const second = other ? other.services.webhooks.expiry : new ExpiryScanner({ db: t.database.sql, outbox: t.services.webhooks.outbox, clock: t.clock, thresholds: [7, 1], intervalSeconds: 60 });
  if (other) other.clock.set(t.clock.now().toISOString());
  const counts = await Promise.all([t.services.webhooks.expiry.scan(), second.scan(), t.services.webhooks.expiry.scan()]);
  const w = t.services.webhooks.worker!;
  while ((await w.tick()) > 0) await w.idle();
  await w.idle();
  return counts.reduce((a, b) => a + b, 0);
}

const reminders = () => receiver.received.map((r) => Receiver.verify(r, secret)).map((e) => ({ id: e.data.accesskey_id, days: e.data.days_left, data: e.data, type: e.type }));

it('reminds once per threshold, the smallest one a key is within, never twice across replicas; not for disabled, deleted or canary keys', async () => {
  const make = async (name: string, seconds: number, canary = false) => (await t.services.accesskeys.createForCustomer(tenant.customerId, { name, expire: seconds, canary })).accesskey;
  const tenDays = await make('ten-days', 10 * DAY);
  const threeDays = await make('three-days', 3 * DAY);
  const halfDay = await make('half-day', DAY / 2 + 60);
  const disabled = await make('disabled', 3 * DAY);
  await t.services.accesskeys.disableForCustomer(tenant.customerId, disabled.id);
  const deleted = await make('deleted', 3 * DAY);
  await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${deleted.id}`, headers: bearer(tenant.token) });
  await make('canary', 3 * DAY, true);

  expect(await scanEverywhere()).toBe(2);
  expect(reminders().map(({ id, days }) => ({ id, days })).sort((a, b) => Number(a.days) - Number(b.days))).toEqual([
    { id: halfDay.id, days: 1 },
    { id: threeDays.id, days: 7 },
  ]);
  expect(reminders().find((r) => r.id === threeDays.id)).toMatchObject({
    type: 'accesskey.expiring',
    data: { customer_id: tenant.customerId, name: 'three-days', token_prefix: threeDays.tokenPrefix, tm_expire: threeDays.tmExpire.toISOString(), days_left: 7 },
  });
  expect(await scanEverywhere()).toBe(0);

  t.clock.advanceSeconds(2.5 * DAY); // three-days is now half a day away; ten-days 7.5 days
  expect(await scanEverywhere()).toBe(1);
  expect(reminders().at(-1)).toMatchObject({ id: threeDays.id, days: 1 });

  t.clock.advanceSeconds(DAY); // ten-days is 6.5 days away
  expect(await scanEverywhere()).toBe(1);
  expect(reminders().at(-1)).toMatchObject({ id: tenDays.id, days: 7 });
  expect(await scanEverywhere()).toBe(0);
  expect(receiver.received).toHaveLength(4);
  expect(new Set(receiver.received.map((r) => r.id)).size).toBe(4);
});

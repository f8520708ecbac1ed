import { provisionIfEmpty } from '../src/app/provision';
import { bearer, buildTestApp, gql, login } from './helpers/app';
import type { TestApp } from './helpers/app';
import { truncateAll } from './helpers/database';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

it('provisions the default customer and a one-year key on an empty database, exactly once', async () => {
  await truncateAll(t.database);
  const attempts = await Promise.all(
    Array.from({ length: 4 }, () => provisionIfEmpty({ db: t.database.sql, customers: t.services.customers, accesskeys: t.services.accesskeys })),
  );
  const made = attempts.filter((a) => a !== null);
  expect(made).toHaveLength(1);
  const { customer, created } = made[0];
  expect(customer.name).toBe('default');
  expect(created.accesskey).toMatchObject({ name: 'default', detail: 'Auto-provisioned API key', customerId: customer.id });
  expect(created.accesskey.tmExpire.toISOString()).toBe(t.clock.now().plusSeconds(365 * 86400).toISOString());

  const res = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(created.token) });
  expect(res.statusCode).toBe(200);
  expect(await provisionIfEmpty({ db: t.database.sql, customers: t.services.customers, accesskeys: t.services.accesskeys })).toBeNull();
  const [{ n }] = await t.database.dataSource.query('SELECT count(*)::int AS n FROM customers');
  expect(n).toBe(1);
});

it('gives the first key the shorter MAX_KEY_LIFETIME_SECONDS when that is below a year', async () => {
  const t2 = await buildTestApp({ maxKeyLifetimeSeconds: 30 * 86400 });
  try {
    await truncateAll(t2.database);
    const made = await provisionIfEmpty({ db: t2.database.sql, customers: t2.services.customers, accesskeys: t2.services.accesskeys });
    expect(made!.created.accesskey.tmExpire.toISOString()).toBe(t2.clock.now().plusSeconds(30 * 86400).toISOString());
  } finally {
    await t2.close();
  }
});

it('with the agents, also creates the admin agent of "default" with a random password, in the same transaction, once', async () => {
  await truncateAll(t.database);
  const made = await provisionIfEmpty({ db: t.database.sql, customers: t.services.customers, accesskeys: t.services.accesskeys, agents: t.services.agents });
  expect(made!.admin).toEqual({ username: 'admin', password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) });
  const { res, token } = await login(t, 'admin', made!.admin!.password);
  expect(res.statusCode).toBe(200);
  const me = await gql(t, '{ me { customerId username permissions } }', {}, bearer(token));
  expect(me.body.data.me).toEqual({ customerId: made!.customer.id, username: 'admin', permissions: ['CUSTOMER_ADMIN'] });
  // Recorded, without the password, as done by the first start.
  const events = await t.database.dataSource.query("SELECT after, actor_kind FROM audit_events WHERE action = 'agent.create'");
  expect(events).toEqual([{ after: { username: 'admin', name: 'Administrator', permission: 0x20 }, actor_kind: 'system' }]);
  expect(JSON.stringify(events)).not.toContain(made!.admin!.password);

  // An installation that already has customers is left as it is: no second admin, no new password.
  expect(await provisionIfEmpty({ db: t.database.sql, customers: t.services.customers, accesskeys: t.services.accesskeys, agents: t.services.agents })).toBeNull();
  const [{ n }] = await t.database.dataSource.query('SELECT count(*)::int AS n FROM agents');
  expect(n).toBe(1);

  // Another first start draws another password.
  await truncateAll(t.database);
  const again = await provisionIfEmpty({ db: t.database.sql, customers: t.services.customers, accesskeys: t.services.accesskeys, agents: t.services.agents });
  expect(again!.admin!.password).not.toBe(made!.admin!.password);
});

it('creates nothing when creating the admin fails: the customer and key roll back with it', async () => {
  await truncateAll(t.database);
  const failing = { create: async () => Promise.reject(new Error('no agent today')) } as unknown as NonNullable<Parameters<typeof provisionIfEmpty>[0]['agents']>;
  await expect(provisionIfEmpty({ db: t.database.sql, customers: t.services.customers, accesskeys: t.services.accesskeys, agents: failing })).rejects.toThrow('no agent today');
  const [{ n }] = await t.database.dataSource.query('SELECT count(*)::int AS n FROM customers');
  expect(n).toBe(0);
});

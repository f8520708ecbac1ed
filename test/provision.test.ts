import { provisionIfEmpty } from '../src/app/provision';
import { bearer, buildTestApp } from './helpers/app';
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

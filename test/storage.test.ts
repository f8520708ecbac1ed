import { hashToken } from '../src/keys/token';
import { migrations } from '../migrations';
import { bearer, json } from './helpers/app';
import { appWithTenants } from './helpers/tenants';
import { usingPostgres } from './helpers/database';
import type { TestApp, Tenant } from './helpers/app';

let t: TestApp;
let alice: Tenant;

beforeAll(async () => { [t, alice] = await appWithTenants({}, 'alice'); });
afterAll(() => t.close());

it('stores only the SHA-256 of the token and its 11-character prefix', async () => {
  const created = json(await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(alice.token), payload: { name: 'stored', expire: 86400 } }));
  const rows = await t.database.dataSource.query('SELECT * FROM accesskeys WHERE id = $1', [created.id]);
  expect(rows).toHaveLength(1);
  const row = rows[0];
  expect(row.token_hash).toBe(hashToken(created.token));
  expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
  expect(row.token_prefix).toBe(created.token.slice(0, 11));
  expect(row.tm_delete).toBeNull();
  const everything = JSON.stringify(await t.database.dataSource.query('SELECT * FROM accesskeys'));
  expect(everything).not.toContain(created.token);
  expect(everything).not.toContain(created.token.slice(11));
});

it('keeps microseconds in the database', async () => {
  t.clock.set('2027-01-02T03:04:05.678901Z');
  const created = json(await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(alice.token), payload: { expire: 86400 } }));
  const [row] = await t.database.dataSource.query("SELECT to_char(tm_create AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS c FROM accesskeys WHERE id = $1", [created.id]);
  expect(row.c).toBe('2027-01-02T03:04:05.678901Z');
});

it('has an index serving the newest-first listing of live keys', async () => {
  const rows = await t.database.dataSource.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'accesskeys'");
  const defs = rows.map((r: { indexdef: string }) => r.indexdef).join('\n');
  expect(defs).toMatch(/\(customer_id, tm_create DESC, id DESC\) WHERE \(tm_delete IS NULL\)/);
  expect(defs).toMatch(/UNIQUE.*\(token_hash\)/);
});

it('concurrent creations through one pool all commit, each with its own row', async () => {
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) => t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(alice.token), payload: { name: `c${i}`, expire: 86400 } })),
  );
  expect(results.every((r) => r.statusCode === 200)).toBe(true);
  const [{ n }] = await t.database.dataSource.query("SELECT count(*)::int AS n FROM accesskeys WHERE name LIKE 'c%' AND customer_id = $1", [alice.customerId]);
  expect(n).toBe(40);
});

it('a rolled-back transaction leaves nothing behind, even with concurrent work', async () => {
  const customer = await t.services.customers.create('rollback');
  const attempts = Array.from({ length: 20 }, (_, i) =>
    t.database.sql.transaction(async (tx) => {
      await t.services.accesskeys.createForCustomer(customer.id, { name: `tx${i}`, expire: 86400 }, tx);
      if (i % 2 === 1) throw new Error('rollback');
    }).catch(() => 'rolled back'),
  );
  const outcomes = await Promise.all(attempts);
  expect(outcomes.filter((o) => o === 'rolled back')).toHaveLength(10);
  const [{ n }] = await t.database.dataSource.query('SELECT count(*)::int AS n FROM accesskeys WHERE customer_id = $1', [customer.id]);
  expect(n).toBe(10);
});

it('every migration has a working down(): revert all, then apply again', async () => {
  const ds = t.database.dataSource;
  for (let i = 0; i < migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
  const tables = await ds.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('accesskeys','customers')");
  expect(tables).toHaveLength(0);
  const applied = await ds.runMigrations({ transaction: 'each' });
  expect(applied).toHaveLength(migrations.length);
  expect(await ds.showMigrations()).toBe(false);
});

(usingPostgres ? it.skip : it)('runs the embedded PostgreSQL with small shared buffers (its resident size)', async () => {
  const [{ shared_buffers: value }] = await t.database.dataSource.query('SHOW shared_buffers');
  expect(value).toBe('16MB');
});

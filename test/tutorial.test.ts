import type { AddressInfo } from 'node:net';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';

// The platform documentation's tutorial, over a real port, with the accesskey query parameter throughout.
let t: TestApp;
let me: Tenant;
let base: string;

beforeAll(async () => {
  [t, me] = await appWithTenants({}, 'tutorial');
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());

it('create, list, and get an access key as the documentation shows', async () => {
  // Create an Accesskey
  const createRes = await fetch(`${base}/v1.0/accesskeys?accesskey=${me.token}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'My New Accesskey', detail: 'This key is used for reporting', expire: 31536000 }),
  });
  expect(createRes.status).toBe(200);
  expect(createRes.headers.get('cache-control')).toBe('no-store');
  const created = (await createRes.json()) as any;
  expect(Object.keys(created)).toEqual(['id', 'customer_id', 'name', 'detail', 'token', 'token_prefix', 'tm_expire', 'tm_create', 'tm_update', 'tm_delete']);
  expect(created).toMatchObject({ customer_id: me.customerId, name: 'My New Accesskey', detail: 'This key is used for reporting', tm_delete: '9999-01-01T00:00:00.000000Z' });

  // Get a List of Accesskeys
  const listRes = await fetch(`${base}/v1.0/accesskeys?accesskey=${me.token}`);
  expect(listRes.status).toBe(200);
  const list = (await listRes.json()) as any;
  const { token, ...shown } = created;
  expect(list.result[0]).toEqual(shown);
  expect(list.next_page_token).toBeNull();
  expect(JSON.stringify(list)).not.toContain(token);

  // Get a Specific Accesskey
  const getRes = await fetch(`${base}/v1.0/accesskeys/${created.id}?accesskey=${me.token}`);
  expect(getRes.status).toBe(200);
  expect(await getRes.json()).toEqual(shown);

  // The new key works on its own, and after deletion it does not.
  expect((await fetch(`${base}/v1.0/accesskeys?accesskey=${token}`)).status).toBe(200);
  expect((await fetch(`${base}/v1.0/accesskeys/${created.id}?accesskey=${me.token}`, { method: 'DELETE' })).status).toBe(200);
  expect((await fetch(`${base}/v1.0/accesskeys?accesskey=${token}`)).status).toBe(401);
});

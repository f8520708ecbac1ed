import { Client } from 'pg';
import { generateToken, hashToken } from '../src/keys/token';
import { LEVELS, bearer, buildTestApp, createAgent, createTenant, json, login } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { appWithTenants } from './helpers/tenants';
import { usingPostgres } from './helpers/database';
import { TcpProxy } from './helpers/proxy';

// The authentication cache: what it saves (database round trips) and what it must never do (serve a stale "yes").

/** Counts the statements the app sends to the database (the listener's heartbeat and LISTEN aside). */
function countQueries() {
  const texts: string[] = [];
  /** The parameters of each statement in `texts`. */
  const values: unknown[][] = [];
  const original = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    if (!/^(SELECT 1|LISTEN )/.test(text)) {
      texts.push(text);
      values.push((typeof first === 'string' ? args[1] : first?.values) as unknown[] ?? []);
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  return { texts, values, restore: () => spy.mockRestore() };
}

/** Waits until the cache is in use (on PostgreSQL: once the invalidation listener has subscribed). */
async function cacheReady(t: TestApp): Promise<void> {
  for (let i = 0; i < 500 && !t.services.authCache.active; i++) await new Promise((r) => setTimeout(r, 10));
  expect(t.services.authCache.active).toBe(true);
}

describe('authentication cache', () => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    [t, tenant] = await appWithTenants({}, 'cache');
    await cacheReady(t);
  });
  afterAll(() => t.close());

  const get = (token: string, id = tenant.keyId) => t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${id}`, headers: bearer(token) });

  it('a warm GET /v1.0/accesskeys/{id} is one database round trip, and a warm list one', async () => {
    expect((await get(tenant.token)).statusCode).toBe(200); // warms the cache
    const counted = countQueries();
    try {
      expect((await get(tenant.token)).statusCode).toBe(200);
      expect(counted.texts).toHaveLength(1);
      expect(counted.texts[0]).toMatch(/FROM accesskeys WHERE id = \$1/);
      counted.texts.length = 0;
      const list = await t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=10', headers: bearer(tenant.token) });
      expect(list.statusCode).toBe(200);
      expect(counted.texts).toHaveLength(1);
    } finally {
      counted.restore();
    }
  });

  it('a deleted key is refused at once by the process that deleted it', async () => {
    const other = json(await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(tenant.token), payload: { name: 'doomed', expire: 86400 } }));
    expect((await get(other.token)).statusCode).toBe(200); // now cached
    const del = await t.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${other.id}`, headers: bearer(tenant.token) });
    expect(del.statusCode).toBe(200);
    expect((await get(other.token)).statusCode).toBe(401);
  });

  it('expiry is checked at use time against the cached tm_expire', async () => {
    const t2 = await buildTestApp();
    try {
      const tn = await createTenant(t2, 'expiry');
      await cacheReady(t2);
      const created = json(
        await t2.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(tn.token), payload: { name: 'short', expire: 86400 } }),
      );
      const probe = () => t2.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(created.token) });
      expect((await probe()).statusCode).toBe(200);
      t2.clock.advanceSeconds(86399);
      expect((await probe()).statusCode).toBe(200);
      t2.clock.advanceSeconds(1);
      expect((await probe()).statusCode).toBe(401);
    } finally {
      await t2.close();
    }
  });

  it('serves a known key from memory, and never longer than AUTH_CACHE_TTL_SECONDS after a change nobody announced', async () => {
    const t2 = await buildTestApp({ authCache: { size: 100, ttlSeconds: 30 } });
    try {
      const tn = await createTenant(t2, 'ttl');
      await cacheReady(t2);
      const probe = () => t2.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(tn.token) });
      expect((await probe()).statusCode).toBe(200);
      // Deleted behind the server's back: no invalidation is sent.
      await t2.database.dataSource.query('UPDATE accesskeys SET tm_delete = now() WHERE id = $1', [tn.keyId]);
      t2.clock.advanceSeconds(29);
      expect((await probe()).statusCode).toBe(200); // from memory
      t2.clock.advanceSeconds(1);
      expect((await probe()).statusCode).toBe(200); // 30 s old: still within the bound
      t2.clock.tick(1000);
      expect((await probe()).statusCode).toBe(401); // the entry aged out; the database says deleted
    } finally {
      await t2.close();
    }
  });

  it('AUTH_CACHE_SIZE=0 switches it off: every request looks the key up', async () => {
    const t2 = await buildTestApp({ authCache: { size: 0, ttlSeconds: 30 } });
    try {
      const tn = await createTenant(t2, 'off');
      expect(t2.services.authCache.active).toBe(false);
      const probe = () => t2.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${tn.keyId}`, headers: bearer(tn.token) });
      expect((await probe()).statusCode).toBe(200);
      const counted = countQueries();
      try {
        expect((await probe()).statusCode).toBe(200);
        expect(counted.texts).toHaveLength(2);
        expect(counted.texts[0]).toMatch(/WHERE token_hash = \$1/);
      } finally {
        counted.restore();
      }
    } finally {
      await t2.close();
    }
  });

  it('looks a canary up exactly as often as a never-issued token, so neither answers faster (on the 401 path and to a verifier)', async () => {
    const verifier = (await t.services.accesskeys.createForCustomer(tenant.customerId, { expire: 86400 * 30 }, undefined, ['accesskeys:verify'])).token;
    const canary = (await t.services.accesskeys.createForCustomer(tenant.customerId, { expire: 86400 * 30, canary: true })).token;
    /** Lookups of `token` while it is presented as a credential and to the verify endpoint, at the same moments. */
    const lookups = async (token: string) => {
      const counted = countQueries();
      try {
        // Seconds between attempts: within and past the 5 s of "no such key", and past the 30 s of a known key.
        for (const step of [0, 2, 4, 2, 25, 1]) {
          t.clock.advanceSeconds(step);
          expect((await get(token)).statusCode).toBe(401);
          const verified = await t.app.inject({ method: 'POST', url: '/v1.0/accesskeys/verify', headers: bearer(verifier), payload: { token } });
          expect(json(verified)).toEqual({ valid: false, code: 'NOT_FOUND' });
        }
        await t.services.canaries.settled();
        return counted.texts.filter((text, i) => /WHERE token_hash = \$1/.test(text) && counted.values[i][0] === hashToken(token)).length;
      } finally {
        counted.restore();
      }
    };
    const unknown = await lookups(generateToken());
    expect(unknown).toBeGreaterThan(1);
    expect(await lookups(canary)).toBe(unknown);
  });

  it("an agent's sessions stop at once when the agent is deleted or its password changes", async () => {
    const admin = await createAgent(t, tenant, LEVELS.admin);
    const first = await login(t, admin.username, admin.password);
    const me = (token: string) => t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(token) });
    expect((await me(first.token)).statusCode).toBe(200);
    expect((await me(first.token)).statusCode).toBe(200); // cached agent
    await t.services.agents.delete(admin.username);
    expect((await me(first.token)).statusCode).toBe(401);

    const other = await createAgent(t, tenant, LEVELS.admin);
    const session = await login(t, other.username, other.password);
    expect((await me(session.token)).statusCode).toBe(200);
    expect((await me(session.token)).statusCode).toBe(200); // cached agent, with its session generation
    await t.services.agents.setPassword(other.username, 'a brand new secret');
    expect((await me(session.token)).statusCode).toBe(401);
  });
});

(usingPostgres ? describe : describe.skip)('authentication cache on PostgreSQL', () => {
  it('a key deleted by another process is refused here as soon as the notification arrives', async () => {
    const a = await buildTestApp();
    const b = await buildTestApp();
    try {
      const tenant = await createTenant(a, 'replicas');
      await cacheReady(a);
      await cacheReady(b);
      const created = json(await a.app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(tenant.token), payload: { name: 'x', expire: 86400 } }));
      const probe = () => b.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(created.token) });
      expect((await probe()).statusCode).toBe(200); // b has it in memory now
      expect((await a.app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${created.id}`, headers: bearer(tenant.token) })).statusCode).toBe(200);
      let status = 200;
      for (let i = 0; i < 100 && status === 200; i++) {
        await new Promise((r) => setTimeout(r, 10));
        status = (await probe()).statusCode;
      }
      expect(status).toBe(401);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('fails closed: while the invalidation subscription is down the cache is bypassed, and it is used again once back', async () => {
    const direct = new URL(process.env.DATABASE_URL!);
    const proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const t = await buildTestApp({ database: { listenUrl: proxy.urlFor(process.env.DATABASE_URL!) } });
    try {
      const tenant = await createTenant(t, 'fail-closed');
      const spare = await t.services.accesskeys.createForCustomer(tenant.customerId, { name: 'spare', expire: 86400 });
      await cacheReady(t);
      const probe = (token: string) => t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(token) });
      expect((await probe(tenant.token)).statusCode).toBe(200); // in memory now

      await proxy.refuse(); // the listening connection is lost, and reconnecting is refused
      for (let i = 0; i < 500 && t.services.authCache.active; i++) await new Promise((r) => setTimeout(r, 10));
      expect(t.services.authCache.active).toBe(false);
      // A change nobody announces (the listener is deaf now) is seen at once: the lookup goes to the database.
      await t.database.dataSource.query('UPDATE accesskeys SET tm_delete = now() WHERE id = $1', [tenant.keyId]);
      expect((await probe(tenant.token)).statusCode).toBe(401);
      expect((await probe(spare.token)).statusCode).toBe(200);

      await proxy.listen();
      await cacheReady(t);
      const counted = countQueries();
      try {
        expect((await probe(spare.token)).statusCode).toBe(200);
        expect((await probe(spare.token)).statusCode).toBe(200);
        expect(counted.texts.filter((q) => /token_hash = \$1/.test(q))).toHaveLength(1); // cached again after one lookup
      } finally {
        counted.restore();
      }
    } finally {
      await t.close();
      await proxy.close();
    }
  });

  it('notices a listening connection that went silent (no close, no answer) by its heartbeat, and bypasses the cache', async () => {
    const direct = new URL(process.env.DATABASE_URL!);
    const proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const t = await buildTestApp({ database: { listenUrl: proxy.urlFor(process.env.DATABASE_URL!) } });
    try {
      const tenant = await createTenant(t, 'silent');
      await cacheReady(t);
      const probe = () => t.app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(tenant.token) });
      expect((await probe()).statusCode).toBe(200); // in memory now
      proxy.setMode('blackhole'); // reconnects hang too
      proxy.vanish();
      // The heartbeat (every second, answered within two) gives up on the silent connection.
      for (let i = 0; i < 1000 && t.services.authCache.active; i++) await new Promise((r) => setTimeout(r, 10));
      expect(t.services.authCache.active).toBe(false);
      await t.database.dataSource.query('UPDATE accesskeys SET tm_delete = now() WHERE id = $1', [tenant.keyId]);
      expect((await probe()).statusCode).toBe(401);
    } finally {
      await t.close();
      await proxy.close();
    }
  });
});

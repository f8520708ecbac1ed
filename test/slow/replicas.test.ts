import { LEVELS, buildTestApp, createAgent, createTenant, json } from '../helpers/app';
import type { TestApp } from '../helpers/app';
import { usingPostgres } from '../helpers/database';
import { scratchPostgres } from '../helpers/scratch';
import { startServer } from '../helpers/process';

// Several servers on one PostgreSQL database: what they must share.

(usingPostgres ? describe : describe.skip)('replicas on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const auth = { jwtKey: null, sessionTtlSeconds: 3600, cookieSecure: false, loginMaxFailures: 3, loginWindowSeconds: 60 };
    a = await buildTestApp({ auth });
    b = await buildTestApp({ auth });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const attempt = (t: TestApp, username: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, remoteAddress });

  it('share one failed-login count: the limit does not multiply by the number of replicas', async () => {
    const tenant = await createTenant(a, 'limits');
    const { username, password } = await createAgent(a, tenant, LEVELS.admin);
    expect((await attempt(a, username, 'wrong-guess', '10.0.0.1')).statusCode).toBe(400);
    a.clock.advanceSeconds(1);
    b.clock.advanceSeconds(1);
    expect((await attempt(b, username, 'wrong-guess', '10.0.0.2')).statusCode).toBe(400);
    expect((await attempt(a, username, 'wrong-guess', '10.0.0.3')).statusCode).toBe(400);
    // Three failures in all, two of them through A: B refuses the fourth attempt, even with the right password.
    const limited = await attempt(b, username, password, '10.0.0.4');
    expect(limited.statusCode).toBe(429);
    expect(json(limited).error.reason).toBe('TOO_MANY_ATTEMPTS');
    expect(limited.headers['retry-after']).toBe('59'); // the first failure, a second ago, leaves the window in 59 s
    expect((await attempt(a, username, password, '10.0.0.5')).statusCode).toBe(429);
    // Both clocks past the window of the first failure: allowed again everywhere.
    a.clock.advanceSeconds(60);
    b.clock.advanceSeconds(60);
    expect((await attempt(b, username, password, '10.0.0.6')).statusCode).toBe(200);
  });

  it('keep only the failures of the current window in the shared table', async () => {
    const rows = async () => Number((await a.database.dataSource.query('SELECT count(*) AS n FROM login_failures'))[0].n);
    expect(await rows()).toBeGreaterThan(0);
    a.clock.advanceSeconds(3600);
    await attempt(a, 'nobody-at-all', 'wrong-guess', '10.0.0.9');
    // Only the failure just recorded (its username and address keys) remains.
    expect(await rows()).toBe(2);
  });
});

(usingPostgres ? describe : describe.skip)('two real server processes on one PostgreSQL database', () => {
  const { url, servers } = scratchPostgres('akd_replicas');

  it('a key deleted, or disabled, through A is refused by B within a second (the delays are printed)', async () => {
    const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info' };
    const a = await startServer(env);
    servers.push(a);
    const token = (await a.waitForOutput(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
    const b = await startServer(env);
    servers.push(b);
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });

    const created = (await (
      await fetch(`${a.baseUrl}/v1.0/accesskeys`, { method: 'POST', headers: { ...auth(token), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'k', expire: 86400 }) })
    ).json()) as { id: string; token: string };
    const probe = async () => (await fetch(`${b.baseUrl}/v1.0/accesskeys?page_size=1`, { headers: auth(created.token) })).status;
    expect(await probe()).toBe(200);
    expect(await probe()).toBe(200); // B answers from memory now (once its listener is up, which it is within the first second)

    const deleted = await fetch(`${a.baseUrl}/v1.0/accesskeys/${created.id}`, { method: 'DELETE', headers: auth(token) });
    expect(deleted.status).toBe(200);
    const start = performance.now();
    let status = await probe();
    while (status === 200 && performance.now() - start < 5000) status = await probe();
    const delayMs = performance.now() - start;
    process.stdout.write(`revocation seen by the second process after ${delayMs.toFixed(1)} ms\n`);
    expect(status).toBe(401);
    expect(delayMs).toBeLessThan(1000);

    // Disabling through A (GraphQL) is seen by B within the same bound; enabling brings the key back.
    const other = (await (
      await fetch(`${a.baseUrl}/v1.0/accesskeys`, { method: 'POST', headers: { ...auth(token), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'd', expire: 86400 }) })
    ).json()) as { id: string; token: string };
    const probeOther = async () => (await fetch(`${b.baseUrl}/v1.0/accesskeys?page_size=1`, { headers: auth(other.token) })).status;
    expect(await probeOther()).toBe(200);
    const mutate = (name: 'disableAccesskey' | 'enableAccesskey') =>
      fetch(`${a.baseUrl}/graphql`, {
        method: 'POST',
        headers: { ...auth(token), 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { ${name}(id: "${other.id}") { id } }` }),
      });
    expect((await mutate('disableAccesskey')).status).toBe(200);
    const disabledAt = performance.now();
    let seen = await probeOther();
    while (seen === 200 && performance.now() - disabledAt < 5000) seen = await probeOther();
    process.stdout.write(`disable seen by the second process after ${(performance.now() - disabledAt).toFixed(1)} ms\n`);
    expect(seen).toBe(401);
    expect(performance.now() - disabledAt).toBeLessThan(1000);
    expect((await mutate('enableAccesskey')).status).toBe(200);
    const enabledAt = performance.now();
    while ((await probeOther()) !== 200 && performance.now() - enabledAt < 5000);
    expect(await probeOther()).toBe(200);
  });
});

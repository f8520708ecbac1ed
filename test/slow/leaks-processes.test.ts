import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { usingPostgres } from '../helpers/database';
import { leakPartner } from '../helpers/leak-reports';
import { embeddedEnv, run, startServer } from '../helpers/process';
import { scratchPostgres } from '../helpers/scratch';

// Leak reports and real server processes (moved from test/leaks.test.ts, which keeps the app in-process).
const { dir, KEYS_FILE, payload, signedHeaders } = leakPartner();

it('a server does not start with a LEAK_REPORT_KEYS file it cannot use, and says why', async () => {
  const empty = path.join(dir, 'empty.pem');
  writeFileSync(empty, 'no keys here\n');
  const env = embeddedEnv(path.join(dir, 'data'), { LEAK_REPORT_KEYS: empty, PORT: '0' });
  const result = await run(process.execPath, ['dist/src/main.js'], env);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`Configuration error: LEAK_REPORT_KEYS: ${empty} holds no public key`);
});

(usingPostgres ? describe : describe.skip)('two real server processes on one PostgreSQL database', () => {
  const { url, servers } = scratchPostgres('akd_leaks');

  it('a key reported to A is refused by B within a second', async () => {
    const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info', LEAK_REPORT_KEYS: KEYS_FILE };
    const a = await startServer(env);
    servers.push(a);
    const token = (await a.waitForOutput(/access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
    const b = await startServer(env);
    servers.push(b);
    const created = (await (
      await fetch(`${a.baseUrl}/v1.0/accesskeys`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'k', expire: 86400 }) })
    ).json()) as { id: string; token: string };
    const probe = async () => (await fetch(`${b.baseUrl}/v1.0/accesskeys?page_size=1`, { headers: { authorization: `Bearer ${created.token}` } })).status;
    expect(await probe()).toBe(200);
    expect(await probe()).toBe(200); // from B's memory now

    const body = payload([{ token: created.token }]);
    const res = await fetch(`${a.baseUrl}/v1.0/accesskeys/leaks`, { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(body) }, body });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Array<{ label: string }>)[0].label).toBe('true_positive');
    const start = performance.now();
    let status = await probe();
    while (status === 200 && performance.now() - start < 5000) status = await probe();
    const delayMs = performance.now() - start;
    process.stdout.write(`leak report seen by the second process after ${delayMs.toFixed(1)} ms\n`);
    expect(status).toBe(401);
    expect(delayMs).toBeLessThan(1000);
  });
});

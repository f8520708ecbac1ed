import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app/app';
import { ENTITIES } from '../../src/app/entities';
import { openDatabase } from '../../src/db/database';
import type { Database } from '../../src/db/database';
import { bearer, json } from '../helpers/app';
import { TestClock } from '../helpers/clock';
import { postgresConfig, truncateAll, usingPostgres } from '../helpers/database';
import { freePort } from '../helpers/process';

// Behind PgBouncer in transaction pooling mode (Debian's pgbouncer package, which .ci/run installs):
// named statements off, and the invalidation listener on its own direct connection.
const PGBOUNCER = '/usr/sbin/pgbouncer';
const available = usingPostgres && fs.existsSync(PGBOUNCER);
if (usingPostgres && !available) process.stdout.write(`skipped: ${PGBOUNCER} is not installed (apt-get install pgbouncer)\n`);

async function startBouncer(dir: string, target: URL): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'users.txt'), `"${decodeURIComponent(target.username || 'postgres')}" ""\n`);
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      // Two server connections for a pool of five clients: consecutive statements land on different ones.
      'default_pool_size = 2',
      'ignore_startup_parameters = extra_float_digits,statement_timeout,lock_timeout,idle_in_transaction_session_timeout',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  // PgBouncer will not run as root; Debian's package comes with the postgres user, who must write the log here.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const owner = fs.statSync('/var/lib/postgresql');
    fs.chownSync(dir, owner.uid, owner.gid);
  }
  const child = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), path.join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
  const net = await import('node:net');
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return { child, port };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error(`pgbouncer did not start: ${fs.readFileSync(path.join(dir, 'pgbouncer.log'), 'utf8')}`);
}

(available ? describe : describe.skip)('behind PgBouncer (transaction pooling)', () => {
  let dir: string;
  let bouncer: ChildProcess;
  let database: Database;
  const direct = process.env.DATABASE_URL!;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-pgb-'));
    const target = new URL(direct);
    const started = await startBouncer(dir, target);
    bouncer = started.child;
    const viaBouncer = Object.assign(new URL(direct), { hostname: '127.0.0.1', port: String(started.port) }).toString();
    // Migrations (under a session-level advisory lock) and the listener take the direct connection;
    // everything else goes through the bouncer.
    database = await openDatabase(postgresConfig({ url: viaBouncer, listenUrl: direct, namedStatements: false }), { entities: ENTITIES, migrate: true });
    await truncateAll(database);
  });
  afterAll(async () => {
    await database?.close();
    bouncer?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the whole key lifecycle with named statements off, and the cache still hears invalidations', async () => {
    const clock = new TestClock();
    const { app, services } = await buildApp({ database, clock, logger: false });
    await app.ready();
    try {
      const customer = await services.customers.create('bouncer');
      const { token } = await services.accesskeys.createForCustomer(customer.id, { name: 'boot', expire: 86400 });
      for (let i = 0; i < 20; i++) {
        const res = await app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(token), payload: { name: `k${i}`, expire: 86400 } });
        expect(res.statusCode).toBe(200);
        clock.tick();
      }
      const statuses = await Promise.all(
        Array.from({ length: 30 }, () => app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=5', headers: bearer(token) })),
      );
      expect(statuses.map((r) => r.statusCode)).toEqual(Array(30).fill(200));
      const page = json(statuses[0]);
      expect(page.result).toHaveLength(5);
      const second = await app.inject({ method: 'GET', url: `/v1.0/accesskeys?page_size=5&page_token=${page.next_page_token}`, headers: bearer(token) });
      expect(json(second).result[0].id).not.toBe(page.result[0].id);

      for (let i = 0; i < 200 && !services.authCache.active; i++) await new Promise((r) => setTimeout(r, 10));
      expect(services.authCache.active).toBe(true); // subscribed over the direct connection

      const doomed = json(await app.inject({ method: 'POST', url: '/v1.0/accesskeys', headers: bearer(token), payload: { name: 'doomed', expire: 86400 } }));
      expect((await app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(doomed.token) })).statusCode).toBe(200);
      expect((await app.inject({ method: 'DELETE', url: `/v1.0/accesskeys/${doomed.id}`, headers: bearer(token) })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/v1.0/accesskeys?page_size=1', headers: bearer(doomed.token) })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

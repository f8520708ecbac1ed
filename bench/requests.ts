import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';

/**
 * Throughput of the hot paths through the real app (Fastify inject, no network):
 * refusing a malformed key (no I/O), authenticating a valid key, listing a page.
 * Runs on the embedded database in memory, or on DATABASE_URL when set.
 * Usage: npm run bench [-- seconds-per-case]
 */
async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 3);
  const config = loadConfig();
  const database =
    config.database.kind === 'postgres'
      ? await openDatabase(config.database, { migrate: true })
      : await openDatabase(config.database, { migrate: true, inMemory: true });
  const { app, services } = await buildApp({ database, playground: false, metricsRoute: 'off' });
  await app.ready();
  const customer = await services.customers.create(`bench-${Date.now()}`);
  const { token } = await services.accesskeys.createForCustomer(customer.id, { expire: 86400 });
  for (let i = 0; i < 250; i++) await services.accesskeys.createForCustomer(customer.id, { expire: 86400 });

  const cases: Array<[string, string]> = [
    ['malformed key refused (no I/O)', '/v1.0/accesskeys?accesskey=vb_0000000000000000000000000000000x'],
    ['valid key, list 1 key', `/v1.0/accesskeys?accesskey=${token}&page_size=1`],
    ['valid key, list 100 keys', `/v1.0/accesskeys?accesskey=${token}&page_size=100`],
  ];
  process.stdout.write(`database: ${database.kind}${config.database.kind === 'embedded' ? ' (in memory)' : ''}, ${seconds} s per case, one request at a time\n`);
  for (const [name, url] of cases) {
    const latencies: number[] = [];
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const start = performance.now();
      const res = await app.inject({ method: 'GET', url });
      latencies.push(performance.now() - start);
      if (res.statusCode !== 200 && res.statusCode !== 401) throw new Error(`${name}: HTTP ${res.statusCode}`);
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(3);
    const rate = latencies.length / seconds;
    process.stdout.write(`${name.padEnd(34)} ${rate.toFixed(0).padStart(7)} req/s   p50 ${pct(0.5)} ms   p99 ${pct(0.99)} ms\n`);
  }
  await app.close();
  await database.close();
}

void main();

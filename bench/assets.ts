import 'reflect-metadata';
import { buildApp } from '../src/app/app';
import { ENTITIES } from '../src/app/entities';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';

/**
 * CPU spent by the server per request for the GraphiQL bundle (the largest playground asset), per
 * encoding: the first request on its own, then the mean of the next ones. Unauthenticated, so
 * this is what a stranger can make the server spend.
 * Usage: npm run bench:assets [-- requests-per-encoding]
 */
async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 20);
  const config = loadConfig();
  const database = await openDatabase(config.database, { entities: ENTITIES, migrate: true, inMemory: config.database.kind === 'embedded' });
  const { app } = await buildApp({ database, metricsRoute: 'off' });
  await app.ready();
  const page = await app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
  const url = /src="([^"]*graphiql\.min\.[^"]*\.js)"/.exec(page.body)?.[1];
  if (!url) throw new Error('the playground page names no GraphiQL bundle');

  const cpuMs = async (encoding: string, count: number) => {
    const before = process.cpuUsage();
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const res = await app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      bytes = res.rawPayload.length;
    }
    const used = process.cpuUsage(before);
    return { ms: (used.user + used.system) / 1000 / count, bytes };
  };

  process.stdout.write(`${url}, CPU (user + system, all threads) per request\n`);
  for (const encoding of ['br', 'gzip', '']) {
    const first = await cpuMs(encoding, 1);
    const next = await cpuMs(encoding, requests);
    process.stdout.write(
      `${(encoding || 'identity').padEnd(9)} first ${first.ms.toFixed(1).padStart(8)} ms   next ${requests}: ${next.ms.toFixed(1).padStart(7)} ms each   ${next.bytes} B\n`,
    );
  }
  await app.close();
  await database.close();
}

void main();

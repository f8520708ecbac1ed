import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { getIntrospectionQuery } from 'graphql';
import { buildApp } from '../src/app/app';
import { ENTITIES } from '../src/app/entities';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';

/**
 * 16 aliases of `__schema`, each walking types → fields → type → fields → type
 * as deep as graphql-js's own introspection-depth rule lets it, with aliases
 * at each level to multiply the work (no credentials needed).
 */
export function schemaAliasBomb(aliases = 16): string {
  const selections = Array.from({ length: aliases }, (_, i) => `a${i}:__schema{...A}`).join(' ');
  const fields = (inner: string) => ['f', 'g', 'h', 'i'].map((alias) => `${alias}:fields{name description args{name type{...T}} type{${inner}}}`).join(' ');
  return (
    `query{${selections}}` +
    'fragment A on __Schema{types{...B}}' +
    `fragment B on __Type{...T ${fields('...C')}}` +
    `fragment C on __Type{...T enumValues{name description} ${fields('...T')}}` +
    'fragment T on __Type{name kind description ofType{name kind ofType{name kind ofType{name kind}}}}'
  );
}

/** `aliases` copies of `accesskeys(first: 100)`, each one a database query. */
export function listAliasBomb(aliases = 1000): string {
  return `{${Array.from({ length: aliases }, (_, i) => `k${i}:accesskeys(first:100){nodes{id name}}`).join(' ')}}`;
}

/** `pages` full pages of keys with every field: about the most a request may ask for within the default limits. */
export function fullPages(pages = 5): string {
  const fields = 'id customerId name detail tokenPrefix tmExpire tmCreate tmUpdate tmDelete';
  return `{${Array.from({ length: pages }, (_, i) => `p${i}:accesskeys(first:100){nodes{${fields}} edges{cursor}}`).join(' ')}}`;
}

/**
 * The worst GraphQL requests we know of, measured through the real app:
 * CPU time of the process while answering, response size, HTTP status, and
 * how long a `/healthz` sent at the same moment waited.
 * Usage: npm run bench:graphql [-- runs-per-case]
 */
async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const config = loadConfig();
  const database =
    config.database.kind === 'postgres'
      ? await openDatabase(config.database, { entities: ENTITIES, migrate: true })
      : await openDatabase(config.database, { entities: ENTITIES, migrate: true, inMemory: true });
  const { app, services } = await buildApp({ database, playground: false, metricsRoute: 'off', graphql: config.graphql });
  await app.ready();
  const customer = await services.customers.create(`abuse-${Date.now()}`);
  const { token } = await services.accesskeys.createForCustomer(customer.id, { expire: 86400 });
  for (let i = 0; i < 120; i++) await services.accesskeys.createForCustomer(customer.id, { expire: 86400 });

  const cases: Array<[string, string, Record<string, string>]> = [
    ['__schema alias bomb, no credentials', schemaAliasBomb(), {}],
    ['1000 × accesskeys(first: 100)', listAliasBomb(), { authorization: `Bearer ${token}` }],
    ["GraphiQL's introspection query", getIntrospectionQuery(), {}],
    ['5 full pages of 100 keys', fullPages(), { authorization: `Bearer ${token}` }],
  ];
  process.stdout.write(`database: ${database.kind}; median of ${runs} runs after a warm-up request\n`);
  await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: '{ __typename }' } });
  for (const [name, query, headers] of cases) {
    const samples: Array<{ status: number; bytes: number; cpuMs: number; healthMs: number }> = [];
    for (let run = 0; run < runs; run++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const answer = app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query } });
      const health = app.inject({ method: 'GET', url: '/healthz' }).then(() => performance.now() - started);
      const [res, healthMs] = await Promise.all([answer, health]);
      const used = process.cpuUsage(cpu);
      samples.push({ status: res.statusCode, bytes: res.rawPayload.length, cpuMs: (used.user + used.system) / 1000, healthMs });
    }
    const median = (pick: (s: (typeof samples)[number]) => number) => samples.map(pick).sort((x, y) => x - y)[Math.floor(samples.length / 2)];
    process.stdout.write(
      `${name.padEnd(34)} request ${String(Buffer.byteLength(query)).padStart(6)} B   HTTP ${samples[0].status}   ` +
        `response ${String(samples[0].bytes).padStart(9)} B   CPU ${median((x) => x.cpuMs).toFixed(0).padStart(5)} ms   ` +
        `/healthz answered after ${median((x) => x.healthMs).toFixed(0)} ms\n`,
    );
  }
  await app.close();
  await database.close();
}

if (require.main === module) void main();

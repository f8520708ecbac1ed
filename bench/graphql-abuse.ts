import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app';
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

/**
 * The worst GraphQL requests we know of, measured through the real app:
 * CPU time of the process while answering, response size, HTTP status, and
 * how long a `/healthz` sent at the same moment waited.
 * Usage: npm run build && node dist/bench/graphql-abuse.js
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const database =
    config.database.kind === 'postgres'
      ? await openDatabase(config.database, { migrate: true })
      : await openDatabase(config.database, { migrate: true, inMemory: true });
  const { app, services } = await buildApp({ database, playground: false, metricsRoute: 'off', graphql: config.graphql });
  await app.ready();
  const customer = await services.customers.create(`abuse-${Date.now()}`);
  const { token } = await services.accesskeys.createForCustomer(customer.id, { expire: 86400 });
  for (let i = 0; i < 20; i++) await services.accesskeys.createForCustomer(customer.id, { expire: 86400 });

  const cases: Array<[string, string, Record<string, string>]> = [
    ['__schema alias bomb, no credentials', schemaAliasBomb(), {}],
    ['1000 × accesskeys(first: 100)', listAliasBomb(), { authorization: `Bearer ${token}` }],
  ];
  process.stdout.write(`database: ${database.kind}\n`);
  for (const [name, query, headers] of cases) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const answer = app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query } });
    const health = app.inject({ method: 'GET', url: '/healthz' }).then(() => performance.now() - started);
    const [res, healthMs] = await Promise.all([answer, health]);
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    process.stdout.write(
      `${name.padEnd(38)} request ${String(Buffer.byteLength(query)).padStart(6)} B   HTTP ${res.statusCode}   ` +
        `response ${String(res.rawPayload.length).padStart(9)} B   CPU ${cpuMs.toFixed(0).padStart(5)} ms   /healthz waited ${healthMs.toFixed(0)} ms\n`,
    );
  }
  await app.close();
  await database.close();
}

if (require.main === module) void main();

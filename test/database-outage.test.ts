import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { loggerOptions } from '../src/http/logging';
import { bearer, buildTestApp, createTenant, gql, json } from './helpers/app';
import type { TestApp, Tenant } from './helpers/app';
import { usingPostgres } from './helpers/database';
import { LogCapture } from './helpers/log';
import { TcpProxy } from './helpers/proxy';

// Bounds are small here so outages show quickly; "within N ms" checks are generous multiples of them.
const UNAVAILABLE_MSG = 'database unavailable: answering 503 UNAVAILABLE';

const list = (t: TestApp, tenant: Tenant) => t.app.inject({ method: 'GET', url: '/v1.0/accesskeys', headers: bearer(tenant.token) });
const readyz = (t: TestApp) => t.app.inject({ method: 'GET', url: '/readyz' });
const LIST_QUERY = '{ accesskeys { nodes { id } } }';

/** Waits (without sleeping) until `probe` holds. */
async function until(probe: () => boolean, what: string): Promise<void> {
  const giveUp = Date.now() + 10000;
  while (!probe()) {
    if (Date.now() > giveUp) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function expectUnavailable(res: LightMyRequestResponse, reason = 'DATABASE_UNAVAILABLE') {
  expect(res.statusCode).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(json(res).error).toMatchObject({ status: 'UNAVAILABLE', reason });
}

function expectGraphQLUnavailable({ res, body }: Awaited<ReturnType<typeof gql>>) {
  expect(res.statusCode).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(body.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_UNAVAILABLE' });
}

const warnings = (log: LogCapture) => log.records().filter((r) => r.msg === UNAVAILABLE_MSG);

describe('every connection of the pool held by a long transaction (PGlite and PostgreSQL)', () => {
  const log = new LogCapture();
  let t: TestApp;
  let tenant: Tenant;
  let held: QueryRunner[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ logger: loggerOptions('info', log), database: { bounds: { acquireTimeoutMs: 300 }, poolMax: 2 } });
    tenant = await createTenant(t);
  });
  afterAll(() => t.close());

  async function holdPool(): Promise<void> {
    for (let i = 0; i < t.database.poolMax; i++) {
      const runner = t.database.dataSource.createQueryRunner();
      await runner.startTransaction();
      held.push(runner);
    }
  }
  async function releasePool(): Promise<void> {
    for (const runner of held) {
      await runner.rollbackTransaction();
      await runner.release();
    }
    held = [];
  }
  afterEach(releasePool);

  it('answers 503 UNAVAILABLE with Retry-After on REST and GraphQL once the checkout bound runs out; /readyz says so', async () => {
    await holdPool();
    const started = Date.now();
    const waiting = list(t, tenant);
    await until(() => (t.database.pool()?.waitingCount ?? 0) > 0, 'a request waiting for a connection');
    // Nobody has been handed a connection for 2 s while a request waits: the pool is exhausted.
    t.clock.advanceSeconds(2);
    expectUnavailable(await readyz(t), 'POOL_EXHAUSTED');
    expectUnavailable(await waiting);
    expect(Date.now() - started).toBeLessThan(5000);

    expectGraphQLUnavailable(await gql(t, LIST_QUERY, {}, bearer(tenant.token)));
    // Every root field null (a nullable one here) is nothing served, too.
    const nullable = await gql(t, '{ accesskey(id: "00000000-0000-4000-8000-000000000000") { id } }', {}, bearer(tenant.token));
    expectGraphQLUnavailable(nullable);
    expect(nullable.body.data).toEqual({ accesskey: null });
    // Part of the answer served: 200 with the data, the error, and Retry-After.
    const partial = await gql(t, '{ __typename accesskey(id: "00000000-0000-4000-8000-000000000000") { id } }', {}, bearer(tenant.token));
    expect(partial.res.statusCode).toBe(200);
    expect(partial.res.headers['retry-after']).toBe('5');
    expect(partial.body.data).toEqual({ __typename: 'Query', accesskey: null });
    expect(partial.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');

    // The API's own queries just failed: not ready, without even asking the database.
    expectUnavailable(await readyz(t), 'QUERIES_FAILING');

    await releasePool();
    expect((await list(t, tenant)).statusCode).toBe(200);
    expect((await readyz(t)).statusCode).toBe(200);
  });

  it('logs one warning without a stack for many failing requests, then at most one per interval with the count, and the recovery', async () => {
    t.clock.advanceSeconds(60);
    log.lines.length = 0;
    await holdPool();
    const rest = Array.from({ length: 20 }, () => list(t, tenant));
    const graphql = Array.from({ length: 5 }, () => gql(t, LIST_QUERY, {}, bearer(tenant.token)));
    for (const res of await Promise.all(rest)) expectUnavailable(res);
    for (const answer of await Promise.all(graphql)) expectGraphQLUnavailable(answer);

    expect(warnings(log)).toHaveLength(1);
    expect(warnings(log)[0]).toMatchObject({ level: 40, notLoggedFailures: 0 });
    expect(log.records().filter((r) => r.level >= 50)).toEqual([]);
    expect(log.text).not.toContain('"stack"');
    expect(log.records().filter((r) => r.msg === 'request completed')).toHaveLength(25);

    t.clock.advanceSeconds(11);
    expectUnavailable(await list(t, tenant));
    expect(warnings(log)).toHaveLength(2);
    expect(warnings(log)[1].notLoggedFailures).toBe(24);

    await releasePool();
    expect((await list(t, tenant)).statusCode).toBe(200);
    expect(log.records().filter((r) => r.msg === 'database answering again')).toHaveLength(1);
  });
});

const onPGlite = usingPostgres ? describe.skip : describe;

onPGlite("the embedded database's thread lost (a WebAssembly abort)", () => {
  const log = new LogCapture();
  const notices: string[] = [];
  let dataDir: string;
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-crash-'));
    t = await buildTestApp({ logger: loggerOptions('info', log), database: { dataDir, bounds: { acquireTimeoutMs: 300 }, onNotice: (line) => notices.push(line) } });
    tenant = await createTenant(t);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 UNAVAILABLE meanwhile, and once the thread is started again serves what was committed before', async () => {
    expect((await list(t, tenant)).statusCode).toBe(200);
    await t.database.embedded!.crash();
    expectUnavailable(await list(t, tenant));
    expect(notices).toEqual([expect.stringMatching(/thread ended unexpectedly .*starting it again/)]);
    await until(() => notices.length === 2, 'the thread to be started again');
    expect(notices[1]).toMatch(/serving again/);
    expect((await list(t, tenant)).statusCode).toBe(200);
    // The key made before the crash was committed to the data directory and is read back from it.
    const res = await t.app.inject({ method: 'GET', url: `/v1.0/accesskeys/${tenant.keyId}`, headers: bearer(tenant.token) });
    expect(res.statusCode).toBe(200);
    expect(json(res).id).toBe(tenant.keyId);
  });
});

if (!usingPostgres) {
  console.log('database-outage: the proxy (partition, refused, lost) and lock tests need PostgreSQL (DATABASE_URL); skipped on PGlite');
}
const onPostgres = usingPostgres ? describe : describe.skip;

onPostgres('PostgreSQL behind a TCP proxy', () => {
  const log = new LogCapture();
  let proxy: TcpProxy;
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    const target = new URL(process.env.DATABASE_URL!);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    // One connection, so the tests know which connection a request uses.
    t = await buildTestApp({
      logger: loggerOptions('info', log),
      database: { url: proxy.urlFor(process.env.DATABASE_URL!), poolMax: 1, bounds: { statementTimeoutMs: 300, acquireTimeoutMs: 500 } },
    });
    tenant = await createTenant(t);
  });
  afterAll(async () => {
    proxy.setMode('forward');
    await t.close();
    await proxy.close();
  });
  beforeEach(() => {
    proxy.setMode('forward');
    t.clock.advanceSeconds(60);
    log.lines.length = 0;
  });

  it('a partition (nothing refused, nothing answers): 503 within the bound instead of waiting it out; served again once it heals', async () => {
    expect((await list(t, tenant)).statusCode).toBe(200);
    proxy.setMode('blackhole');
    const started = Date.now();
    expectUnavailable(await list(t, tenant));
    expect(Date.now() - started).toBeLessThan(5000);
    expectGraphQLUnavailable(await gql(t, LIST_QUERY, {}, bearer(tenant.token)));
    expectUnavailable(await readyz(t), 'QUERIES_FAILING');

    proxy.setMode('forward');
    expect((await list(t, tenant)).statusCode).toBe(200);
    expect((await readyz(t)).statusCode).toBe(200);
  });

  it('a vanished host: the connection whose query got no answer is dropped, not handed out again', async () => {
    expect((await list(t, tenant)).statusCode).toBe(200);
    proxy.vanish();
    expectUnavailable(await list(t, tenant));
    // The pool's only connection is the silent one unless it was dropped.
    expect((await list(t, tenant)).statusCode).toBe(200);
  });

  it('connection refused, then lost: 503 with Retry-After on both transports, one warning, and served again', async () => {
    await proxy.refuse();
    try {
      const answers = await Promise.all(Array.from({ length: 10 }, () => list(t, tenant)));
      for (const res of answers) expectUnavailable(res);
      expectGraphQLUnavailable(await gql(t, LIST_QUERY, {}, bearer(tenant.token)));
    } finally {
      await proxy.listen();
    }
    expect((await list(t, tenant)).statusCode).toBe(200);

    proxy.setMode('reset');
    proxy.cut();
    expectUnavailable(await list(t, tenant));
    proxy.setMode('forward');
    expect((await list(t, tenant)).statusCode).toBe(200);

    expect(warnings(log)).toHaveLength(1);
    expect(log.records().filter((r) => r.level >= 50)).toEqual([]);
    expect(log.text).not.toContain('"stack"');
  });

  it('a held lock: the statement timeout answers 503, and /readyz is not ready although SELECT 1 still answers', async () => {
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE accesskeys IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      expectUnavailable(await list(t, tenant));
      expect(Date.now() - started).toBeLessThan(5000);
      expectUnavailable(await readyz(t), 'QUERIES_FAILING');
      // With no failure in the last few seconds, readiness falls back to SELECT 1, which the lock does not block.
      t.clock.advanceSeconds(6);
      expect((await readyz(t)).statusCode).toBe(200);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect((await list(t, tenant)).statusCode).toBe(200);
  });
});

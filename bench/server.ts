import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { encodeCursor } from '../src/pagination';
import { DEFAULT_FILTER, listBinding } from '../src/keys/accesskey.filter';
import { generateToken } from '../src/keys/token';
import { Instant } from '../src/time';
import { freePort } from '../test/helpers/port';
import { REDIS_URL, redisUp } from '../test/helpers/redis';

/**
 * `npm run bench`: the real server (`dist/src/main.js`) on a real port, driven
 * by autocannon at a fixed concurrency. On the embedded database always, and
 * on PostgreSQL when DATABASE_URL is set (that database is emptied!), each
 * with the authentication cache on and off. Also: revocation delay across two
 * processes, first vs 10,000th page at 1,000,000 keys, RSS idle and under load.
 *
 * Usage: npm run bench [-- --seconds 5 --connections 10 --server path/to/main.js --only embedded|postgres --skip-million]
 */

interface Options {
  seconds: number;
  connections: number;
  server: string;
  only: 'embedded' | 'postgres' | null;
  skipMillion: boolean;
  trials: number;
}

function options(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const only = get('only');
  return {
    seconds: Number(get('seconds') ?? 5),
    connections: Number(get('connections') ?? 10),
    server: path.resolve(get('server') ?? path.join(__dirname, '..', 'src', 'main.js')),
    only: only === 'embedded' || only === 'postgres' ? only : null,
    skipMillion: argv.includes('--skip-million'),
    trials: Number(get('trials') ?? 50),
  };
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  readonly token: string | null;
  stop(): Promise<void>;
}

async function startServer(script: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PLAYGROUND: 'false', METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await sleep(100); // the banner follows the listen
  const token = /access key\s*:\s*(vb_[0-9A-Za-z]{32})/.exec(stdout)?.[1] ?? null;
  return {
    child,
    base,
    token,
    async stop() {
      const exited = new Promise((r) => child.once('close', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

interface Case {
  readonly name: string;
  readonly request: autocannon.Request;
  readonly expect: number;
  /** Also print this case's throughput as a ratio of the named case's (run before it). */
  readonly ratioTo?: string;
}

const GET_BY_ID = 'REST GET /v1.0/accesskeys/{id}';

async function load(base: string, c: Case, opts: Options): Promise<autocannon.Result> {
  return autocannon({ url: base, connections: opts.connections, duration: opts.seconds, requests: [c.request] });
}

async function post(base: string, pathName: string, token: string, body: unknown): Promise<{ id: string; token: string; customer_id: string }> {
  const res = await fetch(`${base}${pathName}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${pathName}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; token: string; customer_id: string };
}

/**
 * A key with the accesskeys:verify scope, made the way an operator would:
 * with the CLI on the server's database (the embedded one is single-process,
 * hence `throughput` stops the server around this).
 */
function createVerifyKey(serverScript: string, env: NodeJS.ProcessEnv, customerId: string): string {
  const cli = path.join(path.dirname(serverScript), 'cli', 'admin.js');
  const stdout = execFileSync(process.execPath, [cli, 'accesskey', 'create', '--customer', customerId, '--expire', '86400', '--scopes', 'verify'], {
    env,
    encoding: 'utf8',
  });
  return (JSON.parse(stdout) as { token: string }).token;
}

/** A key of the bootstrap key's customer with a usage policy (GraphQL: REST makes keys without one). */
async function policyKey(base: string, token: string, policy: string): Promise<string> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation { createAccesskey(input: { name: "policy", expire: 86400, ${policy} }) { token } }` }),
  });
  const body = (await res.json()) as { data?: { createAccesskey: { token: string } }; errors?: unknown };
  if (!body.data) throw new Error(`createAccesskey: ${JSON.stringify(body.errors)}`);
  return body.data.createAccesskey.token;
}

/** Where the server keeps rate-limit counters for the main cases (RATE_LIMIT_STORE, passed through; see docs/usage-policy.md). */
const rateLimitStore = (kind: 'embedded' | 'postgres'): string => process.env.RATE_LIMIT_STORE || (kind === 'postgres' ? 'postgres' : 'memory');

/** Redis for the `redis` store's line: REDIS_URL, or the machine's (as .ci/run starts it). */
const benchRedisUrl = (): string => process.env.REDIS_URL || REDIS_URL;

/**
 * The rate-limit stores measured besides the main cases' one, each on a
 * server restarted with it: every store the database kind can have (`postgres`
 * only with DATABASE_URL), `redis` only when it answers.
 */
async function otherStores(kind: 'embedded' | 'postgres'): Promise<string[]> {
  const candidates = (kind === 'postgres' ? ['memory', 'postgres', 'redis'] : ['memory', 'redis']).filter((s) => s !== rateLimitStore(kind));
  if (candidates.includes('redis') && !(await redisUp(benchRedisUrl()))) {
    out(`(no Redis at ${benchRedisUrl()}: no line for the redis store on ${kind}; set REDIS_URL or start it)`);
    return candidates.filter((s) => s !== 'redis');
  }
  return candidates;
}

async function emptyPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await client.end();
}

async function throughput(kind: 'embedded' | 'postgres', cache: boolean, opts: Options): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, AUTH_CACHE_SIZE: cache ? '10000' : '0' };
  if (kind === 'embedded') {
    delete env.DATABASE_URL;
    env.DATA_DIR = dataDir;
  } else {
    await emptyPostgres(env.DATABASE_URL!);
  }
  let server = await startServer(opts.server, env);
  try {
    const token = server.token!;
    const first = await post(server.base, '/v1.0/accesskeys', token, { name: 'bench', expire: 86400 });
    const made: string[] = [];
    for (let i = 0; i < 100; i++) made.push((await post(server.base, '/v1.0/accesskeys', token, { name: `k${i}`, expire: 86400 })).id);
    const tenKeys = made.slice(0, 10);
    let renames = 0;
    // Keys with a usage policy that never refuses during the run: what the rate-limit store and the credit UPDATE cost.
    const limited = await policyKey(server.base, token, 'rateLimit: { limit: 1000000000, windowSeconds: 2592000 }');
    const credited = await policyKey(server.base, token, 'credits: { remaining: 2000000000 }');
    await server.stop();
    const verifier = createVerifyKey(opts.server, env, first.customer_id);
    server = await startServer(opts.server, env);
    const auth = { authorization: `Bearer ${token}` };
    const verifyBody = JSON.stringify({ token: first.token });
    const gql = (query: string) => ({ method: 'POST' as const, path: '/graphql', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const limitedCase = (store: string): Case => ({
      name: `REST GET /v1.0/accesskeys/{id}, key with a rate limit (store ${store})`,
      request: { method: 'GET', path: `/v1.0/accesskeys/${first.id}`, headers: { authorization: `Bearer ${limited}` } },
      expect: 200,
    });
    const cases: Case[] = [
      // The warm hot path of a key without any policy: the line that must not regress.
      { name: GET_BY_ID, request: { method: 'GET', path: `/v1.0/accesskeys/${first.id}`, headers: auth }, expect: 200 },
      limitedCase(rateLimitStore(kind)),
      { name: 'REST GET /v1.0/accesskeys/{id}, key with credits', request: { method: 'GET', path: `/v1.0/accesskeys/${first.id}`, headers: { authorization: `Bearer ${credited}` } }, expect: 200 },
      { name: 'REST list, page of 100', request: { method: 'GET', path: '/v1.0/accesskeys?page_size=100', headers: auth }, expect: 200 },
      { name: 'GraphQL accesskey(id)', request: gql(`{ accesskey(id: "${first.id}") { id name tokenPrefix tmExpire } }`), expect: 200 },
      { name: 'GraphQL me', request: gql('{ me { customerId } }'), expect: 200 },
      {
        name: 'REST POST /v1.0/accesskeys/verify',
        request: { method: 'POST', path: '/v1.0/accesskeys/verify', headers: { authorization: `Bearer ${verifier}`, 'content-type': 'application/json' }, body: verifyBody },
        expect: 200,
      },
      {
        // A write: the change and its audit event in one statement; every writer of this one key takes turns on its row.
        name: 'REST PUT /v1.0/accesskeys/{id} (+ audit event)',
        request: { method: 'PUT', path: `/v1.0/accesskeys/${first.id}`, headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', detail: 'renamed' }) },
        expect: 200,
      },
      {
        // Issue 20 §3: one customer's ten keys renamed at once, each rename one statement with its audit event.
        name: `audited PUT, ${opts.connections} connections renaming 10 keys of one customer`,
        request: {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/json' },
          setupRequest: (req) => {
            const n = renames++;
            return { ...req, path: `/v1.0/accesskeys/${tenKeys[n % tenKeys.length]}`, body: JSON.stringify({ name: `bench-${n}`, detail: 'renamed' }) };
          },
        },
        expect: 200,
        ratioTo: GET_BY_ID,
      },
      { name: 'refused bad key (checksum ok, unknown)', request: { method: 'GET', path: '/v1.0/accesskeys', headers: { authorization: `Bearer ${unknownToken()}` } }, expect: 401 },
    ];
    // Warm up (JIT, pool, cache), then measure.
    await autocannon({ url: server.base, connections: opts.connections, duration: 1, requests: [cases[0].request] });
    const idle = rssMb(server.child.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.child.pid!))), 100);
    const rates = new Map<string, number>();
    const measure = async (c: Case) => {
      const result = await load(server.base, c, opts);
      rates.set(c.name, result.requests.average);
      const wrong = result.non2xx - (c.expect === 200 ? 0 : result.requests.total) + result.errors + result.timeouts;
      const base = c.ratioTo === undefined ? undefined : rates.get(c.ratioTo);
      const ratio = base ? `  (${(result.requests.average / base).toFixed(2)}× ${c.ratioTo})` : '';
      const note = (wrong !== 0 && c.expect === 200 ? `  (${wrong} unexpected answers!)` : '') + ratio;
      out(
        `| ${kind} | ${cache ? 'on' : 'off'} | ${c.name} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} |${note}`,
      );
    };
    for (const c of cases) await measure(c);
    clearInterval(sampler);
    out(`| ${kind} | ${cache ? 'on' : 'off'} | RSS idle / under load | ${idle.toFixed(0)} MB / ${peak.toFixed(0)} MB | | |`);
    if (kind === 'postgres' && cache) await reference(env, cases[0], rates, opts);
    // The rate-limited key on each other store: the same server and data, restarted with RATE_LIMIT_STORE set.
    for (const store of await otherStores(kind)) {
      await server.stop();
      server = await startServer(opts.server, { ...env, RATE_LIMIT_STORE: store, ...(store === 'redis' ? { REDIS_URL: benchRedisUrl() } : {}) });
      const c = limitedCase(store);
      await autocannon({ url: server.base, connections: opts.connections, duration: 1, requests: [c.request] });
      await measure(c);
    }
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The raw limit for this design (bench/raw-reference.ts: node:http, auth from
 * memory, one named query) on the same database and the same request, and the
 * real server's cached REST and GraphQL reads as a share of it.
 */
async function reference(env: NodeJS.ProcessEnv, byId: Case, rates: Map<string, number>, opts: Options): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, 'raw-reference.js')], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`raw reference exited ${code}`)));
      child.stdout.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    });
    const base = `http://127.0.0.1:${port}`;
    await autocannon({ url: base, connections: opts.connections, duration: 1, requests: [byId.request] });
    const result = await load(base, byId, opts);
    if (result.non2xx + result.errors > 0) throw new Error(`raw reference: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const raw = result.requests.average;
    out(`| postgres | memory | reference: raw node:http + pg, GET by id | ${Math.round(raw)} | ${result.latency.p50} | ${result.latency.p99} |`);
    const share = (name: string) => `${Math.round((100 * (rates.get(name) ?? 0)) / raw)} %`;
    out(
      `| postgres | on | share of the reference: REST GET by id ${share(byId.name)}, GraphQL accesskey(id) ${share('GraphQL accesskey(id)')}, ` +
        `audited PUT ${share('REST PUT /v1.0/accesskeys/{id} (+ audit event)')} | | | |`,
    );
  } finally {
    const exited = new Promise((r) => child.once('close', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** A well-formed token (right shape and checksum) that no key has: only the database can say it is unknown. */
const unknownToken = (): string => generateToken();

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (${values.length} trials)`;
}

async function revocation(opts: Options): Promise<void> {
  const env = { ...process.env };
  await emptyPostgres(env.DATABASE_URL!);
  const a = await startServer(opts.server, env);
  const b = await startServer(opts.server, env);
  try {
    const token = a.token!;
    const delays: number[] = [];
    for (let i = 0; i < opts.trials; i++) {
      const key = await post(a.base, '/v1.0/accesskeys', token, { name: `r${i}`, expire: 86400 });
      const probe = async () => (await fetch(`${b.base}/v1.0/accesskeys?page_size=1`, { headers: { authorization: `Bearer ${key.token}` } })).status;
      if ((await probe()) !== 200) throw new Error('the new key does not work on the second process');
      const del = await fetch(`${a.base}/v1.0/accesskeys/${key.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
      if (!del.ok) throw new Error(`delete: HTTP ${del.status}`);
      const start = performance.now();
      while ((await probe()) === 200) {
        if (performance.now() - start > 60000) throw new Error('never revoked');
      }
      delays.push(performance.now() - start);
    }
    out(`revocation delay (delete on A until B refuses): ${summary(delays)}`);
  } finally {
    await a.stop();
    await b.stop();
  }
}

async function million(opts: Options): Promise<void> {
  const env = { ...process.env };
  await emptyPostgres(env.DATABASE_URL!);
  const server = await startServer(opts.server, env);
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    const token = server.token!;
    const { customer_id: customerId } = (await client.query('SELECT customer_id FROM accesskeys LIMIT 1')).rows[0];
    const started = performance.now();
    await client.query(
      `INSERT INTO accesskeys (id, customer_id, name, detail, token_hash, token_prefix, tm_expire, tm_create, tm_update, tm_delete)
       SELECT gen_random_uuid(), $1, 'k' || g, '', encode(sha256(('bench' || g)::bytea), 'hex'), 'vb_bench', now() + interval '1 day',
              now() - g * interval '1 millisecond', now(), NULL
         FROM generate_series(1, 1000000) AS g`,
      [customerId],
    );
    await client.query('ANALYZE accesskeys');
    out(`seeded 1,000,000 keys in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // The cursor of the last item of page 9,999 (page size 100): the next request is the 10,000th page.
    const row = (await client.query('SELECT id, tm_create::text AS t FROM accesskeys WHERE customer_id = $1 AND tm_delete IS NULL ORDER BY tm_create DESC, id DESC OFFSET 999899 LIMIT 1', [customerId])).rows[0];
    const cursor = encodeCursor(Instant.parse(row.t)!, row.id, listBinding(customerId, DEFAULT_FILTER));
    const time = async (url: string) => {
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const start = performance.now();
        const res = await fetch(`${server.base}${url}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
        times.push(performance.now() - start);
      }
      return summary(times);
    };
    out(`page 1 of 100 at 1,000,000 keys: ${await time('/v1.0/accesskeys?page_size=100')}`);
    out(`page 10,000 of 100 at 1,000,000 keys: ${await time(`/v1.0/accesskeys?page_size=100&page_token=${cursor}`)}`);
    const plan = await client.query(
      `EXPLAIN SELECT * FROM accesskeys WHERE customer_id = $1 AND tm_delete IS NULL AND (tm_create, id) < ($2::timestamptz, $3::uuid)
        ORDER BY tm_create DESC, id DESC LIMIT 101`,
      [customerId, row.t, row.id],
    );
    out(`plan of the 10,000th page: ${plan.rows.map((r) => r['QUERY PLAN'].trim()).join(' / ')}`);
  } finally {
    await client.end();
    await server.stop();
  }
}

/** The embedded database: time from spawn to the first answer, first start and restart, and resident size at idle. */
async function embeddedStart(opts: Options): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-bench-start-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  try {
    for (const which of ['first start (empty DATA_DIR)', 'restart']) {
      const started = performance.now();
      const server = await startServer(opts.server, env);
      const ms = performance.now() - started;
      await sleep(1000);
      out(`embedded ${which}: answering after ${(ms / 1000).toFixed(2)} s, idle RSS ${rssMb(server.child.pid!).toFixed(0)} MB`);
      await server.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const postgres = Boolean(process.env.DATABASE_URL);
  out(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  out(`load: autocannon, ${opts.connections} connections, ${opts.seconds} s per case; server: ${path.relative(process.cwd(), opts.server)}`);
  if (!postgres) out('(set DATABASE_URL to a database the bench may empty to add the PostgreSQL lines)');
  out();
  out('| database | auth cache | case | req/s | p50 ms | p99 ms |');
  out('|---|---|---|---|---|---|');
  const kinds = (['embedded', 'postgres'] as const).filter((k) => (opts.only ? k === opts.only : k === 'embedded' || postgres));
  for (const kind of kinds) {
    for (const cache of [true, false]) await throughput(kind, cache, opts);
  }
  out();
  if (opts.only !== 'postgres') await embeddedStart(opts);
  if (postgres && opts.only !== 'embedded') {
    await revocation(opts);
    if (!opts.skipMillion) await million(opts);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

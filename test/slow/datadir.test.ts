import { ENTITIES } from '../../src/app/entities';
import { loadConfig } from '../../src/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database';
import { embeddedEnv, startServer } from '../helpers/process';
import type { ServerProcess } from '../helpers/process';

// The embedded data directory holds password hashes, token hashes, the WAL and the session key:
// nothing in it may be readable, writable or searchable by anyone but its owner.

/** Every path under `root` (itself included) whose mode grants anything to group or others. */
function exposed(root: string): string[] {
  const found: string[] = [];
  const visit = (entry: string) => {
    const stat = fs.lstatSync(entry);
    if ((stat.mode & 0o077) !== 0) found.push(`${(stat.mode & 0o777).toString(8)} ${path.relative(root, entry) || '.'}`);
    if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
  };
  visit(root);
  return found;
}

function count(root: string): number {
  const stat = fs.lstatSync(root);
  return stat.isDirectory() ? 1 + fs.readdirSync(root).reduce((n, name) => n + count(path.join(root, name)), 0) : 1;
}

let parent: string;
let server: ServerProcess | undefined;
const umask = process.umask();

beforeEach(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-modes-'));
});
afterEach(async () => {
  process.umask(umask);
  if (server?.child.exitCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  server = undefined;
  fs.rmSync(parent, { recursive: true, force: true });
});

it('creates the data directory owner-only, even under a permissive umask', async () => {
  process.umask(0);
  const dataDir = path.join(parent, 'data');
  const database = await openDatabase({ kind: 'embedded', dataDir, bounds: loadConfig({}).database.bounds }, { entities: ENTITIES, migrate: true });
  try {
    expect(count(dataDir)).toBeGreaterThan(900);
    expect(exposed(dataDir)).toEqual([]);
    await database.dataSource.query("INSERT INTO customers (id, name, tm_create, tm_update) VALUES (gen_random_uuid(), 'x', now(), now())");
  } finally {
    await database.close();
  }
  expect(exposed(dataDir)).toEqual([]);
});

it('makes an existing data directory owner-only on start', async () => {
  const dataDir = path.join(parent, 'data');
  await (await openDatabase({ kind: 'embedded', dataDir, bounds: loadConfig({}).database.bounds }, { entities: ENTITIES, migrate: true })).close();
  // As an earlier version left it: world-writable files, world-searchable directories.
  const wal = path.join(dataDir, 'pgdata', 'pg_wal');
  const segment = fs.readdirSync(wal).find((name) => /^[0-9A-F]{24}$/.test(name))!;
  fs.chmodSync(path.join(wal, segment), 0o666);
  fs.chmodSync(path.join(dataDir, 'pgdata', 'postgresql.conf'), 0o644);
  fs.chmodSync(path.join(dataDir, 'pgdata', 'base'), 0o755);
  fs.chmodSync(dataDir, 0o777);
  expect(exposed(dataDir)).toHaveLength(4);

  const database = await openDatabase({ kind: 'embedded', dataDir, bounds: loadConfig({}).database.bounds }, { entities: ENTITIES, migrate: true });
  try {
    expect(exposed(dataDir)).toEqual([]);
  } finally {
    await database.close();
  }
});

it('the server keeps every file it creates owner-only while it runs, whatever umask it inherits', async () => {
  process.umask(0);
  const dataDir = path.join(parent, 'data');
  server = await startServer(embeddedEnv(dataDir));
  await server.waitForOutput(/FIRST START/);
  // Files PGlite writes later with plain fopen (e.g. relcache init files) follow the process umask.
  expect(fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8')).toMatch(/^Umask:\s+0077$/m);
  expect(fs.existsSync(path.join(dataDir, 'session.key'))).toBe(true);
  expect(exposed(dataDir)).toEqual([]);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(exposed(dataDir)).toEqual([]);
});

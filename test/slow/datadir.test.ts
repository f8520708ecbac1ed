import { ENTITIES } from '../../src/app/entities';
import { loadConfig } from '../../src/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTemplate, openDatabase } from '../../src/db/database';
import type { Database } from '../../src/db/database';
import { defaultTemplateDir, findTemplate, pgliteVersion } from '../../src/db/template';
import type { Template } from '../../src/db/template';
import { migrations } from '../../migrations';
import { bearer } from '../helpers/app';
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

describe('a new data directory made from the template (npm run build makes it)', () => {
  const names = migrations.map((m) => m.name);
  const bounds = loadConfig({}).database.bounds;
  const open = (dataDir: string, templateDir: string | null, onNotice?: (line: string) => void) =>
    openDatabase({ kind: 'embedded', dataDir, bounds, templateDir }, { entities: ENTITIES, migrate: true, onNotice });
  const facts = async (database: Database) => ({
    systemIdentifier: (await database.dataSource.query<{ id: string }[]>('SELECT system_identifier::text AS id FROM pg_control_system()'))[0].id,
    migrations: (await database.dataSource.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id')).map((r) => r.name),
  });
  /** The built template of every migration (dist/pgdata-template). */
  const built = (): Template => {
    const { template } = findTemplate(defaultTemplateDir(), pgliteVersion(), names);
    expect(template?.manifest.migrations).toEqual(names);
    return template!;
  };

  it('is owner-only, and two servers starting together on new data directories come up from it and work end to end', async () => {
    const template = built();
    expect(fs.statSync(template.file).mode & 0o077).toBe(0);
    expect(fs.statSync(path.dirname(template.file)).mode & 0o077).toBe(0);
    const dataDirs = [path.join(parent, 'one'), path.join(parent, 'two')];
    const servers = await Promise.all(dataDirs.map((dataDir) => startServer(embeddedEnv(dataDir))));
    try {
      for (const s of servers) {
        const token = (await s.waitForOutput(/FIRST START[\s\S]*?access key\s*:\s*(vb_[0-9A-Za-z]{32})/))[1];
        expect((await fetch(`${s.baseUrl}/readyz`)).status).toBe(200);
        expect((await fetch(`${s.baseUrl}/v1.0/accesskeys`, { headers: bearer(token) })).status).toBe(200);
        expect(s.stderr()).not.toContain('template');
      }
    } finally {
      for (const s of servers) s.child.kill('SIGTERM');
      expect(await Promise.all(servers.map((s) => s.exited))).toEqual([0, 0]);
    }
    for (const dataDir of dataDirs) {
      expect(exposed(dataDir)).toEqual([]);
      const database = await open(dataDir, null);
      try {
        // initdb would have made a cluster of its own: this one is the template's.
        expect(await facts(database)).toEqual({ systemIdentifier: template.manifest.systemIdentifier, migrations: names });
        // What the first start provisioned was written to this cluster and kept.
        expect((await database.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM accesskeys'))[0].n).toBeGreaterThan(0);
      } finally {
        await database.close();
      }
    }
  });

  it('a template older than the migrations is unpacked, then only the newer migrations are applied', async () => {
    process.umask(0);
    const templateDir = path.join(parent, 'templates');
    await buildTemplate(templateDir, migrations.slice(0, -2));
    const { template: stale } = findTemplate(templateDir, pgliteVersion(), names);
    expect(stale?.manifest.migrations).toEqual(names.slice(0, -2));
    expect(fs.statSync(stale!.file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(templateDir)).toEqual([path.basename(stale!.file)]);

    const dataDir = path.join(parent, 'data');
    const notices: string[] = [];
    const database = await open(dataDir, templateDir, (line) => notices.push(line));
    try {
      expect(await facts(database)).toEqual({ systemIdentifier: stale!.manifest.systemIdentifier, migrations: names });
      expect(await database.dataSource.showMigrations()).toBe(false);
      await database.dataSource.query("INSERT INTO customers (id, name, tm_create, tm_update) VALUES (gen_random_uuid(), 'x', now(), now())");
    } finally {
      await database.close();
    }
    expect(notices).toEqual([]);
    expect(exposed(dataDir)).toEqual([]);
  });

  it('a corrupt template is passed over with a notice: the cluster is made by initdb and works', async () => {
    const templateDir = path.join(parent, 'templates');
    fs.mkdirSync(templateDir, { mode: 0o700 });
    const template = built();
    const copy = path.join(templateDir, path.basename(template.file));
    fs.copyFileSync(template.file, copy);
    const fd = fs.openSync(copy, 'r+');
    const size = fs.fstatSync(fd).size;
    fs.writeSync(fd, Buffer.from('corrupt'), 0, 7, size - 4096);
    fs.closeSync(fd);

    const dataDir = path.join(parent, 'data');
    const notices: string[] = [];
    const database = await open(dataDir, templateDir, (line) => notices.push(line));
    try {
      const { systemIdentifier, migrations: applied } = await facts(database);
      expect(systemIdentifier).not.toBe(template.manifest.systemIdentifier);
      expect(applied).toEqual(names);
      await database.dataSource.query("INSERT INTO customers (id, name, tm_create, tm_update) VALUES (gen_random_uuid(), 'x', now(), now())");
    } finally {
      await database.close();
    }
    expect(notices).toEqual([expect.stringMatching(/template not used: .*checksum mismatch/)]);
    expect(fs.existsSync(path.join(dataDir, 'pgdata.seeding'))).toBe(false);
  });
});

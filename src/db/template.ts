import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A ready, migrated cluster for the embedded database, packed in one file.
 *
 * Most of a first start on an empty `DATA_DIR` is `initdb` in WebAssembly.
 * `npm run build` runs it once, applies the migrations and packs the cleanly
 * closed cluster here; a new data directory is then unpacked from it and only
 * migrations newer than the template are applied. It holds the schema only:
 * it is made before any start provisions anything, so no key, hash or secret.
 *
 * File layout: a first line naming the format, a second line of JSON (the
 * manifest) and the packed cluster, whose SHA-256 the manifest holds. Written
 * to a temporary file and renamed, so a reader sees a whole file or none; a
 * file that does not check out is ignored (the start falls back to initdb).
 */
const MAGIC = 'accesskeyd pgdata template 1\n';
const SUFFIX = '.pgdata';

export interface TemplateManifest {
  /** The PGlite release that made the cluster: another release may not read it. */
  readonly pglite: string;
  /** The migrations applied in it, oldest first (class names, as the migrations table holds them). */
  readonly migrations: readonly string[];
  /** `pg_control_system().system_identifier`: every cluster made from this template shares it. */
  readonly systemIdentifier: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface Template {
  readonly file: string;
  readonly manifest: TemplateManifest;
  readonly body: Buffer;
}

/** The installed PGlite release (its package.json is not exported, so it is read beside its entry point). */
export function pgliteVersion(): string {
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the version of @electric-sql/pglite');
    dir = parent;
  }
}

/**
 * Where `npm run build` puts the template: `dist/pgdata-template` in the
 * server's own folder (found by walking up to its package.json), so every
 * data directory of this installation starts from it.
 */
export function defaultTemplateDir(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'pgdata-template');
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(__dirname, 'pgdata-template');
    dir = parent;
  }
}

/** The template's file name: keyed by the PGlite release and the newest migration in it. */
export function templateFileName(pglite: string, migrations: readonly string[]): string {
  const last = migrations.length ? migrations[migrations.length - 1] : 'none';
  return `pglite-${pglite}-${last}${SUFFIX}`;
}

// Packed cluster: for each entry, one type byte ('d' directory, 'f' file), the relative path's
// length (u16) and bytes, and for a file its size (u32) and bytes. Modes are not kept: the
// cluster is owner-only (directories 0700, files 0600).

function pack(root: string): Buffer {
  const parts: Buffer[] = [];
  const visit = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      const name = Buffer.from(child, 'utf8');
      const head = Buffer.alloc(3);
      head.writeUInt16BE(name.length, 1);
      if (entry.isDirectory()) {
        head[0] = 0x64;
        parts.push(head, name);
        visit(child);
      } else if (entry.isFile()) {
        const data = fs.readFileSync(path.join(root, child));
        head[0] = 0x66;
        const size = Buffer.alloc(4);
        size.writeUInt32BE(data.length);
        parts.push(head, name, size, data);
      }
      // Anything else (a socket, a link) is not part of a closed cluster.
    }
  };
  visit('');
  return Buffer.concat(parts);
}

class TemplateFormatError extends Error {}

function unpack(body: Buffer, target: string): void {
  fs.mkdirSync(target, { mode: 0o700 });
  let at = 0;
  const take = (n: number): Buffer => {
    if (at + n > body.length) throw new TemplateFormatError('truncated');
    const slice = body.subarray(at, at + n);
    at += n;
    return slice;
  };
  while (at < body.length) {
    const head = take(3);
    const rel = take(head.readUInt16BE(1)).toString('utf8');
    if (rel === '' || rel.startsWith('/') || rel.split('/').some((s) => s === '..' || s === '.' || s === '')) {
      throw new TemplateFormatError(`bad path ${JSON.stringify(rel)}`);
    }
    const to = path.join(target, rel);
    if (head[0] === 0x64) fs.mkdirSync(to, { mode: 0o700 });
    else if (head[0] === 0x66) fs.writeFileSync(to, take(take(4).readUInt32BE(0)), { mode: 0o600, flag: 'wx' });
    else throw new TemplateFormatError(`bad entry type ${head[0]}`);
  }
}

/**
 * Packs the closed cluster in `pgdata` into `dir` as the template of
 * `manifest.migrations`, replacing older templates of this PGlite release
 * and templates of other releases. Safe against a concurrent writer: each
 * writes its own temporary file and renames it into place.
 */
export function writeTemplate(dir: string, pgdata: string, manifest: Omit<TemplateManifest, 'sha256' | 'bytes'>): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const body = pack(pgdata);
  const full: TemplateManifest = { ...manifest, sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length };
  const file = path.join(dir, templateFileName(manifest.pglite, manifest.migrations));
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeSync(fd, MAGIC + JSON.stringify(full) + '\n');
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith(SUFFIX) && path.join(dir, name) !== file) fs.rmSync(path.join(dir, name), { force: true });
  }
  return file;
}

/** Reads and checks one template file; throws `TemplateFormatError` when it does not check out. */
function readTemplateFile(file: string): Template {
  const raw = fs.readFileSync(file);
  if (raw.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw new TemplateFormatError('not a template');
  const end = raw.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw new TemplateFormatError('no manifest');
  let manifest: TemplateManifest;
  try {
    manifest = JSON.parse(raw.subarray(MAGIC.length, end).toString('utf8')) as TemplateManifest;
  } catch {
    throw new TemplateFormatError('unreadable manifest');
  }
  const body = raw.subarray(end + 1);
  if (body.length !== manifest.bytes || createHash('sha256').update(body).digest('hex') !== manifest.sha256) {
    throw new TemplateFormatError('checksum mismatch');
  }
  return { file, manifest, body };
}

const isPrefix = (prefix: readonly string[], of: readonly string[]) => prefix.length <= of.length && prefix.every((name, i) => of[i] === name);

/**
 * The best template in `dir` for this PGlite release and these migrations:
 * the one with the most migrations, all of them among the first of
 * `migrations` in order (the rest are applied after it is unpacked). `null`
 * when there is none; `reason` says why usable-looking files were passed over.
 */
export function findTemplate(dir: string, pglite: string, migrations: readonly string[]): { template: Template | null; skipped: string[] } {
  const skipped: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.startsWith(`pglite-${pglite}-`) && name.endsWith(SUFFIX));
  } catch {
    return { template: null, skipped };
  }
  const candidates: Template[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const template = readTemplateFile(file);
      if (template.manifest.pglite !== pglite || !isPrefix(template.manifest.migrations, migrations)) {
        skipped.push(`${file}: made for other migrations`);
        continue;
      }
      candidates.push(template);
    } catch (err) {
      skipped.push(`${file}: ${err instanceof TemplateFormatError ? err.message : (err as Error).message}`);
    }
  }
  candidates.sort((a, b) => b.manifest.migrations.length - a.manifest.migrations.length);
  return { template: candidates[0] ?? null, skipped };
}

/**
 * Makes `pgdata` from `template`: unpacked beside it and renamed into place,
 * so a start that dies half-way leaves no half cluster that would pass for an
 * existing one. Throws when the body does not unpack.
 */
export function seedFromTemplate(template: Template, pgdata: string): void {
  const staging = `${pgdata}.seeding`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    unpack(template.body, staging);
    fs.renameSync(staging, pgdata);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Whether `pgdata` holds no cluster yet (missing, or an empty directory). */
export function isEmptyCluster(pgdata: string): boolean {
  try {
    return fs.readdirSync(pgdata).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

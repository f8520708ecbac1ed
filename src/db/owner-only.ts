import fs from 'node:fs';
import path from 'node:path';

/**
 * Takes group and other permissions off `root` and everything under it
 * (directories 0700, files keep only their owner bits). The data directory
 * holds password hashes, token hashes (in the tables and the WAL) and the
 * session key. Symbolic links are neither followed nor changed. Called on
 * PGlite's own thread (db/embedded-worker.ts) between its start and its first
 * statement, so no file appears or vanishes during the walk.
 */
export function restrictToOwner(root: string): void {
  const stat = fs.lstatSync(root);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== 0o700) fs.chmodSync(root, 0o700);
    for (const name of fs.readdirSync(root)) restrictToOwner(path.join(root, name));
  } else if ((stat.mode & 0o077) !== 0) {
    fs.chmodSync(root, stat.mode & 0o700);
  }
}

/**
 * Makes every file this process creates from now on owner-only. Only the
 * server calls it (the umask is process-wide, and the server creates files
 * only in the data directory and in private temporary directories): PGlite
 * writes some files with plain `fopen` while it runs, and those would
 * otherwise follow the inherited umask until the next start fixes them.
 */
export function createFilesOwnerOnly(): void {
  process.umask(0o077);
}

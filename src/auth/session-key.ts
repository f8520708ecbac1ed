import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SessionKey {
  readonly key: Uint8Array;
  /** Where it came from: `JWT_KEY`, a file in the data directory, or made up for this process only. */
  readonly source: 'configured' | 'data-dir' | 'ephemeral';
}

/** What the key depends on (the server's `Config` fits). */
export interface SessionKeySettings {
  readonly auth: { readonly jwtKey: string | null };
  readonly database: { readonly kind: 'embedded'; readonly dataDir: string } | { readonly kind: 'postgres' };
}

const KEY_FILE = 'session.key';

/**
 * The HS256 key for session tokens. `JWT_KEY` wins; with the embedded database
 * a random key is generated once and kept in the data directory, so sessions
 * survive restarts; with PostgreSQL and no `JWT_KEY` the key lives only as long
 * as this process (the caller warns about it).
 */
export function resolveSessionKey(config: SessionKeySettings): SessionKey {
  if (config.auth.jwtKey !== null) return { key: new TextEncoder().encode(config.auth.jwtKey), source: 'configured' };
  if (config.database.kind === 'embedded') {
    const file = path.join(config.database.dataDir, KEY_FILE);
    try {
      return { key: new Uint8Array(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url')), source: 'data-dir' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const key = randomBytes(48);
    fs.mkdirSync(config.database.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    return { key: new Uint8Array(key), source: 'data-dir' };
  }
  return { key: new Uint8Array(randomBytes(48)), source: 'ephemeral' };
}

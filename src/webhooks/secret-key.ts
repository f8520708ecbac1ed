import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What the key depends on (the server's `Config` fits). */
export interface WebhookKeySettings {
  readonly webhooks: { readonly secretKey: Uint8Array | null };
  readonly database: { readonly kind: 'embedded'; readonly dataDir: string } | { readonly kind: 'postgres' };
}

const KEY_FILE = 'webhook-secret.key';

/**
 * The key that seals webhook signing secrets. `WEBHOOK_SECRET_KEY` wins; with
 * the embedded database one is generated on first start and kept owner-only in
 * the data directory (like the session key); with PostgreSQL and no
 * `WEBHOOK_SECRET_KEY`, `null`: webhooks are off (every replica must share the key).
 */
export function resolveWebhookSecretKey(config: WebhookKeySettings): Uint8Array | null {
  if (config.webhooks.secretKey !== null) return config.webhooks.secretKey;
  if (config.database.kind !== 'embedded') return null;
  const file = path.join(config.database.dataDir, KEY_FILE);
  try {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return new Uint8Array(key);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  fs.mkdirSync(config.database.dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return new Uint8Array(key);
}

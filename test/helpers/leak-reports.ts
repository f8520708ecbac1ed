import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface Match {
  token: string;
  type?: string;
  url?: string;
  source?: string;
}

export const URL_FOUND = 'https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002/foo/bar.txt';

/**
 * A secret-scanning partner for `POST /v1.0/accesskeys/leaks`: its key pair and a stranger's, the
 * `LEAK_REPORT_KEYS` file (in a scratch folder `dir`, removed after all tests), and reports signed by
 * either. Call it at the top of a test file.
 */
export function leakPartner() {
  const dir = mkdtempSync(path.join(tmpdir(), 'leaks-'));
  const partner = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pemOf = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }) as string;
  /** GitHub's key identifier: the SHA-256 hex of the key's PEM. */
  const PARTNER_ID = sha256(pemOf(partner.publicKey));
  const STRANGER_ID = sha256(pemOf(stranger.publicKey));
  const KEYS_FILE = path.join(dir, 'secret-scanning.pem');
  // Two keys in the file, as GitHub publishes several: the partner's is the second.
  writeFileSync(KEYS_FILE, `${pemOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey)}${pemOf(partner.publicKey)}`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const payload = (matches: Match[]) => JSON.stringify(matches.map((m) => ({ token: m.token, type: m.type ?? 'vb_access_key', url: m.url ?? URL_FOUND, source: m.source ?? 'content' })));
  const signature = (body: string | Buffer, key: KeyObject = partner.privateKey) => sign('sha256', Buffer.from(body), key).toString('base64');
  const signedHeaders = (body: string | Buffer, id = PARTNER_ID, key: KeyObject = partner.privateKey) => ({
    'github-public-key-identifier': id,
    'github-public-key-signature': signature(body, key),
  });
  return { dir, KEYS_FILE, partner, stranger, PARTNER_ID, STRANGER_ID, payload, signature, signedHeaders };
}

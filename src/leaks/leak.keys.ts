import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** A public key that may sign leak reports, under the identifier reporters name it by. */
export interface LeakReportKey {
  /** SHA-256 hex of the key's canonical PEM (see `leakKeyIdentifier`). */
  readonly id: string;
  readonly key: KeyObject;
}

/**
 * A key's identifier: the lowercase SHA-256 hex of its canonical PEM (SPKI,
 * base64 in 64-character lines, LF line ends, a final newline), which is
 * exactly how GitHub names its secret-scanning keys (`key_identifier` in
 * https://api.github.com/meta/public_keys/secret_scanning). The same value is
 * `openssl pkey -pubin -in key.pem | sha256sum`, so a key's identifier does
 * not depend on how its PEM was wrapped in the configured file.
 */
export function leakKeyIdentifier(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'pem' })).digest('hex');
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

/**
 * The ECDSA P-256 public keys in PEM text (one or more `BEGIN PUBLIC KEY`
 * blocks; anything between blocks is ignored). Throws an `Error` saying what
 * is wrong: no such block, a block that is not a key, or a key of another kind.
 */
export function parseLeakReportKeys(pem: string): LeakReportKey[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new Error('holds no public key (expected one or more "-----BEGIN PUBLIC KEY-----" blocks)');
  const keys = new Map<string, LeakReportKey>();
  blocks.forEach((block, i) => {
    let key: KeyObject;
    try {
      key = createPublicKey(block);
    } catch {
      throw new Error(`public key ${i + 1} is not a valid PEM public key`);
    }
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
      throw new Error(`public key ${i + 1} is not an ECDSA P-256 key (it is ${key.asymmetricKeyType}${curve ? ` ${curve}` : ''})`);
    }
    const id = leakKeyIdentifier(key);
    keys.set(id, { id, key });
  });
  return [...keys.values()];
}

/** A DER ECDSA P-256 signature is at most 72 bytes: 96 base64 characters; anything much longer is refused unread. */
const MAX_SIGNATURE_CHARS = 200;

/** Checks a leak report's signature against the configured keys. */
export class LeakSignatures {
  private readonly byId: ReadonlyMap<string, KeyObject>;

  constructor(keys: readonly LeakReportKey[]) {
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** False when no key is configured: then every report is refused. */
  get enabled(): boolean {
    return this.byId.size > 0;
  }

  /**
   * True when `signature` (base64 DER, as GitHub sends it) is an ECDSA
   * P-256 / SHA-256 signature of exactly `body` by the key named `identifier`.
   */
  verify(identifier: string, signature: string, body: Buffer): boolean {
    const key = this.byId.get(identifier.trim().toLowerCase());
    if (!key || signature.length === 0 || signature.length > MAX_SIGNATURE_CHARS) return false;
    try {
      return verify('sha256', body, key, Buffer.from(signature.trim(), 'base64'));
    } catch {
      // Not DER at all.
      return false;
    }
  }
}

import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/**
 * Salted scrypt hashes (`scrypt$N$r$p$salt$hash`, base64url). Verification
 * always does the same work, also for unknown users, so timing reveals nothing.
 */
export class PasswordHasher {
  private readonly dummy: Promise<string>;

  constructor() {
    this.dummy = this.hash(randomBytes(16).toString('hex'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
    return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Checks a password against a stored hash, or against a dummy hash when `stored` is `null`. */
  async verify(password: string, stored: string | null): Promise<boolean> {
    const encoded = stored ?? (await this.dummy);
    const [scheme, n, r, p, salt, expected] = encoded.split('$');
    if (scheme !== 'scrypt' || !salt || !expected) return false;
    const expectedKey = Buffer.from(expected, 'base64url');
    const key = await scrypt(password, Buffer.from(salt, 'base64url'), expectedKey.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: 64 * 1024 * 1024,
    });
    return timingSafeEqual(key, expectedKey) && stored !== null;
  }
}

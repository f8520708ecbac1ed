import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const TOKEN_PREFIX = 'vb_';
const RANDOM_LENGTH = 26;
const CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
/** `vb_` plus the first eight characters: enough to tell keys apart, useless to an attacker. */
export const DISPLAY_PREFIX_LENGTH = 11;

const SHAPE = /^vb_[0-9A-Za-z]{32}$/;

function base62(n: number, width: number): string {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = ALPHABET[v % 62] + out;
  return out.padStart(width, '0');
}

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: rejecting the rest keeps every character equally likely.
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function checksum(body: string): string {
  return base62(crc32(body), CHECKSUM_LENGTH);
}

/** A new token: `vb_` + 26 CSPRNG base62 characters + a 6-character base62 CRC32 of what precedes it. */
export function generateToken(): string {
  const body = TOKEN_PREFIX + randomBase62(RANDOM_LENGTH);
  return body + checksum(body);
}

/** True when the text has a token's shape and its checksum matches; needs no I/O. */
export function isWellFormedToken(text: string): boolean {
  if (text.length !== TOKEN_LENGTH || !SHAPE.test(text)) return false;
  const split = TOKEN_LENGTH - CHECKSUM_LENGTH;
  return checksum(text.slice(0, split)) === text.slice(split);
}

/** Lowercase hex SHA-256: the only form of a token that is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** RFC 8959's URI scheme for secrets: `secret-token:vb_…` is accepted wherever a token is. */
export const SECRET_TOKEN_SCHEME = 'secret-token:';

/**
 * The token inside an RFC 8959 `secret-token:` URI (the scheme compared
 * without regard to case), or the text unchanged. Nothing else is trimmed.
 */
export function withoutSecretTokenScheme(text: string): string {
  return text.slice(0, SECRET_TOKEN_SCHEME.length).toLowerCase() === SECRET_TOKEN_SCHEME ? text.slice(SECRET_TOKEN_SCHEME.length) : text;
}

export function displayPrefix(token: string): string {
  return token.slice(0, DISPLAY_PREFIX_LENGTH);
}

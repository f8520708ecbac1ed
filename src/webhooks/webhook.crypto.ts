import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Standard Webhooks' form of a signing secret: `whsec_` and the base64 of the key. */
export const SECRET_PREFIX = 'whsec_';
/** 32 random bytes (the spec asks for 24 to 64). */
const SECRET_BYTES = 32;
const SEALED_VERSION = 'v1';

export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/**
 * Seals signing secrets at rest with AES-256-GCM under `WEBHOOK_SECRET_KEY`.
 * The endpoint's id is the additional data, so a sealed secret copied onto
 * another endpoint's row does not open.
 */
export class SecretBox {
  constructor(private readonly key: Uint8Array) {
    if (key.length !== 32) throw new Error('the webhook secret key must be 32 bytes');
  }

  seal(secret: string, endpointId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(endpointId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${SEALED_VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string, endpointId: string): string {
    const [version, data] = sealed.split(':');
    if (version !== SEALED_VERSION || data === undefined) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(data, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(endpointId, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

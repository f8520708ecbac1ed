/** The PostgreSQL channel every replica listens on. */
export const INVALIDATION_CHANNEL = 'akd_auth';

/** What a replica must forget: never a secret (a token hash authenticates nothing). */
export type Invalidation = { readonly kind: 'key'; readonly tokenHash: string } | { readonly kind: 'agent'; readonly id: string };

/** The payload of a notification: `k:<token hash>` or `a:<agent id>`. */
export function encodeInvalidation(inv: Invalidation): string {
  return inv.kind === 'key' ? `k:${inv.tokenHash}` : `a:${inv.id}`;
}

export function decodeInvalidation(payload: string): Invalidation | null {
  const kind = payload.slice(0, 2);
  const value = payload.slice(2);
  if (kind === 'k:' && /^[0-9a-f]{64}$/.test(value)) return { kind: 'key', tokenHash: value };
  if (kind === 'a:' && /^[0-9a-f-]{36}$/.test(value)) return { kind: 'agent', id: value };
  return null;
}

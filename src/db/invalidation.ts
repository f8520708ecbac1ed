/** The PostgreSQL channel every replica listens on. */
export const INVALIDATION_CHANNEL = 'akd_auth';

/** What a replica must forget: never a secret (a token hash authenticates nothing). */
export type Invalidation = { readonly kind: 'key'; readonly tokenHash: string } | { readonly kind: 'agent'; readonly id: string };

/** The payload's prefix per kind: `k:<token hash>` or `a:<agent id>`. */
const PREFIX = { key: 'k:', agent: 'a:' } as const satisfies Record<Invalidation['kind'], string>;

/** The payload of a notification: `k:<token hash>` or `a:<agent id>`. */
export function encodeInvalidation(inv: Invalidation): string {
  return inv.kind === 'key' ? `${PREFIX.key}${inv.tokenHash}` : `${PREFIX.agent}${inv.id}`;
}

export function decodeInvalidation(payload: string): Invalidation | null {
  const kind = payload.slice(0, 2);
  const value = payload.slice(2);
  if (kind === PREFIX.key && /^[0-9a-f]{64}$/.test(value)) return { kind: 'key', tokenHash: value };
  if (kind === PREFIX.agent && /^[0-9a-f-]{36}$/.test(value)) return { kind: 'agent', id: value };
  return null;
}

/**
 * The payload as a SQL expression, for a statement that notifies about its own
 * rows: `expression` is trusted SQL (a column of the statement or a `$n`
 * parameter, never input text) yielding the token hash (`kind` key) or the
 * agent id (`kind` agent). PostgreSQL builds what `encodeInvalidation` builds.
 */
export function invalidationPayloadSql(kind: Invalidation['kind'], expression: string): string {
  return `'${PREFIX[kind]}' || (${expression})::text`;
}

/** The SQL call that sends an invalidation from inside a statement (delivered when its transaction commits). */
export function notifyInvalidationSql(kind: Invalidation['kind'], expression: string): string {
  return `pg_notify('${INVALIDATION_CHANNEL}', ${invalidationPayloadSql(kind, expression)})`;
}

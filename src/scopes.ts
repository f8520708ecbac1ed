/** The closed set of scopes a key may carry. */
export const SCOPES = ['accesskeys:read', 'accesskeys:write', 'accesskeys:verify'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Every action that needs more than a valid credential. They are named like
 * the key scopes: an access key may do an action only if it carries that scope
 * (the rule is auth/permissions.ts's `isAllowed`). One list: the type, `me.allowedActions`
 * and its description read it.
 */
export const ACTIONS = [...SCOPES, 'audit:read', 'canaries:read', 'webhooks:manage'] as const;
export type Action = (typeof ACTIONS)[number];

/** What keys created over REST, and keys that existed before scopes, carry. */
export const DEFAULT_SCOPES: readonly Scope[] = ['accesskeys:read', 'accesskeys:write'];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/** Scopes in the canonical order of `SCOPES`, so stored and shown lists do not depend on how they were asked for. */
export function canonicalScopes(scopes: readonly Scope[]): Scope[] {
  return SCOPES.filter((s) => scopes.includes(s));
}

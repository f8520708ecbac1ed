/**
 * What the domain reports for metrics. Services and the authenticator call
 * these; the HTTP layer turns them into Prometheus series. The defaults do nothing.
 */
export type CredentialKind = 'accesskey' | 'session' | 'none';
export type AuthOutcome = 'ok' | 'missing' | 'malformed' | 'unknown' | 'expired' | 'deleted' | 'disabled' | 'revoked';

export interface Observer {
  authenticated(credential: CredentialKind, outcome: AuthOutcome): void;
  accesskeyCreated(): void;
  accesskeyDeleted(): void;
  /** A live canary key's token was presented (auth/canary.ts). */
  canaryUsed(): void;
  /** A usable key's use was refused by its usage policy (src/policy/). */
  policyRefused(reason: PolicyRefusal): void;
}

/** Why a key's usage policy refused a use. */
export type PolicyRefusal = 'IP_NOT_ALLOWED' | 'RATE_LIMITED' | 'USAGE_EXCEEDED';

export const noopObserver: Observer = {
  authenticated: () => undefined,
  accesskeyCreated: () => undefined,
  accesskeyDeleted: () => undefined,
  canaryUsed: () => undefined,
  policyRefused: () => undefined,
};

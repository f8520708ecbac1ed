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
}

export const noopObserver: Observer = {
  authenticated: () => undefined,
  accesskeyCreated: () => undefined,
  accesskeyDeleted: () => undefined,
  canaryUsed: () => undefined,
};

import { withoutSecretTokenScheme } from '../keys/token';
import type { Authenticator } from '../auth/authenticator';
import type { UseSite } from '../context';
import type { Instant } from '../time';
import type { Scope } from '../scopes';

/** Why a token verified or not; the verifying service may learn it, the token's holder only ever sees 401. */
export type VerificationCode = 'VALID' | 'MALFORMED' | 'NOT_FOUND' | 'EXPIRED' | 'DISABLED' | 'DELETED';

export type Verification =
  | {
      readonly valid: true;
      readonly code: 'VALID';
      readonly accesskeyId: string;
      readonly customerId: string;
      readonly scopes: readonly Scope[];
      readonly tmExpire: Instant;
    }
  | { readonly valid: false; readonly code: Exclude<VerificationCode, 'VALID'> };

/**
 * Told of every successful verification: a verification counts as a use of
 * the verified key. The seam for "last used" tracking; does nothing yet.
 */
export interface VerificationListener {
  onVerified(accesskeyId: string): void;
}

export const noopVerificationListener: VerificationListener = { onVerified: () => undefined };

const CODES = { malformed: 'MALFORMED', unknown: 'NOT_FOUND', expired: 'EXPIRED', disabled: 'DISABLED', deleted: 'DELETED' } as const;

export interface VerifyServiceDeps {
  readonly authenticator: Pick<Authenticator, 'inspectToken'>;
  /** Hears each successful verification (default: nobody). */
  readonly listener?: VerificationListener;
}

/** Verification of tokens for services (`accesskeys:verify` callers), on the authentication hot path. */
export class VerifyService {
  private readonly authenticator: Pick<Authenticator, 'inspectToken'>;
  private readonly listener: VerificationListener;

  constructor(deps: VerifyServiceDeps) {
    this.authenticator = deps.authenticator;
    this.listener = deps.listener ?? noopVerificationListener;
  }

  /**
   * Verifies any customer's token. The token must be exact: surrounding
   * whitespace makes it MALFORMED (as it would fail as a credential). A canary
   * is NOT_FOUND, and its use is recorded with `site` (the verifying request).
   */
  async verify(token: string, site: UseSite | null = null): Promise<Verification> {
    const { state, key } = await this.authenticator.inspectToken(withoutSecretTokenScheme(token), site);
    if (state !== 'usable') return { valid: false, code: CODES[state] };
    this.listener.onVerified(key.id);
    return { valid: true, code: 'VALID', accesskeyId: key.id, customerId: key.customerId, scopes: key.scopes, tmExpire: key.tmExpire };
  }
}

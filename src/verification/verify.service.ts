import { withoutSecretTokenScheme } from '../keys/token';
import type { Authenticator } from '../auth/authenticator';
import type { Origin } from '../context';
import type { Instant } from '../time';
import type { Scope } from '../scopes';

import type { VerificationCode } from './verify.codes';

export type { VerificationCode } from './verify.codes';

/** What every answer says of the key's limits (all null for a key without policy, or not usable). */
export interface VerificationLimits {
  /** The key's standing in its rate-limit window after this use; `resetSeconds` until the window resets. */
  readonly rateLimit: { readonly limit: number; readonly remaining: number; readonly resetSeconds: number } | null;
  /** Credits left after this use; null when the key has none. */
  readonly creditsRemaining: number | null;
  /** The owner's free-form data on the key; given for a usable key, refused by its policy or not. */
  readonly meta: Record<string, unknown> | null;
}

export type Verification = VerificationLimits &
  (
    | {
        readonly valid: true;
        readonly code: 'VALID';
        readonly accesskeyId: string;
        readonly customerId: string;
        readonly scopes: readonly Scope[];
        readonly tmExpire: Instant;
      }
    | { readonly valid: false; readonly code: Exclude<VerificationCode, 'VALID'> }
  );

const NO_LIMITS: VerificationLimits = { rateLimit: null, creditsRemaining: null, meta: null };

/**
 * Told of every successful verification: a verification counts as a use of
 * the verified key. The seam for "last used" tracking; does nothing yet.
 */
export interface VerificationListener {
  onVerified(accesskeyId: string): void;
}

export const noopVerificationListener: VerificationListener = { onVerified: () => undefined };

/** The code of each state of a key that is not usable. */
const CODES = { malformed: 'MALFORMED', unknown: 'NOT_FOUND', expired: 'EXPIRED', disabled: 'DISABLED', deleted: 'DELETED' } as const satisfies Record<
  string,
  Exclude<VerificationCode, 'VALID'>
>;

export interface VerifyServiceDeps {
  readonly authenticator: Pick<Authenticator, 'inspectToken' | 'decide' | 'refusedByState'>;
  /** Hears each successful verification (default: nobody). */
  readonly listener?: VerificationListener;
}

/** Verification of tokens for services (`accesskeys:verify` callers), on the authentication hot path. */
export class VerifyService {
  private readonly authenticator: Pick<Authenticator, 'inspectToken' | 'decide' | 'refusedByState'>;
  private readonly listener: VerificationListener;

  constructor(deps: VerifyServiceDeps) {
    this.authenticator = deps.authenticator;
    this.listener = deps.listener ?? noopVerificationListener;
  }

  /**
   * Verifies any customer's token. The token must be exact: surrounding
   * whitespace makes it MALFORMED (as it would fail as a credential). A canary
   * is NOT_FOUND, and its use is recorded with `site` (the verifying request).
   * A usable key's use goes through its usage policy, the decision
   * authentication makes, from `clientIp` (the address the gateway's caller
   * came from; a key with an allowlist refuses a use without one).
   */
  async verify(token: string, site: Origin | null = null, clientIp: string | null = null): Promise<Verification> {
    const inspection = await this.authenticator.inspectToken(withoutSecretTokenScheme(token), site);
    if (inspection.key === null) return { valid: false, code: CODES[inspection.state], ...NO_LIMITS };
    const { state, key } = inspection;
    if (state !== 'usable') {
      this.authenticator.refusedByState(key, state);
      return { valid: false, code: CODES[state], ...NO_LIMITS };
    }
    const decision = await this.authenticator.decide(key, clientIp);
    const limits: VerificationLimits = { rateLimit: decision.rateLimit, creditsRemaining: decision.creditsRemaining, meta: key.policy?.meta ?? null };
    if (decision.outcome !== 'VALID') return { valid: false, code: decision.outcome, ...limits };
    this.listener.onVerified(key.id);
    return { valid: true, code: 'VALID', accesskeyId: key.id, customerId: key.customerId, scopes: key.scopes, tmExpire: key.tmExpire, ...limits };
  }
}

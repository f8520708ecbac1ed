import type { KeyPolicy } from '../keys/key-policy';
import type { CreditSpend } from '../keys/accesskey.store';
import { noopObserver } from '../observability';
import type { Observer } from '../observability';
import type { Clock, Instant } from '../time';
import { ipAllowed } from './ip';
import type { KeyRateLimiter, RateLimitState } from './rate-limiter';
import { noUsageCounts } from './usage-counter';
import type { UsageCounterSink } from './usage-counter';

/** What a policy may answer a use of a usable key. */
export type PolicyOutcome = 'VALID' | 'IP_NOT_ALLOWED' | 'RATE_LIMITED' | 'USAGE_EXCEEDED';

/** The decision on one use, with what the caller is told of the key's limits. */
export interface PolicyDecision {
  readonly outcome: PolicyOutcome;
  /** The key's standing in its rate-limit window; `null` without a rate limit, or when refused before it was counted. */
  readonly rateLimit: RateLimitState | null;
  /** Credits left after this use; `null` without credits, or when refused before they were spent. */
  readonly creditsRemaining: number | null;
}

/** A key as the decision needs it. */
export interface PolicyKey {
  readonly id: string;
  readonly policy: KeyPolicy | null;
}

export interface PolicyEnforcerDeps {
  readonly clock: Clock;
  readonly rateLimiter: KeyRateLimiter;
  /** Spends one credit exactly (the key store's conditional UPDATE). */
  readonly credits: { spendCredit(id: string, now: Instant): Promise<CreditSpend> };
  readonly usage?: UsageCounterSink;
  readonly observer?: Observer;
}

const ALLOWED: PolicyDecision = { outcome: 'VALID', rateLimit: null, creditsRemaining: null };

/**
 * The one decision on every use of a usable key, by every transport and by
 * verification, in this order: IP allowed → rate limit → credits. A refusal
 * stops there: a refused address counts against no limit, a rate-limited use
 * spends no credit. A key without policy costs nothing here (no I/O); a rate
 * limit costs what its store costs; credits one conditional UPDATE.
 */
export class PolicyEnforcer {
  private readonly usage: UsageCounterSink;
  private readonly observer: Observer;

  constructor(private readonly deps: PolicyEnforcerDeps) {
    this.usage = deps.usage ?? noUsageCounts;
    this.observer = deps.observer ?? noopObserver;
  }

  /** Decides on one use of a usable key presented from `clientIp` (`null`: unknown), and counts it. */
  async decide(key: PolicyKey, clientIp: string | null): Promise<PolicyDecision> {
    const decision = key.policy ? await this.check(key.id, key.policy, clientIp) : ALLOWED;
    this.usage.count(key.id, decision.outcome);
    if (decision.outcome !== 'VALID') this.observer.policyRefused(decision.outcome);
    return decision;
  }

  /** Counts a use of a key that is not usable (analytics only). */
  refusedByState(keyId: string, state: 'disabled' | 'expired' | 'deleted'): void {
    this.usage.count(keyId, state === 'disabled' ? 'DISABLED' : state === 'expired' ? 'EXPIRED' : 'DELETED');
  }

  private async check(keyId: string, policy: KeyPolicy, clientIp: string | null): Promise<PolicyDecision> {
    if (policy.allowedCidrs !== null && !ipAllowed(clientIp, policy.allowedCidrs)) return { outcome: 'IP_NOT_ALLOWED', rateLimit: null, creditsRemaining: null };
    const rateLimit = policy.rateLimit ? await this.deps.rateLimiter.consume(keyId, policy.rateLimit) : null;
    if (rateLimit && !rateLimit.allowed) return { outcome: 'RATE_LIMITED', rateLimit, creditsRemaining: null };
    if (!policy.hasCredits) return { outcome: 'VALID', rateLimit, creditsRemaining: null };
    const spend = await this.deps.credits.spendCredit(keyId, this.deps.clock.now());
    if (spend.outcome === 'exhausted') return { outcome: 'USAGE_EXCEEDED', rateLimit, creditsRemaining: 0 };
    return { outcome: 'VALID', rateLimit, creditsRemaining: spend.outcome === 'spent' ? spend.remaining : null };
  }
}

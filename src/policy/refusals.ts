import { AppError, RateLimitedError } from '../errors';
import type { PolicyDecision } from './enforcer';

/**
 * The error a refused use is answered with, on both transports (the edges map
 * the codes: 429 RESOURCE_EXHAUSTED, 403 PERMISSION_DENIED). The reason names
 * the policy.
 */
export function policyRefusal(decision: PolicyDecision): AppError | null {
  switch (decision.outcome) {
    case 'VALID':
      return null;
    case 'IP_NOT_ALLOWED':
      return new AppError('PERMISSION_DENIED', 'IP_NOT_ALLOWED', 'The access key may not be used from this address.');
    case 'RATE_LIMITED':
      return new RateLimitedError(decision.rateLimit?.resetSeconds ?? 1, 'RATE_LIMITED', "The access key's rate limit is reached. Try again later.");
    case 'USAGE_EXCEEDED':
      return new AppError('RESOURCE_EXHAUSTED', 'CREDITS_EXHAUSTED', 'The access key has no credits left.');
  }
}

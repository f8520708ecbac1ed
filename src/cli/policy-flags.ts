import type { AccesskeyPolicyInput } from '../accesskeys/accesskey-policy.inputs';
import type { Accesskey } from '../keys/accesskey.entity';
import { UsageError } from './args';

/** `N/M` as two whole numbers, or a usage error naming the flag. */
function pair(flag: string, value: string): [number, string] {
  const m = /^(\d+)\/([A-Za-z0-9]+)$/.exec(value.trim());
  if (!m) throw new UsageError(`--${flag} must look like ${flag === 'refill' ? '1000/daily' : '100/60'} (got "${value}")`);
  return [Number(m[1]), m[2]];
}

/**
 * The usage policy flags of `accesskey create` and `accesskey policy`:
 * `--rate-limit 100/60` (uses per seconds), `--credits 1000`, `--refill 1000/daily|monthly`,
 * `--allow 10.0.0.0/8,2001:db8::/32`, `--meta '{"plan":"pro"}'`; `none` clears one
 * (`accesskey policy`). A flag left out changes nothing. The values are checked
 * by the service (the same rules as GraphQL).
 */
export function policyFlags(flags: Map<string, string>): AccesskeyPolicyInput {
  const input: AccesskeyPolicyInput = {};
  const none = (name: string) => flags.get(name)?.trim().toLowerCase() === 'none';
  const rate = flags.get('rate-limit');
  if (rate !== undefined) {
    if (none('rate-limit')) input.rateLimit = null;
    else {
      const [limit, window] = pair('rate-limit', rate);
      if (!/^\d+$/.test(window)) throw new UsageError(`--rate-limit must look like 100/60: uses per that many seconds (got "${rate}")`);
      input.rateLimit = { limit, windowSeconds: Number(window) };
    }
  }
  const credits = flags.get('credits');
  const refill = flags.get('refill');
  if (credits !== undefined) {
    if (none('credits')) {
      if (refill !== undefined) throw new UsageError('--refill needs --credits');
      input.credits = null;
    } else {
      if (!/^\d+$/.test(credits.trim())) throw new UsageError(`--credits must be a whole number, or none (got "${credits}")`);
      let refillInput: NonNullable<AccesskeyPolicyInput['credits']>['refill'] = null;
      if (refill !== undefined) {
        const [amount, interval] = pair('refill', refill);
        const upper = interval.toUpperCase();
        if (upper !== 'DAILY' && upper !== 'MONTHLY') throw new UsageError(`--refill interval must be daily or monthly (got "${interval}")`);
        refillInput = { amount, interval: upper };
      }
      input.credits = { remaining: Number(credits.trim()), refill: refillInput };
    }
  } else if (refill !== undefined) throw new UsageError('--refill needs --credits');
  const allow = flags.get('allow');
  if (allow !== undefined) input.allowedCidrs = none('allow') ? null : allow.split(',').map((s) => s.trim());
  const meta = flags.get('meta');
  if (meta !== undefined) {
    if (none('meta')) input.meta = null;
    else {
      try {
        input.meta = JSON.parse(meta) as Record<string, unknown>;
      } catch {
        throw new UsageError('--meta must be a JSON object, or none');
      }
    }
  }
  return input;
}

/** A key's policy as the CLI prints it. */
export function policyWire(key: Accesskey) {
  const credits = key.credits;
  return {
    rate_limit: key.rateLimit && { limit: key.rateLimit.limit, window_seconds: key.rateLimit.windowSeconds },
    credits: credits && {
      remaining: credits.remaining,
      refill: credits.refill && { amount: credits.refill.amount, interval: credits.refill.interval.toLowerCase() },
      tm_last_refill: credits.tmLastRefill ? credits.tmLastRefill.toISOString() : null,
    },
    allowed_cidrs: key.allowedCidrs,
    meta: key.meta,
  };
}

import { invalidArgument } from '../errors';
import { MAX_META_BYTES, REFILL_INTERVALS } from '../keys/key-policy';
import type { Accesskey } from '../keys/accesskey.entity';
import type { PolicyChange } from '../keys/accesskey.store';
import type { AuditJson } from '../audit/audit.types';
import { MAX_ALLOWED_CIDRS, canonicalCidr, parseCidr } from '../policy/ip';
import type { AccesskeyPolicyInput } from './accesskey-policy.inputs';

const MAX_LIMIT = 1_000_000_000;
const MAX_WINDOW_SECONDS = 2_592_000;
const MAX_CREDITS = 2_147_483_647;

const wholeIn = (value: unknown, min: number, max: number): value is number => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/**
 * Checks a policy input and turns it into the columns it changes: a field left
 * out is not changed, `null` clears it. Refusals name the field at fault
 * (`rateLimit.limit`, `allowedCidrs[2]`, `meta`).
 */
export function parsePolicyChange(input: AccesskeyPolicyInput): PolicyChange {
  const change: { -readonly [K in keyof PolicyChange]: PolicyChange[K] } = {};
  const { rateLimit, credits, allowedCidrs, meta } = input;
  if (rateLimit === null) change.rateLimit = null;
  else if (rateLimit !== undefined) {
    if (!wholeIn(rateLimit.limit, 1, MAX_LIMIT)) throw invalidArgument('rateLimit.limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
    if (!wholeIn(rateLimit.windowSeconds, 1, MAX_WINDOW_SECONDS)) throw invalidArgument('rateLimit.windowSeconds', `must be a whole number from 1 to ${MAX_WINDOW_SECONDS}`);
    change.rateLimit = { limit: rateLimit.limit, windowSeconds: rateLimit.windowSeconds };
  }
  if (credits === null) change.credits = null;
  else if (credits !== undefined) {
    if (!wholeIn(credits.remaining, 0, MAX_CREDITS)) throw invalidArgument('credits.remaining', `must be a whole number from 0 to ${MAX_CREDITS}`);
    const refill = credits.refill ?? null;
    if (refill && !wholeIn(refill.amount, 1, MAX_CREDITS)) throw invalidArgument('credits.refill.amount', `must be a whole number from 1 to ${MAX_CREDITS}`);
    if (refill && !(REFILL_INTERVALS as readonly string[]).includes(refill.interval)) {
      throw invalidArgument('credits.refill.interval', `must be one of ${REFILL_INTERVALS.join(', ')}`);
    }
    change.credits = { remaining: credits.remaining, refill: refill && { amount: refill.amount, interval: refill.interval } };
  }
  if (allowedCidrs === null) change.allowedCidrs = null;
  else if (allowedCidrs !== undefined) change.allowedCidrs = parseAllowlist(allowedCidrs);
  if (meta === null) change.meta = null;
  else if (meta !== undefined) change.meta = parseMeta(meta);
  return change;
}

function parseAllowlist(entries: readonly unknown[]): string[] {
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ALLOWED_CIDRS) {
    throw invalidArgument('allowedCidrs', `must hold 1 to ${MAX_ALLOWED_CIDRS} entries (null: any address)`);
  }
  const canonical = entries.map((entry, i) => {
    const range = typeof entry === 'string' ? parseCidr(entry.trim()) : null;
    if (!range) throw invalidArgument(`allowedCidrs[${i}]`, 'must be an IPv4 or IPv6 address or CIDR, such as 10.0.0.0/8 or 2001:db8::/32');
    return canonicalCidr(range);
  });
  return [...new Set(canonical)];
}

function parseMeta(meta: unknown): Record<string, unknown> {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw invalidArgument('meta', 'must be a JSON object');
  const text = JSON.stringify(meta);
  // PostgreSQL's jsonb holds no NUL character, and the database's size rule counts jsonb's own text, which is never longer.
  if (text.includes('\\u0000')) throw invalidArgument('meta', 'must not contain NUL characters');
  if (Buffer.byteLength(text, 'utf8') > MAX_META_BYTES) throw invalidArgument('meta', `must be at most ${MAX_META_BYTES} bytes as JSON`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A key's policy as the audit trail records it (only what is set). */
export function describedPolicy(key: Accesskey): Record<string, AuditJson> {
  const credits = key.credits;
  return {
    ...(key.rateLimit ? { rate_limit: { limit: key.rateLimit.limit, window_seconds: key.rateLimit.windowSeconds } } : {}),
    ...(credits ? { credits: { remaining: credits.remaining, refill: credits.refill && { amount: credits.refill.amount, interval: credits.refill.interval } } } : {}),
    ...(key.allowedCidrs ? { allowed_cidrs: [...key.allowedCidrs] } : {}),
    ...(key.meta ? { meta: key.meta as AuditJson } : {}),
  };
}

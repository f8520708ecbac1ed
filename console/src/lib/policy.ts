/**
 * The usage-policy fields of the Create key and Edit policy dialogs: what the user typed, checked
 * before it is sent (clear messages next to each field), and turned into the API's input. Free of the
 * DOM and React so that Jest tests it (test/unit/console-logic.test.ts).
 *
 * Only the shape is checked here (a whole number, an address); the ranges the server allows are its
 * own (schema.graphql describes them) and a refusal names the field, shown as the API's message.
 */
import ipaddr from 'ipaddr.js';

/** The units the rate-limit window is typed in. */
export const WINDOW_UNITS = [
  { value: 'second', label: 'seconds', seconds: 1 },
  { value: 'minute', label: 'minutes', seconds: 60 },
  { value: 'hour', label: 'hours', seconds: 3600 },
  { value: 'day', label: 'days', seconds: 86400 },
] as const;
export type WindowUnit = (typeof WINDOW_UNITS)[number]['value'];

export const REFILL_CHOICES = [
  { value: 'DAILY', label: 'Every day' },
  { value: 'MONTHLY', label: 'Every month' },
] as const;
export type RefillChoice = (typeof REFILL_CHOICES)[number]['value'];

/** The fields as typed (strings, as inputs give them). */
export interface PolicyForm {
  readonly rateLimitOn: boolean;
  readonly limit: string;
  readonly window: string;
  readonly windowUnit: WindowUnit;
  readonly creditsOn: boolean;
  readonly remaining: string;
  readonly refillOn: boolean;
  readonly refillAmount: string;
  readonly refillInterval: RefillChoice;
  /** One address or CIDR per line (commas and spaces also separate); empty: any address. */
  readonly allowedIps: string;
}

export type PolicyField = 'limit' | 'window' | 'remaining' | 'refillAmount' | 'allowedIps';

/** What the API takes; `null`: none (no rate limit, unlimited uses, any address). */
export interface Policy {
  readonly rateLimit: { readonly limit: number; readonly windowSeconds: number } | null;
  readonly credits: { readonly remaining: number; readonly refill: { readonly amount: number; readonly interval: RefillChoice } | null } | null;
  readonly allowedCidrs: string[] | null;
}

export type PolicyResult = { readonly ok: true; readonly policy: Policy } | { readonly ok: false; readonly errors: Partial<Record<PolicyField, string>> };

export const EMPTY_POLICY_FORM: PolicyForm = {
  rateLimitOn: false,
  limit: '',
  window: '1',
  windowUnit: 'minute',
  creditsOn: false,
  remaining: '',
  refillOn: false,
  refillAmount: '',
  refillInterval: 'MONTHLY',
  allowedIps: '',
};

/** GraphQL's Int is 32-bit: a larger number would be refused as a malformed request, not as a field. */
const MAX_INT = 2_147_483_647;

/** A whole number of at least `min` typed in a field, or the message saying what is wrong. */
export function wholeNumber(text: string, min: number, what: string): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return `Enter ${what}.`;
  if (!/^\d+$/.test(trimmed)) return `Enter ${what} as a whole number.`;
  const value = Number(trimmed);
  if (value < min) return `Enter ${what} of at least ${min}.`;
  if (value > MAX_INT) return `Enter ${what} of at most ${MAX_INT.toLocaleString('en')}.`;
  return value;
}

/** Splits the allowed-IP text into entries (lines, commas or spaces). */
export function ipEntries(text: string): string[] {
  return text.split(/[\s,]+/).filter((entry) => entry !== '');
}

/** Whether an entry is an IPv4 or IPv6 address or CIDR, by the same library the server parses them with. */
export function isIpOrCidr(entry: string): boolean {
  try {
    if (entry.includes('/')) {
      ipaddr.parseCIDR(entry);
      return true;
    }
    return ipaddr.isValid(entry);
  } catch {
    return false;
  }
}

/** Checks the fields; every problem is named by its field, so each message sits beside its input. */
export function parsePolicyForm(form: PolicyForm): PolicyResult {
  const errors: Partial<Record<PolicyField, string>> = {};
  let rateLimit: Policy['rateLimit'] = null;
  if (form.rateLimitOn) {
    const limit = wholeNumber(form.limit, 1, 'the number of requests');
    const window = wholeNumber(form.window, 1, 'the window');
    const unit = WINDOW_UNITS.find((u) => u.value === form.windowUnit)?.seconds ?? 1;
    if (typeof limit === 'string') errors.limit = limit;
    if (typeof window === 'string') errors.window = window;
    else if (window * unit > MAX_INT) errors.window = 'Enter a shorter window.';
    if (typeof limit === 'number' && typeof window === 'number') rateLimit = { limit, windowSeconds: window * unit };
  }
  let credits: Policy['credits'] = null;
  if (form.creditsOn) {
    const remaining = wholeNumber(form.remaining, 0, 'the number of uses');
    if (typeof remaining === 'string') errors.remaining = remaining;
    let refill: { amount: number; interval: RefillChoice } | null = null;
    if (form.refillOn) {
      const amount = wholeNumber(form.refillAmount, 1, 'the refill amount');
      if (typeof amount === 'string') errors.refillAmount = amount;
      else refill = { amount, interval: form.refillInterval };
    }
    if (typeof remaining === 'number') credits = { remaining, refill };
  }
  const entries = ipEntries(form.allowedIps);
  const bad = entries.filter((entry) => !isIpOrCidr(entry));
  if (bad.length > 0) {
    errors.allowedIps = `Not an IP address or CIDR: ${bad.join(', ')}. Write one per line, such as 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, policy: { rateLimit, credits, allowedCidrs: entries.length > 0 ? entries : null } };
}

/** The fields that show a key's current policy (the Edit policy dialog starts from them). */
export function policyFormOf(key: {
  readonly rateLimit?: { readonly limit: number; readonly windowSeconds: number } | null;
  readonly credits?: { readonly remaining: number; readonly refill?: { readonly amount: number; readonly interval: RefillChoice } | null } | null;
  readonly allowedCidrs?: readonly string[] | null;
}): PolicyForm {
  const form = { ...EMPTY_POLICY_FORM };
  if (key.rateLimit) {
    // The largest unit the window is a whole number of: 3600 seconds reads "1 hours", not "3600 seconds".
    const unit = [...WINDOW_UNITS].reverse().find((u) => key.rateLimit!.windowSeconds % u.seconds === 0) ?? WINDOW_UNITS[0];
    Object.assign(form, { rateLimitOn: true, limit: String(key.rateLimit.limit), window: String(key.rateLimit.windowSeconds / unit.seconds), windowUnit: unit.value });
  }
  if (key.credits) {
    Object.assign(form, { creditsOn: true, remaining: String(key.credits.remaining) });
    if (key.credits.refill) Object.assign(form, { refillOn: true, refillAmount: String(key.credits.refill.amount), refillInterval: key.credits.refill.interval });
  }
  if (key.allowedCidrs) form.allowedIps = key.allowedCidrs.join('\n');
  return form;
}

/** A window in words, after "per": 60 → "minute", 90 → "90 seconds", 7200 → "2 hours". */
export function describeWindow(seconds: number): string {
  const unit = [...WINDOW_UNITS].reverse().find((u) => seconds % u.seconds === 0) ?? WINDOW_UNITS[0];
  const count = seconds / unit.seconds;
  return count === 1 ? unit.value : `${count} ${unit.label}`;
}

/** A key's policy in words, for its page. */
export function describePolicy(key: Parameters<typeof policyFormOf>[0]): { rateLimit: string; credits: string; allowedIps: string } {
  const refill = key.credits?.refill;
  return {
    rateLimit: key.rateLimit ? `${key.rateLimit.limit.toLocaleString('en')} requests per ${describeWindow(key.rateLimit.windowSeconds)}` : 'None',
    credits: key.credits
      ? `${key.credits.remaining.toLocaleString('en')} uses left` + (refill ? `, refilled to ${refill.amount.toLocaleString('en')} ${refill.interval === 'DAILY' ? 'every day' : 'every month'}` : '')
      : 'Unlimited',
    allowedIps: key.allowedCidrs && key.allowedCidrs.length > 0 ? key.allowedCidrs.join(', ') : 'Any address',
  };
}

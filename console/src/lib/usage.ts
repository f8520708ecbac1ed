/**
 * The usage chart's arithmetic: the 7-day window asked of `Accesskey.usage`, the outcomes in the
 * order they stack, totals and a rounded scale. Free of the DOM and React so that Jest tests it
 * (test/unit/console-logic.test.ts).
 */

/** One hour as `Accesskey.usage` answers it. */
export interface UsageBucket {
  readonly start: string;
  readonly valid: number;
  readonly rateLimited: number;
  readonly usageExceeded: number;
  readonly ipNotAllowed: number;
  readonly other: number;
}

export type Outcome = Exclude<keyof UsageBucket, 'start'>;

/** The outcomes, bottom of the stack first, in the words the chart, its legend and its table use. */
export const OUTCOMES: readonly { readonly key: Outcome; readonly label: string; readonly phrase: string }[] = [
  { key: 'valid', label: 'Valid', phrase: 'valid' },
  { key: 'rateLimited', label: 'Rate limited', phrase: 'rate limited' },
  { key: 'usageExceeded', label: 'Out of credits', phrase: 'out of credits' },
  { key: 'ipNotAllowed', label: 'IP not allowed', phrase: 'from an IP not allowed' },
  { key: 'other', label: 'Disabled, expired or deleted', phrase: 'while disabled, expired or deleted' },
];

const HOUR_MS = 3600 * 1000;

/**
 * The last `days` days in whole UTC hours, the current hour included: `until` is the start of the
 * next hour, `since` is `days` × 24 hours before it.
 */
export function usageWindow(now: Date, days = 7): { since: string; until: string } {
  const until = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  return { since: new Date(until - days * 24 * HOUR_MS).toISOString(), until: new Date(until).toISOString() };
}

export const bucketTotal = (bucket: UsageBucket): number => OUTCOMES.reduce((sum, o) => sum + bucket[o.key], 0);

/** Requests per outcome over all the buckets, and in all. */
export function usageTotals(buckets: readonly UsageBucket[]): Record<Outcome, number> & { all: number } {
  const totals = { valid: 0, rateLimited: 0, usageExceeded: 0, ipNotAllowed: 0, other: 0, all: 0 };
  for (const bucket of buckets) {
    for (const { key } of OUTCOMES) totals[key] += bucket[key];
    totals.all += bucketTotal(bucket);
  }
  return totals;
}

/** The top of the scale: the busiest hour rounded up to 1, 2 or 5 × a power of ten (at least 1). */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** The chart in one sentence, for those who do not see it. */
export function usageSummary(buckets: readonly UsageBucket[]): string {
  const totals = usageTotals(buckets);
  if (totals.all === 0) return 'No requests in the last 7 days.';
  const parts = OUTCOMES.filter((o) => totals[o.key] > 0).map((o) => `${totals[o.key].toLocaleString('en')} ${o.phrase}`);
  const busiest = buckets.reduce((best, b) => (bucketTotal(b) > bucketTotal(best) ? b : best));
  return `${totals.all.toLocaleString('en')} requests in the last 7 days (${parts.join(', ')}); the busiest hour, ${hourLabel(busiest.start)}, had ${bucketTotal(busiest).toLocaleString('en')}.`;
}

/** An hour's start as the table shows it: `2027-01-10 14:00 UTC`. */
export function hourLabel(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * The console's own logic about keys, kept free of the DOM and React so that Jest tests it
 * (test/unit/console-logic.test.ts).
 */

/** What the Status column says of a key, in the words of the issue (and the tests). */
export type KeyStatus = 'Live' | 'Disabled' | 'Expired' | 'Deleted' | 'Canary';

export interface KeyTimes {
  readonly tmExpire: string;
  readonly tmDisable?: string | null;
  readonly tmDelete?: string | null;
  readonly canary: boolean;
}

/**
 * One status per key, the strongest first: a deleted key is Deleted whatever else is true, a
 * disabled one Disabled even past its expiry, an expired one Expired; a canary that is none of
 * these says Canary (it never authorizes anything, so it is not Live).
 */
export function keyStatus(key: KeyTimes, now: Date): KeyStatus {
  if (key.tmDelete) return 'Deleted';
  if (key.tmDisable) return 'Disabled';
  if (Date.parse(key.tmExpire) <= now.getTime()) return 'Expired';
  if (key.canary) return 'Canary';
  return 'Live';
}

/** The state filter's choices: the API's `AccesskeyState`, with "not deleted" (no state) first. */
export const STATE_FILTERS = [
  { value: '', label: 'Not deleted' },
  { value: 'LIVE', label: 'Live' },
  { value: 'DISABLED', label: 'Disabled' },
  { value: 'EXPIRED', label: 'Expired' },
  { value: 'DELETED', label: 'Deleted' },
  { value: 'ALL', label: 'All' },
] as const;

const DAY = 24 * 60 * 60;

/** The expiry presets of the Create key dialog, and "a date". */
export const EXPIRY_PRESETS = [
  { value: '7d', label: '7 days', seconds: 7 * DAY },
  { value: '30d', label: '30 days', seconds: 30 * DAY },
  { value: '90d', label: '90 days', seconds: 90 * DAY },
  { value: '1y', label: '1 year', seconds: 365 * DAY },
  { value: 'date', label: 'On a date', seconds: null },
] as const;
export type ExpiryPreset = (typeof EXPIRY_PRESETS)[number]['value'];

/** The result of reading the expiry fields: a lifetime in seconds for `createAccesskey`, or why not. */
export type Expiry = { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly message: string };

/**
 * The lifetime (`expire`, seconds from now) a choice of the dialog asks for. A date (`YYYY-MM-DD`
 * from the date input) means the end of that day in UTC, and must be in the future.
 */
export function expirySeconds(preset: ExpiryPreset, date: string, now: Date): Expiry {
  if (preset !== 'date') {
    const found = EXPIRY_PRESETS.find((p) => p.value === preset);
    return found?.seconds ? { ok: true, seconds: found.seconds } : { ok: false, message: 'Choose an expiry.' };
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return { ok: false, message: 'Enter the expiry date.' };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const endOfDay = Date.UTC(year, month - 1, day + 1);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return { ok: false, message: 'Enter a valid date.' };
  }
  const seconds = Math.floor((endOfDay - now.getTime()) / 1000);
  if (seconds <= 0) return { ok: false, message: 'The expiry date must be in the future.' };
  return { ok: true, seconds };
}

/** A timestamp for a table cell: the date and minute in UTC, or a dash. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Where to go back to after signing in: only a path of the console itself (never another site). */
export function safeNext(next: string | null | undefined, base: string): string {
  if (!next || !next.startsWith(base) || next.startsWith('//') || next.includes('\\')) return base;
  return next;
}

/** A `datetime-local` value (the browser's local time) as an RFC 3339 instant for the API. */
export function localToIso(local: string): string {
  return new Date(local).toISOString();
}

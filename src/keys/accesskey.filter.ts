import type { Instant } from '../time';
import { cursorBinding } from '../pagination';

/**
 * Which keys a list shows. `default` is today's list (every key not deleted,
 * expired and disabled ones included); the others:
 * - `live`: not deleted, not disabled, not expired (the keys that authenticate);
 * - `expired`: not deleted, expiry reached (disabled or not);
 * - `disabled`: not deleted, disabled (expired or not);
 * - `deleted`: deleted;
 * - `all`: every key.
 */
export type KeyListState = 'default' | 'live' | 'expired' | 'disabled' | 'deleted' | 'all';

/** The longest `nameContains` (a key name is at most 255 characters). */
export const MAX_NAME_CONTAINS = 255;

/** A list filter; every condition present must hold. */
export interface KeyFilter {
  readonly state: KeyListState;
  /** Case-insensitive substring of the name, taken literally (`%`, `_` and `\` are not wildcards). */
  readonly nameContains: string | null;
  /** Expiry strictly before this time. */
  readonly expiresBefore: Instant | null;
  /** Never used, or last used strictly before this time. */
  readonly unusedSince: Instant | null;
}

export const DEFAULT_FILTER: KeyFilter = Object.freeze({ state: 'default', nameContains: null, expiresBefore: null, unusedSince: null });

/** Escapes LIKE's wildcards and its escape character so `text` matches only itself. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** What a cursor of this customer's list under this filter is bound to (see `cursorBinding`). */
export function listBinding(customerId: string, filter: KeyFilter): string {
  return cursorBinding([customerId, filter.state, filter.nameContains, filter.expiresBefore?.toISOString() ?? null, filter.unusedSince?.toISOString() ?? null]);
}

import { createHash } from 'node:crypto';
import { isUUID } from 'class-validator';
import { invalidArgument } from './errors';
import { Instant } from './time';

export const MAX_PAGE_SIZE = 100;

/** Where a page starts: strictly after the (tm_create, id) of the last item seen. */
export interface PagePosition {
  readonly tmCreate: Instant;
  /** Absent for a bare timestamp from an older client: "created before this time". */
  readonly id?: string;
  /**
   * What the cursor was made for (a digest of the customer and the filter, see
   * `cursorBinding`); absent on bare timestamps and cursors of older servers,
   * which are taken as a position only.
   */
  readonly binding?: string;
}

/** A domain page request: how many, and after which item. Each transport parses its own arguments into one. */
export interface PageRequest {
  readonly size: number;
  readonly after: PagePosition | null;
  /** The transport's name for the token (`page_token`, `after`), for the error that refuses it. */
  readonly tokenField?: string;
}

/** A transport's raw page arguments and the names it gives them (used in its errors). */
export interface PageArguments {
  readonly size: number | undefined;
  readonly token: string | null | undefined;
  readonly fields: { readonly size: string; readonly token: string };
}

/** Parses page arguments into a `PageRequest`; errors name the transport's own fields. */
export function parsePageRequest({ size, token, fields }: PageArguments): PageRequest {
  return {
    size: normalizePageSize(size, fields.size),
    after: token === undefined || token === null || token === '' ? null : decodePageToken(token, fields.token),
    tokenField: fields.token,
  };
}

/** Cursors of older servers: a position only. */
const CURSOR_V1 = 'v1';
/** Cursors that carry what they were made for. */
const CURSOR_V2 = 'v2';

/**
 * What a cursor is made for, as a short digest: whatever decides which rows
 * a list holds (the customer, the filter). A cursor used for anything else
 * is refused instead of continuing by position in a different list.
 */
export function cursorBinding(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts), 'utf8').digest('base64url').slice(0, 16);
}

/** An opaque cursor for the item a page ended on, bound to what the list was made for. */
export function encodeCursor(tmCreate: Instant, id: string, binding: string): string {
  return Buffer.from(`${CURSOR_V2}|${tmCreate.toISOString()}|${id}|${binding}`, 'utf8').toString('base64url');
}

/** Refuses a cursor made for another list (another customer or filter); errors name the transport's field. */
export function assertCursorFor(page: PageRequest, binding: string): void {
  const made = page.after?.binding;
  if (made !== undefined && made !== binding) {
    throw invalidArgument(page.tokenField ?? 'after', 'was made for a different list (another filter or customer); start again without it');
  }
}

/**
 * Accepts a cursor made by `encodeCursor`, or a bare timestamp as older
 * clients send. Anything else is an `INVALID_ARGUMENT` naming `field`.
 */
export function decodePageToken(token: string, field: string): PagePosition {
  const legacy = Instant.parse(token);
  if (legacy) return { tmCreate: legacy };
  if (/^[A-Za-z0-9_-]{1,200}$/.test(token)) {
    const [version, time, id, ...rest] = Buffer.from(token, 'base64url').toString('utf8').split('|');
    const tmCreate = time === undefined ? null : Instant.parse(time);
    if (tmCreate && id !== undefined && isUUID(id)) {
      if (version === CURSOR_V1 && rest.length === 0) return { tmCreate, id: id.toLowerCase() };
      if (version === CURSOR_V2 && rest.length === 1 && /^[A-Za-z0-9_-]{16}$/.test(rest[0])) return { tmCreate, id: id.toLowerCase(), binding: rest[0] };
    }
  }
  throw invalidArgument(field, 'is not a valid page token');
}

/** What a page size may be, in the words of the error that refuses anything else. */
export const PAGE_SIZE_RULE = `must be a whole number, 0 or more (0 and anything above ${MAX_PAGE_SIZE} mean ${MAX_PAGE_SIZE})`;

/** 1–100; 0 or anything above 100 means 100; negative is refused. */
export function normalizePageSize(size: number | undefined, field: string): number {
  if (size === undefined) return MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0) throw invalidArgument(field, PAGE_SIZE_RULE);
  return size === 0 || size > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : size;
}

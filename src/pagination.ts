import { isUUID } from 'class-validator';
import { invalidArgument } from './errors';
import { Instant } from './time';

export const MAX_PAGE_SIZE = 100;

/** Where a page starts: strictly after the (tm_create, id) of the last item seen. */
export interface PagePosition {
  readonly tmCreate: Instant;
  /** Absent for a bare timestamp from an older client: "created before this time". */
  readonly id?: string;
}

/** A domain page request: how many, and after which item. Each transport parses its own arguments into one. */
export interface PageRequest {
  readonly size: number;
  readonly after: PagePosition | null;
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
  };
}

const CURSOR_VERSION = 'v1';

/** An opaque cursor for the item a page ended on. */
export function encodeCursor(tmCreate: Instant, id: string): string {
  return Buffer.from(`${CURSOR_VERSION}|${tmCreate.toISOString()}|${id}`, 'utf8').toString('base64url');
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
    if (version === CURSOR_VERSION && tmCreate && id !== undefined && isUUID(id) && rest.length === 0) {
      return { tmCreate, id };
    }
  }
  throw invalidArgument(field, 'is not a valid page token');
}

/** The smallest page size accepted (0 means the maximum); the REST schema documents it as `minimum`. */
export const MIN_PAGE_SIZE = 0;

/** What a page size may be, in the words of the error that refuses anything else. */
export const PAGE_SIZE_RULE = `must be a whole number, ${MIN_PAGE_SIZE} or more (0 and anything above ${MAX_PAGE_SIZE} mean ${MAX_PAGE_SIZE})`;

/** 1–100; 0 or anything above 100 means 100; negative is refused. */
export function normalizePageSize(size: number | undefined, field: string): number {
  if (size === undefined) return MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < MIN_PAGE_SIZE) throw invalidArgument(field, PAGE_SIZE_RULE);
  return size === 0 || size > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : size;
}

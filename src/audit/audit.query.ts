import { invalidArgument } from '../errors';
import type { Instant } from '../time';
import { parseUuid } from '../validation';
import type { AuditQuery } from './audit.store';
import { AUDIT_ACTIONS, isAuditAction } from './audit.types';

/** What a transport asks the audit trail for, before checking. */
export interface AuditFilterInput {
  readonly action?: string | null;
  readonly targetId?: string | null;
  readonly actorTokenHash?: string | null;
  readonly since?: Instant | null;
  readonly until?: Instant | null;
}

const CURSOR_VERSION = 'a1';

/** An opaque cursor for the event a page ended on (its place in the chain). */
export function encodeAuditCursor(seq: number): string {
  return Buffer.from(`${CURSOR_VERSION}|${seq}`, 'utf8').toString('base64url');
}

export function decodeAuditCursor(token: string, field: string): number {
  if (/^[A-Za-z0-9_-]{1,40}$/.test(token)) {
    const [version, seq, ...rest] = Buffer.from(token, 'base64url').toString('utf8').split('|');
    if (version === CURSOR_VERSION && seq !== undefined && /^[1-9]\d{0,15}$/.test(seq) && rest.length === 0) return Number(seq);
  }
  throw invalidArgument(field, 'is not a valid page token');
}

/** Checks a filter; each refusal names the field as `filter.<name>`. */
export function parseAuditFilter(filter: AuditFilterInput | null | undefined): Omit<AuditQuery, 'beforeSeq' | 'limit'> {
  const f = filter ?? {};
  const action = f.action ?? null;
  if (action !== null && !isAuditAction(action)) throw invalidArgument('filter.action', `must be one of ${AUDIT_ACTIONS.join(', ')}`);
  const targetId = f.targetId === undefined || f.targetId === null ? null : parseUuid(f.targetId, 'filter.targetId');
  let actorTokenHash = f.actorTokenHash ?? null;
  if (actorTokenHash !== null) {
    actorTokenHash = actorTokenHash.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(actorTokenHash)) throw invalidArgument('filter.actorTokenHash', 'must be a SHA-256 hash: 64 hexadecimal digits');
  }
  const since = f.since ?? null;
  const until = f.until ?? null;
  if (since && until && !since.isBefore(until)) throw invalidArgument('filter.until', 'must be later than since');
  return { action, targetId, actorTokenHash, since, until };
}

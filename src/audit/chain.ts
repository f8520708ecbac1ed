import { createHash } from 'node:crypto';
import type { AuditEvent, AuditJson } from './audit.types';
import { GENESIS_HASH } from './audit.types';
import { jsonPieces, knownText } from '../db/json-text';

/**
 * The hash chain, as pure functions: what is hashed, and how a sequence of
 * events is checked (the same code checks the database and an export file).
 */

/** JSON with object keys sorted at every depth: one text for one value, whatever order the keys came in. */
export function canonicalJson(value: unknown): string {
  // The same writer renders the text a recording statement finishes in SQL (audit.log.ts `recordInline`).
  return knownText(jsonPieces(value, true));
}

/** Everything an event says, in the form that is hashed (and exported). */
export function eventBody(e: Omit<AuditEvent, 'prevHash' | 'hash'>): Record<string, AuditJson> {
  return {
    id: e.id,
    chain: e.chain,
    seq: e.seq,
    time: e.time.toISOString(),
    customer_id: e.customerId,
    actor: { kind: e.actor.kind, id: e.actor.id, name: e.actor.name, token_hash: e.actor.tokenHash },
    action: e.action,
    target_id: e.targetId,
    request_id: e.origin.requestId,
    client_address: e.origin.clientAddress,
    user_agent: e.origin.userAgent,
    before: e.before,
    after: e.after,
    detail: e.detail,
  };
}

/** `SHA-256(previous hash ‖ canonical encoding of the event)`, hex. */
export function chainHash(prevHash: string, body: Record<string, AuditJson>): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalJson(body), 'utf8').digest('hex');
}

/** Where a chain may start: its recorded checkpoint (the genesis, or the last event pruned by retention). */
export interface ChainStart {
  readonly seq: number;
  readonly hash: string;
}

export const GENESIS: ChainStart = { seq: 0, hash: GENESIS_HASH };

/** A link that does not hold, with the reason. */
export interface BrokenLink {
  readonly chain: string;
  /** The sequence number where the break was found. */
  readonly seq: number;
  /** The event there, when there is one. */
  readonly id: string | null;
  readonly reason: string;
}

/** The most broken links a verdict lists (a chain rewritten from end to end breaks at every event); `brokenCount` counts them all. */
export const MAX_LISTED_BREAKS = 1000;

/** A chain's verdict: how many events hold, or every link that does not (the first one also as `broken`). */
export type ChainCheck =
  | { readonly ok: true; readonly events: number }
  | { readonly ok: false; readonly broken: BrokenLink; readonly brokenLinks: readonly BrokenLink[]; readonly brokenCount: number };

/**
 * Checks one chain's events in order: numbered without gaps from the start,
 * each linked to the one before, each hash recomputed. A break does not stop
 * the check: every event is checked against its own stored link, so each
 * changed, missing or relinked event is named, not only the first (one bad
 * event must not hide what follows it). `finish` compares the last event
 * with the recorded head, so events cut off the end are found too.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private prevHash: string;
  private readonly broken: BrokenLink[] = [];
  private brokenCount = 0;
  private count = 0;

  constructor(
    readonly chain: string,
    start: ChainStart = GENESIS,
  ) {
    this.expectedSeq = start.seq + 1;
    this.prevHash = start.hash;
  }

  private report(seq: number, id: string | null, reason: string): void {
    this.brokenCount += 1;
    if (this.broken.length < MAX_LISTED_BREAKS) this.broken.push({ chain: this.chain, seq, id, reason });
  }

  /** Takes the next event; returns `false` when it breaks the chain (checking goes on with the next one). */
  push(event: AuditEvent): boolean {
    if (event.chain !== this.chain) {
      this.report(this.expectedSeq, event.id, `event belongs to chain ${event.chain}`);
      return false;
    }
    if (event.seq < this.expectedSeq) {
      this.report(this.expectedSeq, event.id, `event ${event.seq} is out of order`);
      return false;
    }
    let reason: string | null = null;
    if (event.seq > this.expectedSeq) {
      reason = `event ${this.expectedSeq} is missing (next is ${event.seq})`;
    } else if (event.prevHash !== this.prevHash) {
      reason = 'prev_hash does not match the previous event\'s hash';
    }
    const { prevHash: _p, hash: _h, ...rest } = event;
    // Recomputed from the event's own stored link, so a changed event is named by itself and the next one still checks.
    if (reason === null && chainHash(event.prevHash, eventBody(rest)) !== event.hash) reason = 'the event does not match its hash (changed after it was written)';
    const at = event.seq > this.expectedSeq ? this.expectedSeq : event.seq;
    this.prevHash = event.hash;
    this.expectedSeq = event.seq + 1;
    if (reason !== null) {
      this.report(at, event.id, reason);
      // A gap hides nothing about the event after it: check that one too.
      if (at !== event.seq && chainHash(event.prevHash, eventBody(rest)) !== event.hash) {
        this.report(event.seq, event.id, 'the event does not match its hash (changed after it was written)');
      }
      return false;
    }
    this.count += 1;
    return true;
  }

  /** The verdict, given the head recorded for the chain (its last sequence number and hash). */
  finish(head: ChainStart): ChainCheck {
    const lastSeq = this.expectedSeq - 1;
    if (lastSeq < head.seq) {
      this.report(lastSeq + 1, null, `events ${lastSeq + 1} to ${head.seq} are missing (the head says ${head.seq})`);
    } else if (lastSeq > head.seq || this.prevHash !== head.hash) {
      this.report(lastSeq, null, 'the chain does not end at its recorded head');
    }
    if (this.brokenCount === 0) return { ok: true, events: this.count };
    return { ok: false, broken: this.broken[0], brokenLinks: [...this.broken], brokenCount: this.brokenCount };
  }
}

/** The first line of an export: the chain's recorded checkpoint and head. */
export interface ExportHeader {
  readonly type: 'chain';
  readonly chain: string;
  readonly checkpoint_seq: number;
  readonly checkpoint_hash: string;
  readonly head_seq: number;
  readonly head_hash: string;
}

/** An exported event: the hashed body plus both hashes (one JSON line). */
export function exportLine(e: AuditEvent): string {
  const { prevHash, hash, ...rest } = e;
  return JSON.stringify({ type: 'event', ...eventBody(rest), prev_hash: prevHash, hash });
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Record<string, AuditJson> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, AuditJson>) : null;

/** Reads an exported event back (`null` when the line is no event of ours). */
export function eventFromExport(line: Record<string, unknown>, parseTime: (text: string) => AuditEvent['time'] | null): AuditEvent | null {
  const actor = obj(line.actor);
  const time = typeof line.time === 'string' ? parseTime(line.time) : null;
  if (line.type !== 'event' || !actor || !time || typeof line.seq !== 'number' || typeof line.id !== 'string' || typeof line.chain !== 'string') return null;
  if (typeof line.hash !== 'string' || typeof line.prev_hash !== 'string' || typeof line.action !== 'string') return null;
  return {
    id: line.id,
    chain: line.chain,
    seq: line.seq,
    time,
    customerId: str(line.customer_id),
    actor: { kind: actor.kind as AuditEvent['actor']['kind'], id: str(actor.id), name: str(actor.name), tokenHash: str(actor.token_hash) },
    action: line.action,
    targetId: str(line.target_id),
    origin: { requestId: str(line.request_id), clientAddress: str(line.client_address), userAgent: str(line.user_agent) },
    before: obj(line.before),
    after: obj(line.after),
    detail: obj(line.detail),
    prevHash: line.prev_hash,
    hash: line.hash,
  };
}

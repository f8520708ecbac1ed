import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../context';
import type { Queryable, Transactional } from '../db/sql';
import { encodeAuditCursor, parseAuditFilter } from './audit.query';
import type { AuditFilterInput } from './audit.query';
import type { Clock, Instant } from '../time';
import type { AuditStore } from './audit.store';
import type { AuditQuery, ChainRecord } from './audit.store';
import type { AuditEntry, AuditEvent, AuditJson } from './audit.types';
import { SYSTEM_CHAIN } from './audit.types';
import { ChainVerifier, chainHash, eventBody } from './chain';
import { isUUID } from 'class-validator';
import { wellFormed } from '../validation';
import type { ChainCheck } from './chain';

/** Longest user agent kept (a client can send a huge header; the trail must not grow with it). */
const MAX_USER_AGENT = 512;
const READ_BATCH = 1000;

/** Text as a `text` column stores it: no NUL (refused there), an unpaired surrogate as U+FFFD (what UTF-8 makes of it). */
const clean = (text: string | null, max = 1024): string | null => (text === null ? null : wellFormed(text.replace(/\u0000/g, '').slice(0, max)));

/** An id as a `uuid` column stores it (lower case); anything else as given, for the column to refuse. */
const uuidAsStored = (id: string | null): string | null => (id !== null && isUUID(id) ? id.toLowerCase() : id);

/** A JSON value as a `jsonb` column stores it: strings well formed (jsonb refuses an unpaired surrogate and NUL). */
function jsonAsStored(value: AuditJson): AuditJson {
  if (typeof value === 'string') return wellFormed(value.replace(/\u0000/g, ''));
  if (Array.isArray(value)) return value.map(jsonAsStored);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k.replace(/\u0000/g, '')), jsonAsStored(v)]));
  }
  return value;
}
const objectAsStored = (value: Record<string, AuditJson> | null | undefined): Record<string, AuditJson> | null =>
  value === null || value === undefined ? null : (jsonAsStored(value) as Record<string, AuditJson>);

/** The chain an event of this customer belongs to. */
export const chainOf = (customerId: string | null): string => customerId ?? SYSTEM_CHAIN;

export interface AuditPage {
  readonly items: readonly AuditEvent[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
}

/** One chain's verdict. */
export type ChainVerdict = { readonly chain: string } & ChainCheck;

/**
 * The audit trail: writes events into the caller's transaction (so a change
 * and its event commit or roll back together), reads them, verifies and
 * exports the chains, and prunes by retention.
 */
export interface AuditLogDeps {
  readonly db: Transactional;
  readonly store: AuditStore;
  readonly clock: Clock;
}

export class AuditLog {
  private readonly db: Transactional;
  private readonly store: AuditStore;
  private readonly clock: Clock;

  constructor(deps: AuditLogDeps) {
    this.db = deps.db;
    this.store = deps.store;
    this.clock = deps.clock;
  }

  /**
   * Records `entry` in `tx`, the transaction of the change it records: the
   * chain's head is locked until that transaction ends, so concurrent
   * writers of one customer's chain take turns and never fork it.
   */
  async record(tx: Queryable, entry: AuditEntry): Promise<AuditEvent> {
    // What is hashed is exactly what the columns will hold (an upper-case id would be stored lower case
    // and then never match its hash again).
    const customerId = uuidAsStored(entry.customerId);
    const chain = chainOf(customerId);
    const head = await this.store.lockHead(tx, chain);
    const { actor, origin } = entry.by;
    const body: Omit<AuditEvent, 'prevHash' | 'hash'> = {
      id: randomUUID(),
      chain,
      seq: head.seq + 1,
      time: this.clock.now(),
      customerId,
      actor: { kind: actor.kind, id: uuidAsStored(actor.id), name: clean(actor.name), tokenHash: actor.tokenHash },
      action: entry.action,
      targetId: uuidAsStored(entry.targetId),
      origin: { requestId: clean(origin.requestId), clientAddress: clean(origin.clientAddress), userAgent: clean(origin.userAgent, MAX_USER_AGENT) },
      before: objectAsStored(entry.before),
      after: objectAsStored(entry.after),
      detail: objectAsStored(entry.detail),
    };
    const event: AuditEvent = { ...body, prevHash: head.hash, hash: chainHash(head.hash, eventBody(body)) };
    await this.store.append(tx, event);
    return event;
  }

  /** Records `entry` in a transaction of its own (events that record no change, such as a failed login). */
  recordAlone(entry: AuditEntry): Promise<AuditEvent> {
    return this.db.transaction((tx) => this.record(tx, entry));
  }

  /** A customer's events matching `q`, newest first. */
  search(customerId: string, q: AuditQuery): Promise<AuditEvent[]> {
    return this.store.search(chainOf(customerId), q);
  }

  /**
   * The caller's customer's events matching `filter`, newest first, `size`
   * at a time after the event `afterSeq` (keyset on the chain's sequence).
   */
  async page(ctx: RequestContext, size: number, afterSeq: number | null, filter: AuditFilterInput | null): Promise<AuditPage> {
    const rows = await this.search(ctx.caller.customerId, { ...parseAuditFilter(filter), beforeSeq: afterSeq, limit: size + 1 });
    const items = rows.slice(0, size);
    return { items, cursors: items.map((e) => encodeAuditCursor(e.seq)), hasNextPage: rows.length > size };
  }

  /** The recorded chains: every one, or the customer's. */
  chains(customerId?: string): Promise<ChainRecord[]> {
    return this.store.chains(customerId === undefined ? null : chainOf(customerId));
  }

  /** A chain's events from its checkpoint on, oldest first, in batches. */
  async *events(chain: string, afterSeq: number): AsyncGenerator<AuditEvent> {
    let after = afterSeq;
    for (;;) {
      const batch = await this.store.readChain(chain, after, READ_BATCH);
      yield* batch;
      if (batch.length < READ_BATCH) return;
      after = batch[batch.length - 1].seq;
    }
  }

  /** Recomputes every chain (or the customer's) from its checkpoint; each verdict names every broken link. */
  async verify(customerId?: string): Promise<ChainVerdict[]> {
    const verdicts: ChainVerdict[] = [];
    for (const record of await this.chains(customerId)) {
      const verifier = new ChainVerifier(record.chain, record.checkpoint);
      for await (const event of this.events(record.chain, record.checkpoint.seq)) {
        verifier.push(event);
      }
      verdicts.push({ chain: record.chain, ...verifier.finish(record.head) });
    }
    return verdicts;
  }

  /** Deletes events older than `retentionDays` days, keeping each chain verifiable from a checkpoint. */
  prune(retentionDays: number, now: Instant = this.clock.now()): Promise<number> {
    return this.db.transaction((tx) => this.store.prune(tx, now.plusSeconds(-retentionDays * 86400)));
  }
}

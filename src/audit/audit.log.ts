import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../context';
import type { Queryable, Transactional } from '../db/sql';
import { encodeAuditCursor, parseAuditFilter } from './audit.query';
import type { AuditFilterInput } from './audit.query';
import type { Clock, Instant } from '../time';
import type { AuditStore } from './audit.store';
import type { AuditQuery, ChainRecord } from './audit.store';
import type { AuditAction, AuditEntry, AuditEvent, AuditJson } from './audit.types';
import { SYSTEM_CHAIN } from './audit.types';
import { ChainVerifier, chainHash, eventBody } from './chain';
import { isUUID } from 'class-validator';
import { wellFormed } from '../validation';
import type { ChainCheck } from './chain';
import { Params, SqlValue, jsonPieces } from '../db/json-text';
import type { JsonWithSql } from '../db/json-text';
import { INLINE_EVENT_COLUMNS } from './audit.store';
import type { InlineEventRow } from './audit.store';

/** Longest user agent kept (a client can send a huge header; the trail must not grow with it). */
const MAX_USER_AGENT = 512;
const READ_BATCH = 1000;

/** Text as a `text` column stores it: no NUL (refused there), an unpaired surrogate as U+FFFD (what UTF-8 makes of it). */
const clean = (text: string | null, max = 1024): string | null => (text === null ? null : wellFormed(text.replace(/\u0000/g, '').slice(0, max)));

/** An id as a `uuid` column stores it (lower case); anything else as given, for the column to refuse. */
const uuidAsStored = (id: string | null): string | null => (id !== null && isUUID(id) ? id.toLowerCase() : id);

/** A JSON value as a `jsonb` column stores it: strings well formed (jsonb refuses an unpaired surrogate and NUL). */
function jsonAsStored<T extends AuditJson | JsonWithSql>(value: T): T;
function jsonAsStored(value: JsonWithSql): JsonWithSql {
  if (value instanceof SqlValue) return value;
  if (typeof value === 'string') return wellFormed(value.replace(/\u0000/g, ''));
  if (Array.isArray(value)) return value.map(jsonAsStored);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k.replace(/\u0000/g, '')), v === undefined ? v : jsonAsStored(v)]));
  }
  return value;
}
function objectAsStored(value: Record<string, AuditJson> | null | undefined): Record<string, AuditJson> | null;
function objectAsStored(value: Record<string, JsonWithSql> | null | undefined): Record<string, JsonWithSql> | null;
function objectAsStored(value: Record<string, JsonWithSql> | null | undefined): Record<string, JsonWithSql> | null {
  return value === null || value === undefined ? null : jsonAsStored<Record<string, JsonWithSql>>(value);
}

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
/**
 * Told of every event in the transaction that records it, before that
 * transaction commits (the webhook outbox): what it writes commits or rolls
 * back with the change, and a throw rolls the change back.
 */
export interface AuditFollower {
  recorded(tx: Queryable, event: AuditEvent): Promise<void>;
  /**
   * The same, inside the one statement that records the event with its
   * change (`AuditLog.recordInline`): the body of a data-modifying CTE that
   * returns one row per thing it wrote, or `null` when the event concerns no
   * one. It may read the CTEs `changed` (the changed row; when the event is
   * about an access key, that key's `accesskeys` row) and `audit_event` (the
   * written event: no row, nothing written). `written` is told how many rows
   * it returned, once the statement has committed.
   */
  inline(event: InlineEvent, param: (value: unknown) => string): { readonly sql: string; written(rows: number): void } | null;
}

/** What a follower knows of an event recorded in the statement of its change (values only the statement knows are `SqlValue`s). */
export interface InlineEvent {
  readonly action: AuditAction;
  readonly time: Instant;
  readonly customerId: string | null;
  readonly targetId: string | null;
  readonly after: Record<string, JsonWithSql> | null;
  readonly detail: Record<string, JsonWithSql> | null;
}

/**
 * A change made by one data-modifying statement (`UPDATE … RETURNING`), to
 * be recorded by that same statement: it becomes the CTE `changed`, whose
 * row (none when nothing changed) the entry's `SqlValue`s read as
 * `changed.<column>`.
 */
export interface InlineChange<R> {
  /** The statement's name (a named prepared statement per shape of the whole statement). */
  readonly name: string;
  readonly sql: string;
  readonly values: readonly unknown[];
  /** The event; top-level values of before/after/detail may be `SqlValue`s of `changed` (text columns only). */
  readonly entry: Omit<AuditEntry, 'before' | 'after' | 'detail'> & {
    readonly before?: Record<string, JsonWithSql> | null;
    readonly after?: Record<string, JsonWithSql> | null;
    readonly detail?: Record<string, JsonWithSql> | null;
  };
  /** Phantom: the type of the changed row. */
  readonly row?: R;
}

/** The place of the sequence number in an event's canonical text (only the chain's head knows it). */
const SEQ = new SqlValue('seq');

/** Distinct statement texts named per change before new shapes go unnamed (a shape is a fixed set of keys and holes). */
const MAX_NAMED_SHAPES = 64;

export interface AuditLogDeps {
  readonly db: Transactional;
  readonly store: AuditStore;
  readonly clock: Clock;
}

export class AuditLog {
  private readonly db: Transactional;
  private readonly store: AuditStore;
  private readonly clock: Clock;
  private follower: AuditFollower | null = null;
  /** Statement text → its prepared statement's name (one per shape). */
  private readonly shapes = new Map<string, string>();

  constructor(deps: AuditLogDeps) {
    this.db = deps.db;
    this.store = deps.store;
    this.clock = deps.clock;
  }

  /** Sets who hears each recorded event in its transaction (the app wires the webhook outbox here). */
  follow(follower: AuditFollower): void {
    this.follower = follower;
  }

  /**
   * Records `entry` in `tx`, the transaction of the change it records: the
   * chain's head is locked until that transaction ends, so concurrent
   * writers of one customer's chain take turns and never fork it.
   */
  async record(tx: Queryable, entry: AuditEntry): Promise<AuditEvent> {
    // The head first, then the time: events stand in their chain in the order of their times.
    const head = await this.store.lockHead(tx, chainOf(uuidAsStored(entry.customerId)));
    const columns = this.columnsOf(entry);
    const body: Omit<AuditEvent, 'prevHash' | 'hash'> = {
      ...columns,
      seq: head.seq + 1,
      before: objectAsStored(entry.before),
      after: objectAsStored(entry.after),
      detail: objectAsStored(entry.detail),
    };
    const event: AuditEvent = { ...body, prevHash: head.hash, hash: chainHash(head.hash, eventBody(body)) };
    await this.store.append(tx, event);
    if (this.follower) await this.follower.recorded(tx, event);
    return event;
  }

  /**
   * Makes `change` and records its event (and the follower's rows) in one
   * statement, so one round trip and no transaction held open across several:
   * the change, the chain's head advanced with the event's hash computed from
   * it in SQL, the event, the webhook outbox. It all commits or fails
   * together; the head's row is locked only from its update to that commit.
   * Returns the changed row and the event, or `null` when nothing changed
   * (then nothing was recorded). Runs in `db` as given: on the pool it is
   * its own transaction; in a transaction, it joins it.
   */
  async recordInline<R>(db: Queryable, change: InlineChange<R>): Promise<{ row: R; event: AuditEvent } | null> {
    const entry = change.entry;
    const columns = this.columnsOf(entry);
    const { time, customerId } = columns;
    const before = objectAsStored(entry.before);
    const after = objectAsStored(entry.after);
    const detail = objectAsStored(entry.detail);
    // The body eventBody() makes of a stored event, with the holes the statement fills: `seq` and the SqlValues.
    const body = { ...eventBody({ ...columns, seq: 0, before: null, after: null, detail: null }), seq: SEQ, before, after, detail } as Record<string, JsonWithSql>;
    const pieces = jsonPieces(body, true);
    const at = pieces.indexOf(SEQ);
    const p = new Params(change.values);
    const sql = [
      `WITH changed AS (${change.sql}), `,
      this.store.inlineAppendSql(p, {
        ...columns,
        before: before && jsonPieces(before, true),
        after: after && jsonPieces(after, true),
        detail: detail && jsonPieces(detail, true),
        bodyBefore: pieces.slice(0, at),
        bodyAfter: pieces.slice(at + 1),
      }),
    ];
    const follow = this.follower?.inline({ action: entry.action, time, customerId, targetId: columns.targetId, after, detail }, p.add) ?? null;
    if (follow) sql.push(`, audit_follow AS (${follow.sql})`);
    sql.push(`\nSELECT changed.*, ${INLINE_EVENT_COLUMNS}, ${follow ? '(SELECT count(*) FROM audit_follow)' : '0'}::int AS audit_followed
      FROM changed CROSS JOIN audit_event e`);
    const text = sql.join('');
    const rows = await db.query<R & InlineEventRow & { audit_followed: number }>(this.shapeName(change.name, text), text, p.values);
    const row = rows[0];
    if (!row) return null;
    if (follow) follow.written(row.audit_followed);
    const event: AuditEvent = {
      ...columns,
      seq: Number(row.audit_seq),
      before: row.audit_before,
      after: row.audit_after,
      detail: row.audit_detail,
      prevHash: row.audit_prev_hash,
      hash: row.audit_hash,
    };
    return { row, event };
  }

  /**
   * An event's columns but its place in the chain and its before/after/detail,
   * exactly as they will be stored and hashed (an upper-case id would be
   * stored lower case and then never match its hash again).
   */
  private columnsOf(entry: Pick<AuditEntry, 'customerId' | 'action' | 'targetId' | 'by'>) {
    const customerId = uuidAsStored(entry.customerId);
    const { actor, origin } = entry.by;
    return {
      id: randomUUID(),
      chain: chainOf(customerId),
      time: this.clock.now(),
      customerId,
      actor: { kind: actor.kind, id: uuidAsStored(actor.id), name: clean(actor.name), tokenHash: actor.tokenHash },
      action: entry.action,
      targetId: uuidAsStored(entry.targetId),
      origin: { requestId: clean(origin.requestId), clientAddress: clean(origin.clientAddress), userAgent: clean(origin.userAgent, MAX_USER_AGENT) },
    };
  }

  /** The prepared statement's name for this text of the change `name` (a shape is named once; beyond the cap, unnamed). */
  private shapeName(name: string, text: string): string {
    let named = this.shapes.get(text);
    if (named === undefined) {
      if (this.shapes.size >= MAX_NAMED_SHAPES) return '';
      named = `${name}_audited_${this.shapes.size}`;
      this.shapes.set(text, named);
    }
    return named;
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

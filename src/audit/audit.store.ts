import type { Queryable } from '../db/sql';
import type { Instant } from '../time';
import type { AuditAction, AuditActor, AuditEvent, AuditJson } from './audit.types';
import { GENESIS_HASH } from './audit.types';
import type { ChainStart } from './chain';
import { jsonTextSql } from '../db/json-text';
import type { JsonPiece, Params } from '../db/json-text';

/** The one home of every SQL statement about `audit_events` and `audit_chains`. */

interface AuditRow {
  id: string;
  chain: string;
  seq: string;
  tm: Instant;
  customer_id: string | null;
  actor_kind: AuditActor['kind'];
  actor_id: string | null;
  actor_name: string | null;
  actor_token_hash: string | null;
  action: string;
  target_id: string | null;
  request_id: string | null;
  client_address: string | null;
  user_agent: string | null;
  before: Record<string, AuditJson> | null;
  after: Record<string, AuditJson> | null;
  detail: Record<string, AuditJson> | null;
  prev_hash: string;
  hash: string;
}

const COLUMNS = [
  'id', 'chain', 'seq', 'tm', 'customer_id', 'actor_kind', 'actor_id', 'actor_name', 'actor_token_hash', 'action', 'target_id',
  'request_id', 'client_address', 'user_agent', 'before', 'after', 'detail', 'prev_hash', 'hash',
].join(', ');

function fromRow(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    chain: row.chain,
    seq: Number(row.seq),
    time: row.tm,
    customerId: row.customer_id,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name, tokenHash: row.actor_token_hash },
    action: row.action,
    targetId: row.target_id,
    origin: { requestId: row.request_id, clientAddress: row.client_address, userAgent: row.user_agent },
    before: row.before,
    after: row.after,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A chain's recorded state: where verification starts (checkpoint) and where it must end (head). */
export interface ChainRecord {
  readonly chain: string;
  readonly head: ChainStart;
  readonly checkpoint: ChainStart;
}

/** What the audit trail may be searched by (all optional, combined with AND). */
export interface AuditQuery {
  readonly action: AuditAction | null;
  readonly targetId: string | null;
  readonly actorTokenHash: string | null;
  readonly since: Instant | null;
  readonly until: Instant | null;
  /** Continue after (below) this sequence number. */
  readonly beforeSeq: number | null;
  readonly limit: number;
}

/**
 * An event to be written by the statement of its change: its columns, with
 * before/after/detail as JSON text pieces (some only the statement knows),
 * and the canonical body that is hashed, split around its sequence number
 * (which only the chain's head knows).
 */
export interface InlineEventColumns {
  readonly id: string;
  readonly chain: string;
  readonly time: Instant;
  readonly customerId: string | null;
  readonly actor: AuditActor;
  readonly action: string;
  readonly targetId: string | null;
  readonly origin: AuditEvent['origin'];
  readonly before: readonly JsonPiece[] | null;
  readonly after: readonly JsonPiece[] | null;
  readonly detail: readonly JsonPiece[] | null;
  /** The canonical body's text before its sequence number, and after it. */
  readonly bodyBefore: readonly JsonPiece[];
  readonly bodyAfter: readonly JsonPiece[];
}

/** What the statement says of the event it wrote (the CTE `audit_event`'s row, as the final SELECT names it). */
export interface InlineEventRow {
  audit_seq: string;
  audit_prev_hash: string;
  audit_hash: string;
  audit_before: Record<string, AuditJson> | null;
  audit_after: Record<string, AuditJson> | null;
  audit_detail: Record<string, AuditJson> | null;
}

/** The final SELECT's columns naming the written event (see `InlineEventRow`). */
export const INLINE_EVENT_COLUMNS =
  'e.seq AS audit_seq, e.prev_hash AS audit_prev_hash, e.hash AS audit_hash, e.before AS audit_before, e.after AS audit_after, e.detail AS audit_detail';

/** `SHA-256(prev ‖ body)` in SQL, hex: `chainHash` of chain.ts, for text built by the statement. */
const sqlChainHash = (prev: string, body: string): string => `encode(sha256(convert_to(${prev} || ${body}, 'UTF8')), 'hex')`;

export class AuditStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Takes the chain's head for this transaction: creates the chain at its
   * genesis if it is new, and locks its row until commit, so concurrent
   * writers of one chain take turns and the chain cannot fork.
   */
  async lockHead(tx: Queryable, chain: string): Promise<ChainStart> {
    const [row] = await tx.query<{ seq: string; head_hash: string }>(
      'audit_lock_head',
      `INSERT INTO audit_chains (chain, seq, head_hash, checkpoint_seq, checkpoint_hash) VALUES ($1, 0, $2, 0, $2)
       ON CONFLICT (chain) DO UPDATE SET seq = audit_chains.seq
       RETURNING seq, head_hash`,
      [chain, GENESIS_HASH],
    );
    return { seq: Number(row.seq), hash: row.head_hash };
  }

  /** Writes the event and moves its chain's head to it (the head must be locked by `lockHead` in `tx`). */
  async append(tx: Queryable, e: AuditEvent): Promise<void> {
    await tx.query(
      'audit_append',
      `WITH inserted AS (
         INSERT INTO audit_events (${COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16::jsonb, $17::jsonb, $18, $19)
         RETURNING chain, seq, hash, prev_hash
       )
       UPDATE audit_chains c SET seq = i.seq, head_hash = i.hash, prev_hash = i.prev_hash FROM inserted i WHERE c.chain = i.chain`,
      [
        e.id, e.chain, e.seq, e.time, e.customerId, e.actor.kind, e.actor.id, e.actor.name, e.actor.tokenHash, e.action, e.targetId,
        e.origin.requestId, e.origin.clientAddress, e.origin.userAgent,
        json(e.before), json(e.after), json(e.detail), e.prevHash, e.hash,
      ],
    );
  }

  /**
   * The CTEs that record an event in the one statement of its change, after
   * a CTE `changed` (the change, one row when it happened, none when it did
   * not): `audit_body` renders the event's canonical text; `audit_head`
   * advances the chain's head (creating the chain at its genesis if it is
   * new) and computes the event's hash from the head it found, with the
   * head's row locked only from there to the statement's commit; `audit_event`
   * writes the event. The hash is `chainHash` of chain.ts, byte for byte, so
   * events written here verify with the same code as every other (and in
   * export files). ON CONFLICT DO UPDATE works on the head's latest version,
   * so concurrent writers of one chain take turns on that row and never fork it.
   */
  inlineAppendSql(p: Params, e: InlineEventColumns): string {
    const genesis = `${p.add(GENESIS_HASH)}::text`;
    const piecesOrNull = (pieces: readonly JsonPiece[] | null): string => (pieces === null ? 'NULL::jsonb' : `(${jsonTextSql(pieces, p.add)})::jsonb`);
    const chain = `${p.add(e.chain)}::text`;
    return `audit_body AS (
         SELECT ${jsonTextSql(e.bodyBefore, p.add)} AS pre, ${jsonTextSql(e.bodyAfter, p.add)} AS post FROM changed
       ), audit_head AS (
         INSERT INTO audit_chains AS h (chain, seq, head_hash, prev_hash, checkpoint_seq, checkpoint_hash)
         SELECT ${chain}, 1, ${sqlChainHash(genesis, "b.pre || '1' || b.post")}, ${genesis}, 0, ${genesis} FROM audit_body b
         ON CONFLICT (chain) DO UPDATE SET seq = h.seq + 1, prev_hash = h.head_hash,
           head_hash = ${sqlChainHash('h.head_hash', '(SELECT pre FROM audit_body) || (h.seq + 1)::text || (SELECT post FROM audit_body)')}
         RETURNING seq, prev_hash, head_hash
       ), audit_event AS (
         INSERT INTO audit_events (${COLUMNS})
         SELECT ${p.add(e.id)}::uuid, ${chain}, h.seq, ${p.add(e.time)}::timestamptz, ${p.add(e.customerId)}::uuid,
                ${p.add(e.actor.kind)}::text, ${p.add(e.actor.id)}::uuid, ${p.add(e.actor.name)}::text, ${p.add(e.actor.tokenHash)}::text,
                ${p.add(e.action)}::text, ${p.add(e.targetId)}::uuid,
                ${p.add(e.origin.requestId)}::text, ${p.add(e.origin.clientAddress)}::text, ${p.add(e.origin.userAgent)}::text,
                ${piecesOrNull(e.before)}, ${piecesOrNull(e.after)}, ${piecesOrNull(e.detail)}, h.prev_hash, h.head_hash
           FROM audit_head h CROSS JOIN changed
         RETURNING seq, prev_hash, hash, before, after, detail
       )`;
  }

  /** One chain's events matching `q`, newest first. */
  async search(chain: string, q: AuditQuery): Promise<AuditEvent[]> {
    const values: unknown[] = [chain];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    const where = ['chain = $1'];
    const shape: string[] = [];
    if (q.action !== null) shape.push('a'), where.push(`action = ${param(q.action)}`);
    if (q.targetId !== null) shape.push('t'), where.push(`target_id = ${param(q.targetId)}::uuid`);
    if (q.actorTokenHash !== null) shape.push('h'), where.push(`actor_token_hash = ${param(q.actorTokenHash)}`);
    if (q.since !== null) shape.push('s'), where.push(`tm >= ${param(q.since.toISOString())}::timestamptz`);
    if (q.until !== null) shape.push('u'), where.push(`tm < ${param(q.until.toISOString())}::timestamptz`);
    if (q.beforeSeq !== null) shape.push('b'), where.push(`seq < ${param(q.beforeSeq)}`);
    const limit = param(q.limit);
    const rows = await this.db.query<AuditRow>(
      `audit_search_${shape.join('')}`,
      `SELECT ${COLUMNS} FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${limit}`,
      values,
    );
    return rows.map(fromRow);
  }

  /** Every chain's record (or one chain's), in chain order. */
  async chains(chain: string | null = null): Promise<ChainRecord[]> {
    const rows = await this.db.query<{ chain: string; seq: string; head_hash: string; checkpoint_seq: string; checkpoint_hash: string }>(
      'audit_chains',
      'SELECT chain, seq, head_hash, checkpoint_seq, checkpoint_hash FROM audit_chains WHERE $1::text IS NULL OR chain = $1 ORDER BY chain',
      [chain],
    );
    return rows.map((r) => ({
      chain: r.chain,
      head: { seq: Number(r.seq), hash: r.head_hash },
      checkpoint: { seq: Number(r.checkpoint_seq), hash: r.checkpoint_hash },
    }));
  }

  /** A chain's events after `afterSeq`, oldest first, `limit` at a time (verification and export). */
  async readChain(chain: string, afterSeq: number, limit: number): Promise<AuditEvent[]> {
    const rows = await this.db.query<AuditRow>(
      'audit_read_chain',
      `SELECT ${COLUMNS} FROM audit_events WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [chain, afterSeq, limit],
    );
    return rows.map(fromRow);
  }

  /**
   * Retention: in one transaction, deletes each chain's events older than
   * `cutoff` and records the last deleted one as the chain's checkpoint, so
   * what remains still verifies from there. Returns how many were deleted.
   */
  async prune(tx: Queryable, cutoff: Instant): Promise<number> {
    // One pruner at a time across replicas; the others have nothing to add.
    const [lock] = await tx.query<{ locked: boolean }>('audit_prune_lock', `SELECT pg_try_advisory_xact_lock(${PRUNE_LOCK}) AS locked`, []);
    if (!lock.locked) return 0;
    // The append-only trigger lets deletes through only with this setting, for this transaction only.
    await tx.query('audit_prune_allow', "SELECT set_config('akd.audit_prune', 'on', true)", []);
    const rows = await tx.query<{ deleted: string }>(
      'audit_prune',
      `WITH last AS (
         SELECT DISTINCT ON (chain) chain, seq, hash FROM audit_events WHERE tm < $1 ORDER BY chain, seq DESC
       ), checkpointed AS (
         UPDATE audit_chains c SET checkpoint_seq = last.seq, checkpoint_hash = last.hash FROM last WHERE c.chain = last.chain
         RETURNING c.chain, c.checkpoint_seq
       ), deleted AS (
         DELETE FROM audit_events e USING checkpointed k WHERE e.chain = k.chain AND e.seq <= k.checkpoint_seq RETURNING 1
       )
       SELECT count(*)::text AS deleted FROM deleted`,
      [cutoff],
    );
    return Number(rows[0]?.deleted ?? 0);
  }
}

/** The advisory lock key of retention pruning (an arbitrary constant of this server's). */
const PRUNE_LOCK = 7_365_020_001;

const json = (value: Record<string, AuditJson> | null): string | null => (value === null ? null : JSON.stringify(value));

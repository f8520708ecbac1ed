import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Action } from '../scopes';
import type { GraphQLContext } from '../graphql/context';
import { requestContext } from '../graphql/context';
import { normalizePageSize } from '../pagination';
import { connectionOf } from '../graphql/connection';
import type { Connection } from '../graphql/connection';
import type { AuditLog } from './audit.log';
import { AUDIT_ACTIONS } from './audit.types';
import { decodeAuditCursor } from './audit.query';
import { AuditChainVerdict, AuditEventConnection, AuditEventFilter } from './audit.types.graphql';
import type { AuditEventType } from './audit.types.graphql';

/** GraphQL face of the audit trail: parse, call one method, shape. */
@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditLog) {}

  @Authorized<Action>('audit:read')
  @Query(() => AuditEventConnection, {
    description: "The audit trail of the caller's customer, newest first. For agents with the customer admin or super admin permission. "
      + 'A cursor is valid for the same filter.',
  })
  async auditEvents(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
  ): Promise<Connection<AuditEventType>> {
    const size = normalizePageSize(first ?? undefined, 'first');
    const afterSeq = after === null || after === undefined || after === '' ? null : decodeAuditCursor(after, 'after');
    const page = await this.audit.page(await requestContext(ctx), size, afterSeq, filter);
    const nodes = page.items.map((e) => ({
      id: e.id, seq: e.seq, time: e.time, action: e.action, targetId: e.targetId, actor: e.actor,
      requestId: e.origin.requestId, clientAddress: e.origin.clientAddress, userAgent: e.origin.userAgent,
      before: e.before, after: e.after, detail: e.detail, hash: e.hash, prevHash: e.prevHash,
    }));
    return connectionOf(nodes, page.cursors, page.hasNextPage);
  }

  @Authorized<Action>('audit:read')
  @Query(() => [String], { description: 'Every action the audit trail records (the choices of `AuditEventFilter.action`), so a frontend never keeps its own copy.' })
  auditActions(): string[] {
    return [...AUDIT_ACTIONS];
  }

  @Authorized<Action>('audit:read')
  @Query(() => AuditChainVerdict, {
    description: "Recomputes the caller's customer's audit chain from its checkpoint and says whether it holds. Reads every event kept: "
      + 'the cost grows with the trail. For agents with the customer admin or super admin permission.',
  })
  async auditChain(@Ctx() ctx: GraphQLContext): Promise<AuditChainVerdict> {
    const { caller } = await requestContext(ctx);
    const [verdict] = await this.audit.verify(caller.customerId);
    // A customer with no event yet has no chain: nothing to break.
    if (!verdict) return { ok: true, events: 0, brokenAtSeq: null, reason: null };
    return verdict.ok
      ? { ok: true, events: verdict.events, brokenAtSeq: null, reason: null }
      : { ok: false, events: null, brokenAtSeq: verdict.broken.seq, reason: verdict.broken.reason };
  }
}

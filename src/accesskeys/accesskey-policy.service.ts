import type { RequestContext } from '../context';
import type { AuditLog } from '../audit/audit.log';
import { attributionOf } from '../audit/attribution';
import type { Attribution } from '../audit/audit.types';
import type { Transactional } from '../db/sql';
import { invalidArgument, notFound, permissionDenied, stateInvalid } from '../errors';
import type { Accesskey } from '../keys/accesskey.entity';
import type { AccesskeyStore } from '../keys/accesskey.store';
import type { KeyChanges } from '../keys/key-changes';
import type { UsageInterval, UsageScope, UsageStore } from '../policy/usage.store';
import { Instant } from '../time';
import type { Clock } from '../time';
import { assertUuid } from '../validation';
import { describedPolicy, parsePolicyChange } from './accesskey-policy';
import type { AccesskeyPolicyInput } from './accesskey-policy.inputs';

/** One interval of a usage report. */
export interface UsageBucketData {
  readonly start: Instant;
  readonly valid: number;
  readonly rateLimited: number;
  readonly usageExceeded: number;
  readonly ipNotAllowed: number;
  /** Uses of a key that was disabled, expired or deleted. */
  readonly other: number;
}

/** The longest report per interval: 31 days of hours (744 buckets), 400 days. */
const MAX_SPAN_SECONDS: Record<UsageInterval, number> = { HOUR: 31 * 86400, DAY: 400 * 86400 };
const INTERVAL_MS: Record<UsageInterval, number> = { HOUR: 3_600_000, DAY: 86_400_000 };

export interface AccesskeyPolicyServiceDeps {
  readonly db: Transactional;
  readonly keys: AccesskeyStore;
  readonly usage: UsageStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Told when a key's policy changed here (other replicas hear it from the database). */
  readonly changes: KeyChanges;
}

/** A key's usage policy, as its owner sets it, and its usage as counted. */
export class AccesskeyPolicyService {
  constructor(private readonly deps: AccesskeyPolicyServiceDeps) {}

  /**
   * Sets or (with `null`) clears each part of the policy of one of the caller's
   * live keys, audited as an update. A key may not change its own policy (a
   * limited key could otherwise lift its own limits).
   */
  async set(ctx: RequestContext, id: string, input: AccesskeyPolicyInput): Promise<Accesskey> {
    const { caller } = ctx;
    if (caller.kind === 'accesskey' && caller.accesskeyId === id) throw permissionDenied('An access key may not change its own usage policy.');
    return this.setForCustomer(caller.customerId, id, input, attributionOf(ctx));
  }

  /** `set` for any customer's key (operator commands, `by` the operator). */
  async setForCustomer(customerId: string, id: string, input: AccesskeyPolicyInput, by: Attribution): Promise<Accesskey> {
    assertUuid(id);
    const change = parsePolicyChange(input);
    const { db, keys, audit, clock } = this.deps;
    const updated = await db.transaction(async (tx) => {
      const done = await keys.setPolicy(customerId, id, change, clock.now(), tx);
      if (done) {
        await audit.record(tx, {
          customerId, action: 'accesskey.update', targetId: id, by,
          before: { policy: describedPolicy(done.was) }, after: { policy: describedPolicy(done.key) },
        });
      }
      return done;
    });
    if (!updated) {
      const key = await keys.findForCustomer(customerId, id);
      throw key ? stateInvalid('The access key has been deleted.') : notFound('The access key');
    }
    this.deps.changes.keyChanged(updated.key.tokenHash);
    return updated.key;
  }

  /**
   * Uses counted from `since` to `until` per interval (UTC hours or days), every
   * interval present (zeros included). Counts reach the database in batches
   * (`USAGE_FLUSH_SECONDS`), so the latest ones may not show yet.
   */
  async usage(scope: UsageScope, since: Instant, until: Instant, interval: UsageInterval): Promise<UsageBucketData[]> {
    if (!since.isBefore(until)) throw invalidArgument('until', 'must be after since');
    if (until.epochMs - since.epochMs > MAX_SPAN_SECONDS[interval] * 1000) {
      throw invalidArgument('until', `must be at most ${MAX_SPAN_SECONDS[interval] / 86400} days after since for interval ${interval}`);
    }
    const step = INTERVAL_MS[interval];
    const first = Math.floor(since.epochMs / step) * step;
    const rows = await this.deps.usage.report(scope, since, until, interval);
    const buckets = new Map<number, { valid: number; rateLimited: number; usageExceeded: number; ipNotAllowed: number; other: number }>();
    for (let t = first; t < until.epochMs; t += step) buckets.set(t, { valid: 0, rateLimited: 0, usageExceeded: 0, ipNotAllowed: 0, other: 0 });
    for (const row of rows) {
      const bucket = buckets.get(row.start.epochMs);
      if (!bucket) continue;
      if (row.outcome === 'VALID') bucket.valid += row.count;
      else if (row.outcome === 'RATE_LIMITED') bucket.rateLimited += row.count;
      else if (row.outcome === 'USAGE_EXCEEDED') bucket.usageExceeded += row.count;
      else if (row.outcome === 'IP_NOT_ALLOWED') bucket.ipNotAllowed += row.count;
      else bucket.other += row.count;
    }
    return [...buckets].map(([t, counts]) => ({ start: Instant.fromParts(t), ...counts }));
  }
}

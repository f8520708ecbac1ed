import type { Queryable } from '../db/sql';
import type { Instant } from '../time';
import type { UsageOutcome } from './outcomes';

/** Uses of one key in one hour with one outcome. */
export interface UsageCount {
  readonly keyId: string;
  /** Start of the hour, epoch milliseconds. */
  readonly hourMs: number;
  readonly outcome: UsageOutcome;
  readonly count: number;
}

export type UsageInterval = 'HOUR' | 'DAY';

/** One row of a usage report: the counts of one interval, by outcome. */
export interface UsageRow {
  readonly start: Instant;
  readonly outcome: UsageOutcome;
  readonly count: number;
}

/** Which keys a report covers: one key, or every key of a customer. */
export type UsageScope = { readonly keyId: string } | { readonly customerId: string };

/** The one home of every statement about `accesskey_usage`. */
export class UsageStore {
  constructor(private readonly db: Queryable) {}

  /** Adds counts (one statement); counts of keys deleted from the table meanwhile are dropped. */
  async add(counts: readonly UsageCount[]): Promise<void> {
    await this.db.query(
      'usage_add',
      `INSERT INTO accesskey_usage (accesskey_id, tm_hour, outcome, count)
       SELECT v.id, to_timestamp(v.h / 1000.0), v.o, SUM(v.c)
         FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::bigint[]) AS v(id, h, o, c)
        WHERE EXISTS (SELECT 1 FROM accesskeys a WHERE a.id = v.id)
        GROUP BY v.id, v.h, v.o
       ON CONFLICT (accesskey_id, tm_hour, outcome) DO UPDATE SET count = accesskey_usage.count + EXCLUDED.count`,
      [counts.map((c) => c.keyId), counts.map((c) => c.hourMs), counts.map((c) => c.outcome), counts.map((c) => c.count)],
    );
  }

  /** Drops hours that started before `before`. */
  async prune(before: Instant): Promise<void> {
    await this.db.query('usage_prune', 'DELETE FROM accesskey_usage WHERE tm_hour < $1', [before]);
  }

  /** Counts from `since` (inclusive) to `until` (exclusive), per interval (UTC hours or days) and outcome, oldest first. */
  async report(scope: UsageScope, since: Instant, until: Instant, interval: UsageInterval): Promise<UsageRow[]> {
    const unit = interval === 'HOUR' ? 'hour' : 'day';
    const byKey = 'keyId' in scope;
    const rows = await this.db.query<{ start: Instant; outcome: UsageOutcome; count: string }>(
      `usage_report_${byKey ? 'key' : 'customer'}_${unit}`,
      `SELECT date_trunc('${unit}', u.tm_hour, 'UTC') AS start, u.outcome, SUM(u.count)::text AS count
         FROM accesskey_usage u
        WHERE ${byKey ? 'u.accesskey_id = $1' : 'u.accesskey_id IN (SELECT id FROM accesskeys WHERE customer_id = $1)'}
          AND u.tm_hour >= $2 AND u.tm_hour < $3
        GROUP BY 1, 2 ORDER BY 1, 2`,
      ['keyId' in scope ? scope.keyId : scope.customerId, since, until],
    );
    return rows.map((r) => ({ start: r.start, outcome: r.outcome, count: Number(r.count) }));
  }
}

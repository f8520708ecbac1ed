import { BatchedWriter } from '../db/batched-writer';
import type { Clock } from '../time';
import type { UsageOutcome } from './outcomes';
import type { UsageCount, UsageStore } from './usage.store';

/** Hears each use of a known key and its outcome. */
export interface UsageCounterSink {
  count(keyId: string, outcome: UsageOutcome): void;
}

export const noUsageCounts: UsageCounterSink = { count: () => undefined };

export interface UsageCounterOptions {
  readonly clock: Clock;
  /** `USAGE_FLUSH_SECONDS`: how often counts are written (the most a crash loses). */
  readonly flushSeconds: number;
  /** `USAGE_RETENTION_DAYS`: hours older than this are pruned (at most once an hour). */
  readonly retentionDays: number;
  /** Most (key, hour, outcome) entries waiting; beyond it new ones are dropped. */
  readonly maxEntries?: number;
}

const HOUR_MS = 3_600_000;

/**
 * Counts uses per key, hour and outcome in memory and adds them to
 * `accesskey_usage` in one statement every `flushSeconds` (and when stopped),
 * never on the request path, through a `BatchedWriter` (as last use is
 * written); hours past the retention are pruned at most once an hour, after a
 * flush. A failed write keeps its counts for the next one.
 */
export class UsageCounter implements UsageCounterSink {
  private readonly batches: BatchedWriter<UsageCount>;
  private lastPruneMs = 0;

  constructor(
    private readonly store: UsageStore,
    private readonly options: UsageCounterOptions,
  ) {
    this.batches = new BatchedWriter<UsageCount>({
      flushSeconds: options.flushSeconds,
      maxEntries: options.maxEntries ?? 100_000,
      merge: (a, b) => ({ ...a, count: a.count + b.count }),
      write: (batch) => this.store.add([...batch.values()]),
      afterWrite: () => this.pruneIfDue(),
    });
  }

  count(keyId: string, outcome: UsageOutcome): void {
    const hourMs = Math.floor(this.options.clock.now().epochMs / HOUR_MS) * HOUR_MS;
    this.batches.add(`${keyId}|${hourMs}|${outcome}`, { keyId, hourMs, outcome, count: 1 });
  }

  private async pruneIfDue(): Promise<void> {
    const now = this.options.clock.now();
    if (now.epochMs - this.lastPruneMs < HOUR_MS) return;
    await this.store.prune(now.plusSeconds(-this.options.retentionDays * 86400));
    this.lastPruneMs = now.epochMs;
  }

  /** Writes what is waiting, and prunes old hours at most once an hour. Never rejects. */
  flush(): Promise<void> {
    return this.batches.flush();
  }

  setErrorHandler(handler: (err: unknown) => void): void {
    this.batches.setErrorHandler(handler);
  }

  start(): void {
    this.batches.start();
  }

  stop(): Promise<void> {
    return this.batches.stop();
  }
}

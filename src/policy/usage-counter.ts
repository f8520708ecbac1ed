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
 * never on the request path. A failed write keeps its counts for the next one.
 */
export class UsageCounter implements UsageCounterSink {
  private pending = new Map<string, UsageCount>();
  private readonly maxEntries: number;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private lastPruneMs = 0;
  private onError: (err: unknown) => void = () => undefined;

  constructor(
    private readonly store: UsageStore,
    private readonly options: UsageCounterOptions,
  ) {
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  count(keyId: string, outcome: UsageOutcome): void {
    const hourMs = Math.floor(this.options.clock.now().epochMs / HOUR_MS) * HOUR_MS;
    this.add({ keyId, hourMs, outcome, count: 1 });
  }

  private add(entry: UsageCount): void {
    const id = `${entry.keyId}|${entry.hourMs}|${entry.outcome}`;
    const known = this.pending.get(id);
    if (known) this.pending.set(id, { ...known, count: known.count + entry.count });
    else if (this.pending.size < this.maxEntries) this.pending.set(id, entry);
  }

  /** Writes what is waiting, and prunes old hours at most once an hour. Never rejects. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    this.inFlight = this.write();
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  private async write(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      if (batch.length > 0) await this.store.add(batch);
      const now = this.options.clock.now();
      if (now.epochMs - this.lastPruneMs >= HOUR_MS) {
        await this.store.prune(now.plusSeconds(-this.options.retentionDays * 86400));
        this.lastPruneMs = now.epochMs;
      }
    } catch (err) {
      for (const entry of batch) this.add(entry);
      this.onError(err);
    }
  }

  setErrorHandler(handler: (err: unknown) => void): void {
    this.onError = handler;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}

import { BatchedWriter } from '../db/batched-writer';
import type { Clock, Instant } from '../time';
import type { KeyUse } from './accesskey.store';

/** Where recorded uses are written: one statement per batch. */
export interface UsageWriter {
  writeLastUsed(uses: readonly KeyUse[]): Promise<void>;
}

/** Hears each successful access-key authentication. */
export interface UsageSink {
  record(keyId: string): void;
}

export const noUsage: UsageSink = { record: () => undefined };

export interface UsageRecorderOptions {
  readonly clock: Clock;
  /** `LAST_USED_FLUSH_SECONDS`: how often recorded uses are written (the most a crash loses). */
  readonly flushSeconds: number;
  /** Most keys remembered, both waiting to be written and recently written (default 100,000 each). */
  readonly maxKeys?: number;
}

/** A key whose last use was written less than this long ago is not written again. */
const REWRITE_AFTER_MS = 60_000;

/**
 * Keeps `tm_last_used` without a database write on the request path: each
 * use is remembered in memory (key id → latest use), and the uses are written
 * in one statement every `flushSeconds`, on `flush()` and when stopped (a
 * `BatchedWriter`). A key written less than a minute ago is not recorded
 * again, so it is written at most once a minute and its stored value lags the
 * truth by less than a minute plus one flush interval. A failed flush keeps
 * its uses for the next try. Both maps are bounded: uses beyond the bound are
 * dropped (the value then lags), and forgetting a written key costs at most
 * one extra write.
 */
export class UsageRecorder implements UsageSink {
  private readonly batches: BatchedWriter<Instant>;
  /** When each recently written key's use was written (insertion order: oldest first). */
  private readonly written = new Map<string, number>();
  private readonly maxKeys: number;

  constructor(
    private readonly writer: UsageWriter,
    private readonly options: UsageRecorderOptions,
  ) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.batches = new BatchedWriter<Instant>({
      flushSeconds: options.flushSeconds,
      maxEntries: this.maxKeys,
      // A newer use recorded meanwhile wins over a failed batch's.
      merge: (a, b) => (a.isBefore(b) ? b : a),
      write: (batch) => this.write(batch),
    });
  }

  /** Remembers that `keyId` authenticated now. Never throws, never waits. */
  record(keyId: string): void {
    const now = this.options.clock.now();
    const writtenAt = this.written.get(keyId);
    if (writtenAt !== undefined && now.epochMs - writtenAt < REWRITE_AFTER_MS) return;
    this.batches.add(keyId, now);
  }

  /** Uses waiting to be written. */
  get size(): number {
    return this.batches.size;
  }

  /** Writes every waiting use in one statement (none when nothing waits). Never rejects. */
  flush(): Promise<void> {
    return this.batches.flush();
  }

  private async write(batch: ReadonlyMap<string, Instant>): Promise<void> {
    const uses = [...batch].map(([id, at]) => ({ id, at }));
    await this.writer.writeLastUsed(uses);
    for (const { id, at } of uses) {
      this.written.delete(id);
      this.written.set(id, at.epochMs);
    }
    for (const id of this.written.keys()) {
      if (this.written.size <= this.maxKeys) break;
      this.written.delete(id);
    }
  }

  /** Who is told when a flush fails (the uses are kept for the next one), e.g. the app's log. */
  setErrorHandler(handler: (err: unknown) => void): void {
    this.batches.setErrorHandler(handler);
  }

  /** Flushes every `flushSeconds` (the timer never keeps the process alive). */
  start(): void {
    this.batches.start();
  }

  /** Stops the timer and writes what is waiting (before the database closes). */
  stop(): Promise<void> {
    return this.batches.stop();
  }
}

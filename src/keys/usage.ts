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
 * in one statement every `flushSeconds`, on `flush()` and when stopped. A key
 * written less than a minute ago is not recorded again, so it is written at
 * most once a minute and its stored value lags the truth by less than a minute
 * plus one flush interval. A failed flush keeps its uses for the next try.
 * Both maps are bounded: uses beyond the bound are dropped (the value then
 * lags), and forgetting a written key costs at most one extra write.
 */
export class UsageRecorder implements UsageSink {
  private pending = new Map<string, Instant>();
  /** When each recently written key's use was written (insertion order: oldest first). */
  private readonly written = new Map<string, number>();
  private readonly maxKeys: number;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private onError: (err: unknown) => void = () => undefined;

  constructor(
    private readonly writer: UsageWriter,
    private readonly options: UsageRecorderOptions,
  ) {
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Remembers that `keyId` authenticated now. Never throws, never waits. */
  record(keyId: string): void {
    const now = this.options.clock.now();
    const writtenAt = this.written.get(keyId);
    if (writtenAt !== undefined && now.epochMs - writtenAt < REWRITE_AFTER_MS) return;
    if (!this.pending.has(keyId) && this.pending.size >= this.maxKeys) return;
    this.pending.set(keyId, now);
  }

  /** Uses waiting to be written. */
  get size(): number {
    return this.pending.size;
  }

  /** Writes every waiting use in one statement (none when nothing waits). Never rejects. */
  async flush(): Promise<void> {
    // One flush at a time, so a slow one is never overtaken by the next.
    while (this.inFlight) await this.inFlight;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.inFlight = this.write(batch);
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  private async write(batch: Map<string, Instant>): Promise<void> {
    const uses = [...batch].map(([id, at]) => ({ id, at }));
    try {
      await this.writer.writeLastUsed(uses);
    } catch (err) {
      // Kept for the next try; a newer use recorded meanwhile wins.
      for (const { id, at } of uses) {
        if (this.pending.has(id) || this.pending.size < this.maxKeys) {
          const newer = this.pending.get(id);
          if (!newer || newer.isBefore(at)) this.pending.set(id, at);
        }
      }
      this.onError(err);
      return;
    }
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
    this.onError = handler;
  }

  /** Flushes every `flushSeconds` (the timer never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushSeconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer and writes what is waiting (before the database closes). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}

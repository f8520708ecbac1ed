/** How a `BatchedWriter` buffers and writes. */
export interface BatchedWriterOptions<V> {
  /** How often the buffer is written (seconds): the most a crash loses. */
  readonly flushSeconds: number;
  /** Most entries buffered; beyond it a new key is dropped (a buffered one still merges). */
  readonly maxEntries: number;
  /** Combines two values of one key: the buffered and a newer one, or a failed batch's and the newer buffered one. Must not care which is which. */
  readonly merge: (a: V, b: V) => V;
  /** Writes one batch (one statement). A rejection keeps the batch for the next flush. */
  readonly write: (batch: ReadonlyMap<string, V>) => Promise<void>;
  /** Upkeep run at each flush after the batch was written (or when there was none), e.g. pruning; a rejection is reported like a failed write. */
  readonly afterWrite?: () => Promise<void>;
}

/**
 * Side work written off the request path: values are buffered in memory by
 * key (merged when a key comes again) and written in one batch every
 * `flushSeconds`, on `flush()` and on `stop()` (before the database closes).
 * Flushes never overlap, never reject, and a failed one keeps its batch for
 * the next (merged with what came meanwhile). The buffer is bounded, so an
 * unreachable database costs memory up to `maxEntries`, never more.
 * Last use (keys/usage.ts) and usage counts (policy/usage-counter.ts) both
 * write through one.
 */
export class BatchedWriter<V> {
  private pending = new Map<string, V>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private onError: (err: unknown) => void = () => undefined;

  constructor(private readonly options: BatchedWriterOptions<V>) {}

  /** Buffers `value` for `key`. Never throws, never waits; dropped when the buffer is full and `key` is new. */
  add(key: string, value: V): void {
    const known = this.pending.get(key);
    if (known !== undefined) this.pending.set(key, this.options.merge(known, value));
    else if (this.pending.size < this.options.maxEntries) this.pending.set(key, value);
  }

  /** Entries waiting to be written. */
  get size(): number {
    return this.pending.size;
  }

  /** Writes what is waiting (nothing when nothing waits), then the upkeep. Never rejects. */
  async flush(): Promise<void> {
    // One flush at a time, so a slow one is never overtaken by the next.
    while (this.inFlight) await this.inFlight;
    this.inFlight = this.writeBatch();
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  private async writeBatch(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    try {
      if (batch.size > 0) await this.options.write(batch);
    } catch (err) {
      for (const [key, value] of batch) this.add(key, value);
      this.onError(err);
      return;
    }
    try {
      await this.options.afterWrite?.();
    } catch (err) {
      this.onError(err);
    }
  }

  /** Who is told when a flush fails (its batch is kept for the next one), e.g. the app's log. */
  setErrorHandler(handler: (err: unknown) => void): void {
    this.onError = handler;
  }

  /** Flushes every `flushSeconds` (the timer never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushSeconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer and writes what is waiting. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}

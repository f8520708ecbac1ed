import { BatchedWriter } from '../../src/db/batched-writer';

/** The one batching both last use and usage counts write through (src/db/batched-writer.ts). */

function counter(write: (batch: ReadonlyMap<string, number>) => Promise<void>, maxEntries = 3, afterWrite?: () => Promise<void>) {
  return new BatchedWriter<number>({ flushSeconds: 60, maxEntries, merge: (a, b) => a + b, write, afterWrite });
}

describe('BatchedWriter', () => {
  it('merges a key that comes again, and drops new keys past the bound (a buffered key still merges)', async () => {
    const written: Array<[string, number][]> = [];
    const w = counter(async (batch) => void written.push([...batch]));
    for (const key of ['a', 'b', 'a', 'c', 'd', 'a']) w.add(key, 1);
    expect(w.size).toBe(3);
    await w.flush();
    expect(written).toEqual([[['a', 3], ['b', 1], ['c', 1]]]);
    expect(w.size).toBe(0);
    await w.flush();
    expect(written).toHaveLength(1);
  });

  it('a failed write keeps its batch, merged with what came meanwhile, and is reported; the upkeep waits for a write that succeeds', async () => {
    let fail = true;
    const written: Array<[string, number][]> = [];
    const errors: unknown[] = [];
    let upkeep = 0;
    const w = counter(
      async (batch) => {
        if (fail) throw new Error('database down');
        written.push([...batch]);
      },
      3,
      async () => void upkeep++,
    );
    w.setErrorHandler((err) => errors.push(err));
    w.add('a', 2);
    await w.flush();
    expect(errors).toHaveLength(1);
    expect(upkeep).toBe(0);
    w.add('a', 1);
    fail = false;
    await w.flush();
    expect(written).toEqual([[['a', 3]]]);
    expect(upkeep).toBe(1);
    await w.flush();
    expect(upkeep).toBe(2);
  });

  it('flushes never overlap, and stop writes what is waiting', async () => {
    let running = 0;
    let most = 0;
    const written: number[] = [];
    const w = counter(async (batch) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setImmediate(r));
      written.push(batch.size);
      running--;
    });
    w.add('a', 1);
    const first = w.flush();
    w.add('b', 1);
    const second = w.flush();
    await Promise.all([first, second]);
    expect(most).toBe(1);
    expect(written).toEqual([1, 1]);
    w.start();
    w.add('c', 1);
    await w.stop();
    expect(written).toEqual([1, 1, 1]);
  });
});

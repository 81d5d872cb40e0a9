import { MicroBatcher } from './micro-batcher';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('MicroBatcher', () => {
  it('writes a lone item at once, and collects the ones arriving meanwhile into the next flush', async () => {
    const flushes: number[][] = [];
    const gates: ReturnType<typeof deferred<void>>[] = [];
    const batcher = new MicroBatcher<number, string>(
      async (items) => {
        flushes.push(items);
        const gate = deferred<void>();
        gates.push(gate);
        await gate.promise;
        return items.map((item) => `ok ${item}`);
      },
      { maxItems: 100, maxBytes: 1_000, maxConcurrent: 1 },
    );
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toEqual([[1]]);
    const rest = [2, 3, 4].map((item) => batcher.submit(item));
    expect(batcher.backlog).toBe(3);
    gates[0].resolve();
    await expect(first).resolves.toBe('ok 1');
    while (flushes.length < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toEqual([[1], [2, 3, 4]]);
    gates[1].resolve();
    await expect(Promise.all(rest)).resolves.toEqual(['ok 2', 'ok 3', 'ok 4']);
  });

  it('with lingerMs, holds a partial batch until it is full or its oldest item has waited that long', async () => {
    jest.useFakeTimers();
    try {
      const flushes: number[][] = [];
      const batcher = new MicroBatcher<number, number>(
        (items) => {
          flushes.push(items);
          return Promise.resolve(items);
        },
        { maxItems: 3, maxBytes: 1_000, maxConcurrent: 1, lingerMs: 100 },
      );
      const early = [1, 2].map((item) => batcher.submit(item));
      await jest.advanceTimersByTimeAsync(60);
      expect(flushes).toEqual([]);
      expect(batcher.idle).toBe(false);
      const full = batcher.submit(3);
      await jest.advanceTimersByTimeAsync(0);
      expect(flushes).toEqual([[1, 2, 3]]);
      await expect(Promise.all([...early, full])).resolves.toEqual([1, 2, 3]);
      const late = batcher.submit(4);
      await jest.advanceTimersByTimeAsync(99);
      expect(flushes).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(10);
      expect(flushes).toEqual([[1, 2, 3], [4]]);
      await expect(late).resolves.toBe(4);
      expect(batcher.idle).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('respects the item and byte limits, letting one oversized item go alone', async () => {
    const flushes: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      (items) => {
        flushes.push(items);
        return Promise.resolve(items);
      },
      { maxItems: 3, maxBytes: 10, maxConcurrent: 1 },
      (item) => item,
    );
    await Promise.all([1, 2, 3, 4, 50, 1].map((item) => batcher.submit(item)));
    expect(flushes).toEqual([[1, 2, 3], [4], [50], [1]]);
  });

  it('rejects every caller of a failed flush, and carries on with the next', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>(
      (items) => (++calls === 1 ? Promise.reject(new Error('database down')) : Promise.resolve(items)),
      { maxItems: 10, maxBytes: 100, maxConcurrent: 1 },
    );
    const failed = [batcher.submit(1), batcher.submit(2)];
    await expect(failed[0]).rejects.toThrow('database down');
    await expect(failed[1]).rejects.toThrow('database down');
    await expect(batcher.submit(3)).resolves.toBe(3);
  });

  it('runs up to maxConcurrent flushes side by side', async () => {
    let active = 0;
    let peak = 0;
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        return items;
      },
      { maxItems: 1, maxBytes: 100, maxConcurrent: 3 },
    );
    await Promise.all(Array.from({ length: 12 }, (_, i) => batcher.submit(i)));
    expect(peak).toBe(3);
  });

  it('fails a refused item without flushing it, and sends retried items again first', async () => {
    const flushes: string[][] = [];
    let calls = 0;
    let idle = 0;
    const batcher = new MicroBatcher<string, string>(
      (items) => {
        flushes.push(items);
        return ++calls === 1 ? Promise.reject(new Error('refused: b')) : Promise.resolve(items);
      },
      {
        maxItems: 10,
        maxBytes: 100,
        maxConcurrent: 1,
        refuse: (item) => (item === 'fenced' ? new Error('lock lost') : undefined),
        afterFailure: (error, items) =>
          items.map((item) => (item === 'b' ? { fail: error } : { retry: error })),
        onIdle: () => (idle += 1),
      },
    );
    const outcomes = await Promise.allSettled(['a', 'fenced', 'b', 'c'].map((item) => batcher.submit(item)));
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : 'failed'))).toEqual([
      'a',
      'failed',
      'failed',
      'c',
    ]);
    expect(flushes).toEqual([
      ['a', 'b', 'c'],
      ['a', 'c'],
    ]);
    expect(batcher.idle).toBe(true);
    expect(idle).toBeGreaterThanOrEqual(1);
  });

  it('gives up on an item retried maxRetries times, with the error of its last flush', async () => {
    let flushes = 0;
    const batcher = new MicroBatcher<string, string>(
      () => Promise.reject(new Error(`attempt ${++flushes}`)),
      {
        maxItems: 10,
        maxBytes: 100,
        maxConcurrent: 1,
        afterFailure: (error, items) => items.map(() => ({ retry: error })),
        maxRetries: 2,
      },
    );
    await expect(batcher.submit('x')).rejects.toThrow('attempt 3');
    expect(flushes).toBe(3);
  });
});

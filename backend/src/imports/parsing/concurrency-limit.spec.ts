import { ConcurrencyLimit } from './concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('runs at most `max` tasks at once, the rest in arrival order, and goes on after a failure', async () => {
    const limit = new ConcurrencyLimit(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const task = (n: number, fail = false) =>
      limit.run(async () => {
        started.push(n);
        await new Promise<void>((resolve) => release.push(resolve));
        if (fail) throw new Error('boom');
        return n;
      });
    const results = [task(1, true), task(2), task(3), task(4)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2]);
    expect(limit.active).toBe(2);
    release.shift()!();
    await expect(results[0]).rejects.toThrow('boom');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2, 3]);
    while (release.length > 0 || started.length < 4) {
      release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(results.slice(1))).toEqual([2, 3, 4]);
    expect(limit.active).toBe(0);
  });
});

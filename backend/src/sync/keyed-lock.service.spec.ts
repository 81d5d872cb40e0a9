import { FakeRedis } from '../../test/support/fake-redis';
import { KeyedLockService } from './keyed-lock.service';
import { LockBusyProblem, LockLostProblem } from './sync.problems';

describe('KeyedLockService', () => {
  let redis: FakeRedis;
  let locks: KeyedLockService;

  beforeEach(() => {
    redis = new FakeRedis();
    locks = new KeyedLockService(redis.asRedis());
  });

  it('runs work for the same key one at a time, and releases the key afterwards', async () => {
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      events.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([locks.withLocks(['k'], work('a')), locks.withLocks(['k'], work('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(await redis.keys('*')).toEqual([]);
  });

  it('answers 503 with Retry-After when the key stays busy, and frees the keys it had taken', async () => {
    await redis.set('m', 'someone else', 'PX', 10_000, 'NX');
    const error = await locks
      .withLocks(['z', 'm', 'a'], () => Promise.resolve('never'), { waitMs: 80 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LockBusyProblem);
    expect((error as LockBusyProblem).getStatus()).toBe(503);
    expect(Number((error as LockBusyProblem).headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(await redis.keys('*')).toEqual(['m']); // 'a' was taken, then released
  });

  it('takes several keys in sorted order, each once', async () => {
    const set = jest.spyOn(redis, 'set');
    await locks.withLocks(['phone', 'email', 'phone'], () => Promise.resolve());
    expect(set.mock.calls.map(([key]) => key)).toEqual(['email', 'phone']);
  });

  it('renews the lock while work runs longer than its TTL, so no one else can take the key', async () => {
    jest.useFakeTimers();
    try {
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const running = locks.withLocks(
        ['k'],
        async (state) => {
          await finished;
          return state.lost;
        },
        { ttlMs: 150 },
      );
      await jest.advanceTimersByTimeAsync(0);
      const token = await redis.get('k');
      expect(token).not.toBeNull();
      expect(await redis.pttl('k')).toBe(150); // a lease: a holder that dies frees the key within one TTL
      // five TTLs pass on the (fake) clock while the work still runs: without renewal the key expires
      for (let step = 0; step < 15; step += 1) await jest.advanceTimersByTimeAsync(50);
      expect(await redis.set('k', 'another process', 'PX', 10_000, 'NX')).toBeNull();
      expect(await redis.get('k')).toBe(token);
      const left = await redis.pttl('k');
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(150);
      finish();
      expect(await running).toBe(false);
      expect(await redis.exists('k')).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('notices a lock taken over after it expired, and refuses to write then (fencing)', async () => {
    const outcome = await locks.withLocks(
      ['k'],
      async (state) => {
        await redis.set('k', 'another process', 'PX', 10_000);
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { lost: state.lost, assert: () => state.assertHeld() };
      },
      { ttlMs: 300 },
    );
    expect(outcome.lost).toBe(true);
    expect(outcome.assert).toThrow(LockLostProblem);
    expect(await redis.get('k')).toBe('another process'); // not released by us
  });
});

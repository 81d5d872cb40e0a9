import type Redis from 'ioredis';
import { KeyedLockService } from './keyed-lock.service';
import { LockBusyProblem, LockLostProblem } from './sync.problems';

/** SET NX PX, PTTL and the two scripts (renew, release) of RedisLock, in memory. */
class FakeRedis {
  readonly values = new Map<string, { value: string; expiresAt: number }>();
  readonly setOrder: string[] = [];

  private live(key: string): { value: string; expiresAt: number } | undefined {
    const entry = this.values.get(key);
    if (entry && entry.expiresAt <= Date.now()) this.values.delete(key);
    return this.values.get(key);
  }

  set(key: string, value: string, _px: 'PX', ttl: number, _nx: 'NX'): Promise<'OK' | null> {
    this.setOrder.push(key);
    if (this.live(key)) return Promise.resolve(null);
    this.values.set(key, { value, expiresAt: Date.now() + ttl });
    return Promise.resolve('OK');
  }

  pttl(key: string): Promise<number> {
    const entry = this.live(key);
    return Promise.resolve(entry ? entry.expiresAt - Date.now() : -2);
  }

  /** Scripts are not cached here: RedisScript falls back to EVAL, as after a Redis restart. */
  evalsha(): Promise<never> {
    return Promise.reject(new Error('NOSCRIPT No matching script'));
  }

  eval(script: string, _keys: number, key: string, token: string, ttl?: number): Promise<number> {
    const entry = this.live(key);
    const ours = entry?.value === token;
    if (ours && script.includes('PEXPIRE')) entry.expiresAt = Date.now() + Number(ttl);
    if (ours && script.includes('DEL')) this.values.delete(key);
    return Promise.resolve(ours ? 1 : 0);
  }
}

describe('KeyedLockService', () => {
  let redis: FakeRedis;
  let locks: KeyedLockService;

  beforeEach(() => {
    redis = new FakeRedis();
    locks = new KeyedLockService(redis as unknown as Redis);
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
    expect(redis.values.size).toBe(0);
  });

  it('answers 503 with Retry-After when the key stays busy, and frees the keys it had taken', async () => {
    await redis.set('m', 'someone else', 'PX', 10_000, 'NX');
    const error = await locks
      .withLocks(['z', 'm', 'a'], () => Promise.resolve('never'), { waitMs: 80 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LockBusyProblem);
    expect((error as LockBusyProblem).getStatus()).toBe(503);
    expect(Number((error as LockBusyProblem).headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect([...redis.values.keys()]).toEqual(['m']); // 'a' was taken, then released
  });

  it('takes several keys in sorted order, each once', async () => {
    await locks.withLocks(['phone', 'email', 'phone'], () => Promise.resolve());
    expect(redis.setOrder).toEqual(['email', 'phone']);
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
      const token = redis.values.get('k')?.value;
      expect(token).toBeDefined();
      // five TTLs pass on the (fake) clock while the work still runs: without renewal the key expires
      for (let step = 0; step < 15; step += 1) await jest.advanceTimersByTimeAsync(50);
      expect(await redis.set('k', 'another process', 'PX', 10_000, 'NX')).toBeNull();
      expect(redis.values.get('k')?.value).toBe(token);
      finish();
      expect(await running).toBe(false);
      expect(redis.values.has('k')).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('notices a lock taken over after it expired, and refuses to write then (fencing)', async () => {
    const outcome = await locks.withLocks(
      ['k'],
      async (state) => {
        redis.values.set('k', { value: 'another process', expiresAt: Date.now() + 10_000 });
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { lost: state.lost, assert: () => state.assertHeld() };
      },
      { ttlMs: 300 },
    );
    expect(outcome.lost).toBe(true);
    expect(outcome.assert).toThrow(LockLostProblem);
    expect(redis.values.get('k')?.value).toBe('another process'); // not released by us
  });
});

import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { RedisScript } from './redis-script';

/** Deletes the lock only when it still holds our token (it may have expired and been taken by another process). */
const RELEASE = new RedisScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
  1,
);

/** A lock shared by all processes: SET NX PX with a random token, released only by its holder. */
export class RedisLock {
  private constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly token: string,
  ) {}

  /** Takes the lock or answers null at once when another process holds it. */
  static async tryAcquire(redis: Redis, key: string, ttlMs: number): Promise<RedisLock | null> {
    const token = randomBytes(16).toString('hex');
    const result = await redis.set(key, token, 'PX', ttlMs, 'NX');
    return result === 'OK' ? new RedisLock(redis, key, token) : null;
  }

  /** Polls until the lock is free or `waitMs` passed (null then). */
  static async acquire(
    redis: Redis,
    key: string,
    ttlMs: number,
    waitMs: number,
    pollMs = 50,
  ): Promise<RedisLock | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const lock = await RedisLock.tryAcquire(redis, key, ttlMs);
      if (lock || Date.now() + pollMs > deadline) return lock;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async release(): Promise<void> {
    await RELEASE.run(this.redis, [this.key], [this.token]);
  }
}

import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { RedisScript } from './redis-script';

/** Deletes the key only when it still holds our token (it may have expired and been taken by another process). */
const RELEASE = new RedisScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
  1,
);
/** Extends the key's TTL only when it still holds our token; 0 means the lock was lost. */
const RENEW = new RedisScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
  1,
);

export interface RedisLockWait {
  /** Give up (answer null) when the next try would start after this time (ms since the epoch). */
  deadline: number;
  /** Pause before try number `attempt + 1` (default 50 ms each). */
  pause?: (attempt: number) => number;
  /** The token to hold the key with: several keys taken with one token belong to one holder. */
  token?: string;
}

/** A random token naming one holder of one or more locks. */
export function newLockToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The one Redis lock of the service: a key set with `SET NX PX` to a random token, so it is shared by every
 * process and freed by its TTL when the holder dies. Renewal and release are Lua scripts that act only while
 * the key still holds the holder's token (fencing): a holder that stalled past its TTL can neither extend nor
 * delete a lock another process took meanwhile, and learns from `renew()` answering false that it lost it.
 */
export class RedisLock {
  private constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly token: string,
  ) {}

  /** Takes the lock, or answers null at once when another holder has it. */
  static async tryAcquire(
    redis: Redis,
    key: string,
    ttlMs: number,
    token = newLockToken(),
  ): Promise<RedisLock | null> {
    const result = await redis.set(key, token, 'PX', ttlMs, 'NX');
    return result === 'OK' ? new RedisLock(redis, key, token) : null;
  }

  /** Tries until the lock is taken, or answers null once the deadline would pass. */
  static async acquire(
    redis: Redis,
    key: string,
    ttlMs: number,
    wait: RedisLockWait,
  ): Promise<RedisLock | null> {
    const token = wait.token ?? newLockToken();
    for (let attempt = 0; ; attempt += 1) {
      const lock = await RedisLock.tryAcquire(redis, key, ttlMs, token);
      if (lock) return lock;
      const pause = wait.pause?.(attempt) ?? 50;
      if (Date.now() + pause > wait.deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** How long the key has left (ms), or a negative number when it is free or has no TTL. */
  static remainingMs(redis: Redis, key: string): Promise<number> {
    return redis.pttl(key);
  }

  /** Sets the TTL to `ttlMs` again; false when the lock was lost (expired, taken by another holder). */
  async renew(ttlMs: number): Promise<boolean> {
    return Number(await RENEW.run(this.redis, [this.key], [this.token, ttlMs])) === 1;
  }

  /** Frees the lock if it is still ours; false when it was not (any more). */
  async release(): Promise<boolean> {
    return Number(await RELEASE.run(this.redis, [this.key], [this.token])) === 1;
  }
}

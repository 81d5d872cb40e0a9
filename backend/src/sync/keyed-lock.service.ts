import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { newLockToken, RedisLock } from '../redis/redis-lock';
import { REDIS } from '../redis/redis.module';
import { LockBusyProblem, LockLostProblem } from './sync.problems';

export interface KeyedLockOptions {
  /** How long a lock lives without renewal: a crashed holder frees it after this (default 15 s). */
  ttlMs?: number;
  /** How long a caller waits for a busy key before giving up with 503 (default 25 s). */
  waitMs?: number;
}

/** What the work running under the locks can ask: whether the locks are still ours. */
export interface HeldLocks {
  /** True once a renewal found a key taken over (the holder stalled past the TTL). */
  readonly lost: boolean;
  /** Throws 503 when the locks were lost: call right before an external write. */
  assertHeld(): void;
}

const DEFAULT_TTL_MS = 15_000;
const DEFAULT_WAIT_MS = 25_000;

/**
 * Named locks shared by every process through Redis (`SET NX PX` with a random token). Several keys are taken
 * in sorted order (so two callers never deadlock) and renewed every third of the TTL while the work runs; a
 * renewal that finds a key taken over marks the locks lost, and `assertHeld()` then refuses to write. The TTL
 * bounds how long a crashed process blocks others. Waiters poll with a short, jittered backoff and get a 503
 * with Retry-After when the key stays busy for `waitMs`.
 *
 * Fencing: what the work decided before it held the lock must be re-checked after taking it (the previous
 * holder may have just written), and external writes go only while `assertHeld()` passes.
 */
@Injectable()
export class KeyedLockService {
  private readonly logger = new Logger('Locks');

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async withLocks<T>(
    keys: readonly string[],
    work: (held: HeldLocks) => Promise<T>,
    options: KeyedLockOptions = {},
  ): Promise<T> {
    const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    const locks = await this.takeAll(keys, ttlMs, Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS));
    const state = { lost: false };
    const held: HeldLocks = {
      get lost() {
        return state.lost;
      },
      assertHeld() {
        if (state.lost) throw new LockLostProblem();
      },
    };
    const renewal = setInterval(
      () => {
        void this.renew(locks, ttlMs).then(
          (ok) => {
            if (!ok) state.lost = true;
          },
          (error: unknown) => {
            // Redis is unreachable: we cannot prove the lock is still ours.
            state.lost = true;
            this.logger.warn(
              { error: error instanceof Error ? error.message : String(error) },
              'lock renewal failed',
            );
          },
        );
      },
      Math.max(100, Math.floor(ttlMs / 3)),
    );
    try {
      return await work(held);
    } finally {
      clearInterval(renewal);
      await this.release(locks);
    }
  }

  /** Every key, in sorted order, under one token; on a busy key the ones taken are freed and 503 is thrown. */
  private async takeAll(keys: readonly string[], ttlMs: number, deadline: number): Promise<RedisLock[]> {
    const token = newLockToken();
    const taken: RedisLock[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) {
        const lock = await RedisLock.acquire(this.redis, key, ttlMs, { deadline, token, pause: backoff });
        if (!lock) {
          const remaining = await RedisLock.remainingMs(this.redis, key);
          throw new LockBusyProblem(
            Math.max(1, Math.ceil(Math.min(Math.max(remaining, 1000), ttlMs) / 1000)),
          );
        }
        taken.push(lock);
      }
      return taken;
    } catch (error) {
      await this.release(taken);
      throw error;
    }
  }

  private async renew(locks: readonly RedisLock[], ttlMs: number): Promise<boolean> {
    const renewed = await Promise.all(locks.map((lock) => lock.renew(ttlMs)));
    return renewed.every(Boolean);
  }

  private async release(locks: readonly RedisLock[]): Promise<void> {
    try {
      await Promise.all(locks.map((lock) => lock.release()));
    } catch (error) {
      // The TTL frees them anyway.
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'lock release failed',
      );
    }
  }
}

/** Waiters poll with a short exponential backoff (10 ms up to 100 ms) and some jitter. */
function backoff(attempt: number): number {
  return Math.min(10 * 2 ** Math.min(attempt, 4), 100) + Math.floor(Math.random() * 15);
}

import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { LockBusyProblem, LockLostProblem } from './sync.problems';

/** Deletes a key only when it still holds our token. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Extends a key's TTL only when it still holds our token; 0 means the lock was lost. */
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

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
    const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    const ordered = [...new Set(keys)].sort();
    const token = randomBytes(16).toString('hex');
    const deadline = Date.now() + waitMs;
    const taken: string[] = [];
    try {
      for (const key of ordered) {
        await this.take(key, token, ttlMs, deadline);
        taken.push(key);
      }
    } catch (error) {
      await this.release(taken, token);
      throw error;
    }
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
        void this.renew(taken, token, ttlMs).then(
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
      await this.release(taken, token);
    }
  }

  private async take(key: string, token: string, ttlMs: number, deadline: number): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      if ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK') return;
      const pause = Math.min(10 * 2 ** Math.min(attempt, 4), 100) + Math.floor(Math.random() * 15);
      if (Date.now() + pause > deadline) {
        const remaining = await this.redis.pttl(key);
        throw new LockBusyProblem(Math.max(1, Math.ceil(Math.min(Math.max(remaining, 1000), ttlMs) / 1000)));
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  private async renew(keys: readonly string[], token: string, ttlMs: number): Promise<boolean> {
    if (keys.length === 0) return true;
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.eval(RENEW_SCRIPT, 1, key, token, ttlMs);
    const results = (await pipeline.exec()) ?? [];
    return results.every(([error, value]) => !error && Number(value) === 1);
  }

  private async release(keys: readonly string[], token: string): Promise<void> {
    if (keys.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.eval(RELEASE_SCRIPT, 1, key, token);
    try {
      await pipeline.exec();
    } catch (error) {
      // The TTL frees them anyway.
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'lock release failed',
      );
    }
  }
}

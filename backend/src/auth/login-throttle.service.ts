import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';

const WINDOW_SECONDS = 15 * 60;
const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_IP = 20;
const SLOWDOWN_AFTER = 2;
const SLOWDOWN_STEP_MS = 400;
const MAX_SLOWDOWN_MS = 3000;

export interface ThrottleState {
  /** Seconds until login is allowed again; 0 when not locked. */
  lockedForSeconds: number;
  /** Delay to apply before answering this attempt. */
  delayMs: number;
}

/**
 * Slows down, then refuses, repeated failed logins per e-mail and per IP (Redis, shared by all processes).
 * Unknown and known e-mails are counted alike, so the answers never reveal whether an account exists.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async check(email: string, ip: string): Promise<ThrottleState> {
    const [emailLock, ipLock, emailFailures, ipFailures] = await Promise.all([
      this.redis.ttl(this.key('lock', 'email', email)),
      this.redis.ttl(this.key('lock', 'ip', ip)),
      this.redis.get(this.key('fail', 'email', email)),
      this.redis.get(this.key('fail', 'ip', ip)),
    ]);
    const lockedForSeconds = Math.max(emailLock, ipLock, 0);
    const failures = Math.max(Number(emailFailures ?? 0), Math.floor(Number(ipFailures ?? 0) / 4));
    const delayMs =
      failures > SLOWDOWN_AFTER
        ? Math.min((failures - SLOWDOWN_AFTER) * SLOWDOWN_STEP_MS, MAX_SLOWDOWN_MS)
        : 0;
    return { lockedForSeconds, delayMs };
  }

  /** Counts a failure; returns the lock length in seconds when this failure started a lockout. */
  async recordFailure(email: string, ip: string): Promise<number> {
    const emailCount = await this.bump(this.key('fail', 'email', email));
    const ipCount = await this.bump(this.key('fail', 'ip', ip));
    const lockSeconds = this.config.loginLockoutSeconds;
    let locked = 0;
    if (emailCount >= MAX_FAILURES_PER_EMAIL) {
      await this.redis.set(this.key('lock', 'email', email), '1', 'EX', lockSeconds);
      await this.redis.del(this.key('fail', 'email', email));
      locked = lockSeconds;
    }
    if (ipCount >= MAX_FAILURES_PER_IP) {
      await this.redis.set(this.key('lock', 'ip', ip), '1', 'EX', lockSeconds);
      await this.redis.del(this.key('fail', 'ip', ip));
      locked = lockSeconds;
    }
    return locked;
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.key('fail', 'email', email));
  }

  private async bump(key: string): Promise<number> {
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').exec()) as [
      [null, number],
    ];
    return count;
  }

  private key(kind: 'fail' | 'lock', scope: 'email' | 'ip', value: string): string {
    const digest = createHash('sha256').update(value.toLowerCase()).digest('hex').slice(0, 32);
    return `login:${kind}:${scope}:${digest}`;
  }
}

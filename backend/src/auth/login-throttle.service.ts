import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';
import { clientNetwork } from './client-network';

/**
 * The limits of the login throttle. A "window" starts at the first counted attempt and lasts WINDOW_SECONDS;
 * a lock lasts LOGIN_LOCKOUT_SECONDS.
 */
export const LOGIN_LIMITS = {
  windowSeconds: 15 * 60,
  /** Failures of one e-mail from one address (network) before that pair is locked. */
  failuresPerPair: 5,
  /** Failures from one address (network), whatever the e-mails, before the address is locked. */
  failuresPerAddress: 20,
  /** Failed attempts per window on one e-mail from addresses it has not logged in from (its guessing budget). */
  attemptsPerEmail: 10,
  /**
   * Further failed attempts per window on one e-mail, once its budget is used up, each from an address with no
   * failure in its own window: so the owner on a new network still gets in while a few addresses guess.
   */
  attemptsPerEmailFromCleanAddresses: 20,
  /** How long an address that logged in to an account is remembered as that account's usual address. */
  trustSeconds: 30 * 24 * 3600,
} as const;

/**
 * Why attempts on an e-mail are being refused: the (e-mail, address) pair is locked, the address is locked,
 * or the e-mail's budget of attempts from unfamiliar addresses is used up.
 */
export type ThrottleScope = 'email-address' | 'address' | 'email';

interface ThrottleKeys {
  pairFailures: string;
  pairLock: string;
  addressFailures: string;
  addressLock: string;
  emailBudget: string;
  cleanAddressBudget: string;
  trust: string;
}

/** An attempt the throttle let through: pass it back to `recordFailure` or `recordSuccess`. */
export interface AdmittedAttempt {
  allowed: true;
  /** The address logged in to this account before (within `trustSeconds`): the e-mail budget does not apply. */
  trusted: boolean;
  /** Set once per window, on the attempt that used up the e-mail's budget (worth an audit entry). */
  budgetUsedUp?: boolean;
  /** The budget this attempt was counted against, given back if the password was right. */
  readonly budgetKey?: string;
  readonly keys: ThrottleKeys;
  /** Attempts of this pair and of this address counted in their windows, this one included. */
  readonly pairCount: number;
  readonly addressCount: number;
}

/** An attempt refused without looking at the password: answer 429 with Retry-After. */
export interface RefusedAttempt {
  allowed: false;
  retryAfterSeconds: number;
  scope: ThrottleScope;
  /** Set once per window, on the attempt that used up the e-mail's budget (worth an audit entry). */
  budgetUsedUp?: boolean;
}

export type LoginAttempt = AdmittedAttempt | RefusedAttempt;

/** A lock that a failure started. */
export interface StartedLock {
  seconds: number;
  scopes: ThrottleScope[];
}

/**
 * Keeps password guessing slow without letting anyone lock the real owner out (Redis, shared by all processes).
 *
 * - Failures are counted per (e-mail, address) and per address; too many lock that pair or that address for
 *   LOGIN_LOCKOUT_SECONDS. An e-mail itself is never locked, so failures from other addresses never lock out
 *   the owner's address.
 * - Each e-mail has a budget of attempts per window from addresses it has not logged in from, which bounds how
 *   fast it can be guessed from any number of addresses. Beyond it, attempts are refused (429, Retry-After:
 *   until the window ends) unless they come from a clean address (no failure in its own window), which may use
 *   a second, larger budget: an attacker must burn that many distinct addresses to keep a new one out too.
 * - An address that logged in to an account is remembered for `trustSeconds` and skips the e-mail's budgets:
 *   only its own failures can refuse it.
 * Counters are taken before the password is checked, so concurrent attempts cannot overshoot a limit. Unknown
 * and known e-mails are counted alike (trust is only ever earned by a successful login), so the answers never
 * reveal whether an account exists. Key names hold keyed hashes only, never an e-mail or an address.
 */
@Injectable()
export class LoginThrottleService {
  private readonly hashKey: Buffer;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {
    this.hashKey = createHmac('sha256', config.jwtSecret).update('login-throttle key names').digest();
  }

  /** Decides whether an attempt may check the password, and counts it. */
  async begin(email: string, ip: string): Promise<LoginAttempt> {
    const keys = this.keysFor(email, ip);
    const [pairLock, addressLock, trusted] = await this.exec(
      this.redis.multi().ttl(keys.pairLock).ttl(keys.addressLock).exists(keys.trust),
    );
    if (Number(pairLock) > 0 || Number(addressLock) > 0) {
      const scope: ThrottleScope = Number(pairLock) >= Number(addressLock) ? 'email-address' : 'address';
      return { allowed: false, retryAfterSeconds: Math.max(Number(pairLock), Number(addressLock)), scope };
    }

    const [pairCount, , addressCount] = (await this.exec(
      this.redis
        .multi()
        .incr(keys.pairFailures)
        .expire(keys.pairFailures, LOGIN_LIMITS.windowSeconds, 'NX')
        .incr(keys.addressFailures)
        .expire(keys.addressFailures, LOGIN_LIMITS.windowSeconds, 'NX'),
    )) as number[];
    if (pairCount > LOGIN_LIMITS.failuresPerPair || addressCount > LOGIN_LIMITS.failuresPerAddress) {
      // Only reachable with attempts still in flight: the one that reaches the limit locks when it fails.
      await this.release(keys);
      const scope: ThrottleScope = pairCount > LOGIN_LIMITS.failuresPerPair ? 'email-address' : 'address';
      return { allowed: false, retryAfterSeconds: this.config.loginLockoutSeconds, scope };
    }
    const admitted: AdmittedAttempt = {
      allowed: true,
      trusted: trusted === 1,
      keys,
      pairCount,
      addressCount,
    };
    if (admitted.trusted) return admitted;

    const budget = await this.take(keys.emailBudget);
    if (budget.count <= LOGIN_LIMITS.attemptsPerEmail) return { ...admitted, budgetKey: keys.emailBudget };
    const budgetUsedUp = budget.count === LOGIN_LIMITS.attemptsPerEmail + 1 ? true : undefined;
    let retryAfterSeconds = budget.ttl;
    if (addressCount <= 1) {
      const clean = await this.take(keys.cleanAddressBudget);
      if (clean.count <= LOGIN_LIMITS.attemptsPerEmailFromCleanAddresses)
        return { ...admitted, budgetUsedUp, budgetKey: keys.cleanAddressBudget };
      retryAfterSeconds = Math.min(retryAfterSeconds, clean.ttl);
    }
    await this.release(keys);
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, retryAfterSeconds),
      scope: 'email',
      budgetUsedUp,
    };
  }

  /** The password was wrong (or the account unknown or disabled): locks what reached its limit. */
  async recordFailure(attempt: AdmittedAttempt): Promise<StartedLock | null> {
    const { keys } = attempt;
    const scopes: ThrottleScope[] = [];
    const seconds = this.config.loginLockoutSeconds;
    const pipeline = this.redis.multi();
    if (attempt.pairCount >= LOGIN_LIMITS.failuresPerPair) {
      scopes.push('email-address');
      pipeline.set(keys.pairLock, '1', 'EX', seconds).del(keys.pairFailures);
    }
    if (attempt.addressCount >= LOGIN_LIMITS.failuresPerAddress) {
      scopes.push('address');
      pipeline.set(keys.addressLock, '1', 'EX', seconds).del(keys.addressFailures);
    }
    if (scopes.length === 0) return null;
    await this.exec(pipeline);
    return { seconds, scopes };
  }

  /**
   * The owner got in: the attempt is given back to the address and the budget (only failures use them up), the
   * pair starts over, and the address is remembered as a usual one for the account.
   */
  async recordSuccess(attempt: AdmittedAttempt): Promise<void> {
    const { keys, budgetKey } = attempt;
    const pipeline = this.redis
      .multi()
      .del(keys.pairFailures)
      .decr(keys.addressFailures)
      .expire(keys.addressFailures, LOGIN_LIMITS.windowSeconds, 'NX')
      .set(keys.trust, '1', 'EX', LOGIN_LIMITS.trustSeconds);
    if (budgetKey) pipeline.decr(budgetKey).expire(budgetKey, LOGIN_LIMITS.windowSeconds, 'NX');
    await this.exec(pipeline);
  }

  /** Counts an attempt against a budget; returns the count in its window and the seconds the window has left. */
  private async take(key: string): Promise<{ count: number; ttl: number }> {
    const [count, , ttl] = await this.exec(
      this.redis.multi().incr(key).expire(key, LOGIN_LIMITS.windowSeconds, 'NX').ttl(key),
    );
    return { count: Number(count), ttl: Number(ttl) };
  }

  /** Gives back the pair and address counts of an attempt that was refused before the password was checked. */
  private async release(keys: ThrottleKeys): Promise<void> {
    await this.exec(
      this.redis
        .multi()
        .decr(keys.pairFailures)
        .expire(keys.pairFailures, LOGIN_LIMITS.windowSeconds, 'NX')
        .decr(keys.addressFailures)
        .expire(keys.addressFailures, LOGIN_LIMITS.windowSeconds, 'NX'),
    );
  }

  private async exec(pipeline: ChainableCommander): Promise<unknown[]> {
    const results = await pipeline.exec();
    if (!results) throw new Error('the Redis transaction of the login throttle was aborted');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }

  private keysFor(emailInput: string, ip: string): ThrottleKeys {
    const email = this.digest('email', emailInput.trim().toLowerCase());
    const address = this.digest('address', clientNetwork(ip));
    const pair = this.digest('pair', `${email}:${address}`);
    return {
      pairFailures: `login:fail:pair:${pair}`,
      pairLock: `login:lock:pair:${pair}`,
      addressFailures: `login:fail:address:${address}`,
      addressLock: `login:lock:address:${address}`,
      emailBudget: `login:budget:email:${email}`,
      cleanAddressBudget: `login:budget:clean:${email}`,
      trust: `login:trust:${pair}`,
    };
  }

  private digest(scope: string, value: string): string {
    return createHmac('sha256', this.hashKey).update(`${scope}\n${value}`).digest('hex').slice(0, 32);
  }
}

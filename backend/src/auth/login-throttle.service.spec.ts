import { FakeRedis } from '../../test/support/fake-redis';
import type { AppConfig } from '../config/app-config';
import { clientNetwork } from './client-network';
import {
  LOGIN_LIMITS,
  LoginThrottleService,
  type AdmittedAttempt,
  type LoginAttempt,
} from './login-throttle.service';

const LOCK_SECONDS = 120;
const OWNER = 'owner@example.test';
const USUAL = '198.51.100.7';
const attacker = (n: number) => `203.0.113.${n}`;

describe('LoginThrottleService', () => {
  let now: number;
  let redis: FakeRedis;
  let throttle: LoginThrottleService;

  beforeEach(() => {
    now = 1_000_000;
    redis = new FakeRedis(() => now);
    const config = { jwtSecret: 'a-test-secret-of-enough-length', loginLockoutSeconds: LOCK_SECONDS };
    throttle = new LoginThrottleService(redis.asRedis(), config as AppConfig);
  });

  function admitted(attempt: LoginAttempt): AdmittedAttempt {
    if (!attempt.allowed) throw new Error(`refused: ${JSON.stringify(attempt)}`);
    return attempt;
  }

  /** One login attempt as AuthService makes it: refused before the password is checked, failed or ok. */
  async function attempt(email: string, ip: string, passwordOk: boolean) {
    const state = await throttle.begin(email, ip);
    if (!state.allowed) return { refused: state };
    if (passwordOk) {
      await throttle.recordSuccess(state);
      return { ok: true };
    }
    return { failed: true, lock: await throttle.recordFailure(state) };
  }

  async function logInOnce(email: string, ip: string) {
    expect(await attempt(email, ip, true)).toEqual({ ok: true });
  }

  it('locks an (e-mail, address) pair at its fifth failure, and only that pair', async () => {
    const outcomes = [];
    for (let i = 0; i < LOGIN_LIMITS.failuresPerPair; i++)
      outcomes.push(await attempt(OWNER, attacker(1), false));
    expect(outcomes.slice(0, -1).every((o) => o.failed && o.lock === null)).toBe(true);
    expect(outcomes.at(-1)).toEqual({
      failed: true,
      lock: { seconds: LOCK_SECONDS, scopes: ['email-address'] },
    });

    // refused without checking the password, for the lock's length
    expect(await throttle.begin(OWNER, attacker(1))).toEqual({
      allowed: false,
      retryAfterSeconds: LOCK_SECONDS,
      scope: 'email-address',
    });
    // the same address may still try another e-mail, and the e-mail is open from another address
    admitted(await throttle.begin('someone-else@example.test', attacker(1)));
    admitted(await throttle.begin(OWNER, USUAL));

    now += LOCK_SECONDS * 1000;
    admitted(await throttle.begin(OWNER, attacker(1)));
  });

  it('never refuses the usual address because of failures from other addresses', async () => {
    await logInOnce(OWNER, USUAL);
    expect((await attempt(OWNER, USUAL, false)).failed).toBe(true); // the owner mistyped once
    for (let a = 1; a <= 10; a++) for (let i = 0; i < 5; i++) await attempt(OWNER, attacker(a), false);
    // a clean address that never failed gets in as well, while fewer than 20 addresses guessed
    expect(await attempt(OWNER, '192.0.2.99', true)).toEqual({ ok: true });

    for (let a = 11; a <= 60; a++) for (let i = 0; i < 5; i++) await attempt(OWNER, attacker(a), false);
    // now even a clean address waits for the window's end (the price of the bound), the usual one never
    expect(await throttle.begin(OWNER, '192.0.2.100')).toMatchObject({ allowed: false, scope: 'email' });
    expect(await attempt(OWNER, USUAL, true)).toEqual({ ok: true });
  });

  it("uses up no budget with the owner's own logins, from however many new addresses", async () => {
    for (let a = 1; a <= 40; a++) await logInOnce(OWNER, `192.0.2.${a}`);
    let checked = 0;
    for (let a = 1; a <= 100; a++) if (!(await attempt(OWNER, attacker(a), false)).refused) checked++;
    expect(checked).toBe(LOGIN_LIMITS.attemptsPerEmail + LOGIN_LIMITS.attemptsPerEmailFromCleanAddresses);
  });

  it('bounds the attempts per e-mail and window from unfamiliar addresses, however many there are', async () => {
    let checked = 0;
    const refusals: number[] = [];
    for (let a = 1; a <= 100; a++) {
      for (let i = 0; i < 3; i++) {
        const outcome = await attempt(OWNER, attacker(a), false);
        if (outcome.refused) refusals.push(outcome.refused.retryAfterSeconds);
        else checked++;
      }
    }
    expect(checked).toBe(LOGIN_LIMITS.attemptsPerEmail + LOGIN_LIMITS.attemptsPerEmailFromCleanAddresses);
    expect(refusals).toHaveLength(300 - checked);
    expect(Math.min(...refusals)).toBeGreaterThan(0);
    expect(Math.max(...refusals)).toBeLessThanOrEqual(LOGIN_LIMITS.windowSeconds);

    // the budget comes back when the window ends: a slowdown, not a lock
    now += LOGIN_LIMITS.windowSeconds * 1000;
    admitted(await throttle.begin(OWNER, attacker(101)));
  });

  it('once the e-mail budget is used up, an address that failed is refused even before the password', async () => {
    for (let i = 0; i < 2; i++) await attempt(OWNER, attacker(1), false);
    for (let a = 2; a <= 9; a++) await attempt(OWNER, attacker(a), false);
    // ten attempts so far: the eleventh from a failed address is refused, the right password or not
    const refused = await throttle.begin(OWNER, attacker(1));
    expect(refused).toMatchObject({ allowed: false, scope: 'email', budgetUsedUp: true });
    // a refusal is not a guess: it leaves the address's own counts alone (no lock from it)
    for (let i = 0; i < 20; i++) expect((await throttle.begin(OWNER, attacker(1))).allowed).toBe(false);
    const other = admitted(await throttle.begin('other@example.test', attacker(1)));
    expect(other.addressCount).toBe(3);
  });

  it('locks an address that fails on many e-mails, for every e-mail', async () => {
    const outcomes = [];
    for (let i = 0; i < LOGIN_LIMITS.failuresPerAddress; i++)
      outcomes.push(await attempt(`user${i}@example.test`, attacker(5), false));
    expect(outcomes.at(-1)).toEqual({ failed: true, lock: { seconds: LOCK_SECONDS, scopes: ['address'] } });
    expect(await throttle.begin(OWNER, attacker(5))).toEqual({
      allowed: false,
      retryAfterSeconds: LOCK_SECONDS,
      scope: 'address',
    });
    admitted(await throttle.begin(OWNER, attacker(6)));
  });

  it('counts successes as no failure, and a success lets the pair start over', async () => {
    for (let i = 0; i < 4; i++) await attempt(OWNER, USUAL, false);
    await logInOnce(OWNER, USUAL);
    for (let i = 0; i < 4; i++) expect((await attempt(OWNER, USUAL, false)).lock).toBeNull();
    const next = admitted(await throttle.begin(OWNER, USUAL));
    expect(next.addressCount).toBe(9); // eight failures and this attempt; the success gave its count back
  });

  it('lets no more than the limit through when attempts of one pair arrive at once', async () => {
    const states = await Promise.all(Array.from({ length: 12 }, () => throttle.begin(OWNER, attacker(7))));
    expect(states.filter((s) => s.allowed)).toHaveLength(LOGIN_LIMITS.failuresPerPair);
  });

  it('keeps e-mails and addresses out of key names, and counts an IPv6 /64 as one address', async () => {
    await attempt('Owner@Example.TEST', '2001:db8:1:2::10', false);
    await attempt(OWNER, '2001:db8:1:2:aaaa::1', false);
    const names = (await redis.keys('*')).join(' ');
    expect(names).not.toMatch(/example|2001|db8|owner/i);
    const third = admitted(await throttle.begin(OWNER, '2001:0db8:0001:0002:ffff:0:0:1'));
    expect(third.pairCount).toBe(3);
  });
});

describe('clientNetwork', () => {
  it('reads IPv4 (also IPv4-mapped) as itself and IPv6 as its /64', () => {
    expect(clientNetwork('203.0.113.4')).toBe('203.0.113.4');
    expect(clientNetwork('::ffff:203.0.113.4')).toBe('203.0.113.4');
    expect(clientNetwork('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('')).toBe('unknown');
  });
});

import { backoffDelay, nextRetryDelay, parseRetryAfter } from './retry-backoff';

describe('retry timing', () => {
  const policy = { baseMs: 300, maxMs: 10_000 };

  it('doubles the delay per retry, with jitter between half and the whole step', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(150);
    expect(backoffDelay(1, policy, () => 1)).toBe(300);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(450);
    expect(backoffDelay(3, policy, () => 1)).toBe(1200);
  });

  it('never exceeds the cap', () => {
    for (let retry = 1; retry < 40; retry += 1)
      expect(backoffDelay(retry, policy, () => 1)).toBeLessThanOrEqual(10_000);
    expect(backoffDelay(30, policy, () => 0)).toBe(5000);
  });

  it('spreads retries of several callers', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, policy)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 1.5 ')).toBe(1500);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(5000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT')),
    ).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('gives up when attempts run out or the wait would pass the deadline', () => {
    const base = { now: 0, deadline: 60_000, policy, random: () => 1 };
    expect(nextRetryDelay({ ...base, retry: 1, maxAttempts: 4 })).toBe(300);
    expect(nextRetryDelay({ ...base, retry: 4, maxAttempts: 4 })).toBeUndefined();
    expect(nextRetryDelay({ ...base, retry: 1, maxAttempts: 4, retryAfterMs: 2000 })).toBe(2000);
    expect(nextRetryDelay({ ...base, retry: 1, maxAttempts: 4, retryAfterMs: 120_000 })).toBeUndefined();
    expect(nextRetryDelay({ ...base, now: 59_900, retry: 1, maxAttempts: 4 })).toBeUndefined();
  });
});

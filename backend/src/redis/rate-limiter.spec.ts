import type Redis from 'ioredis';
import { LIMITER_LANES, RedisRateLimiter, laneScore, sustainedRps } from './rate-limiter';

describe('shared limiter arithmetic', () => {
  it('orders waiters by lane first, then by when they were queued', () => {
    const now = Date.now();
    const interactiveLate = laneScore('interactive', now + 60_000);
    const syncEarly = laneScore('sync', now - 3_600_000);
    const importEarly = laneScore('import', now - 86_400_000);
    expect(interactiveLate).toBeLessThan(syncEarly);
    expect(syncEarly).toBeLessThan(importEarly);
    expect(laneScore('sync', now)).toBeLessThan(laneScore('sync', now + 1));
  });

  it('keeps millisecond precision in the score for every lane (a double holds it exactly)', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    for (const lane of LIMITER_LANES) {
      expect(laneScore(lane, now + 1) - laneScore(lane, now)).toBe(1);
      expect(Number.isSafeInteger(laneScore(lane, now))).toBe(true);
    }
  });

  it('allows rps per second-plus-margin: 7 rps with a 40 ms margin sustains 6.73 rps, 3 rps with 60 ms 2.83', () => {
    expect(sustainedRps(7, 40)).toBeCloseTo(6.731, 3);
    expect(sustainedRps(3, 60)).toBeCloseTo(2.83, 2);
    expect(sustainedRps(7, 0)).toBe(7);
  });

  it('takes the margin it is given (no CRM default), and refuses one that is not a whole number of ms ≥ 0', () => {
    const identity = { keyPrefix: 'test:limit', queueTooLong: () => new Error('late') };
    const redis = {} as Redis;
    expect(new RedisRateLimiter(redis, { rps: 3, marginMs: 75 }, identity).windowMs).toBe(1075);
    expect(new RedisRateLimiter(redis, { rps: 3, marginMs: 0 }, identity).windowMs).toBe(1000);
    for (const marginMs of [-1, 2.5, Number.NaN])
      expect(() => new RedisRateLimiter(redis, { rps: 3, marginMs }, identity)).toThrow(
        'the limiter margin must be a whole number of ms',
      );
  });
});

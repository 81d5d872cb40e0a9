import { maxRunsPerRound, retryDecision } from './retry-schedule';

describe('retry schedule', () => {
  const defaults = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];

  it('waits 10 s, 1 min, 5 min, 30 min, 2 h, then gives up', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDecision(n, defaults))).toEqual([
      { action: 'retry', delayMs: 10_000 },
      { action: 'retry', delayMs: 60_000 },
      { action: 'retry', delayMs: 300_000 },
      { action: 'retry', delayMs: 1_800_000 },
      { action: 'retry', delayMs: 7_200_000 },
    ]);
    expect(retryDecision(6, defaults)).toEqual({ action: 'fail' });
    expect(maxRunsPerRound(defaults)).toBe(6);
  });

  it('follows a configured schedule', () => {
    expect(retryDecision(1, [100, 200])).toEqual({ action: 'retry', delayMs: 100 });
    expect(retryDecision(2, [100, 200])).toEqual({ action: 'retry', delayMs: 200 });
    expect(retryDecision(3, [100, 200])).toEqual({ action: 'fail' });
  });

  it('fails at once on a permanent error', () => {
    expect(retryDecision(1, defaults, true)).toEqual({ action: 'fail' });
  });
});

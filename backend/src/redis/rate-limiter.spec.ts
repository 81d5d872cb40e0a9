import { DEFAULT_MARGIN_MS, LIMITER_LANES, laneScore, sustainedRps } from './rate-limiter';

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

  it('allows rps per second-plus-margin: 7 rps with the default 40 ms margin sustains 6.73 rps (≥ 95 %), 3 rps 2.88', () => {
    expect(sustainedRps(7, DEFAULT_MARGIN_MS)).toBeCloseTo(6.731, 3);
    expect(sustainedRps(7, DEFAULT_MARGIN_MS) / 7).toBeGreaterThanOrEqual(0.95);
    expect(sustainedRps(3, DEFAULT_MARGIN_MS)).toBeCloseTo(2.88, 2);
    expect(sustainedRps(7, 0)).toBe(7);
  });
});

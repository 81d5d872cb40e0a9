import { STAGE_ROWS_PER_STATEMENT, statementRows } from './import-rows-staging';

describe('statementRows', () => {
  it('stages full statements, then the rest in powers of two: every row once, few statement shapes', () => {
    const shapes = new Set<number>();
    for (let total = 1; total <= 2 * STAGE_ROWS_PER_STATEMENT + 1; total++) {
      let staged = 0;
      while (staged < total) {
        const rows = statementRows(total - staged);
        expect(rows).toBeGreaterThan(0);
        expect(rows).toBeLessThanOrEqual(total - staged);
        shapes.add(rows);
        staged += rows;
      }
      expect(staged).toBe(total);
    }
    expect([...shapes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]);
  });
});

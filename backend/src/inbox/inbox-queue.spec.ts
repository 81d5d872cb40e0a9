import { jobIdFor, sweepEveryMs } from './inbox-queue';

describe('inbox queue naming', () => {
  it('uses the event id as the first job id and suffixes later runs', () => {
    expect(jobIdFor('0190a0a0-0000-7000-8000-000000000001', 0)).toBe('0190a0a0-0000-7000-8000-000000000001');
    expect(jobIdFor('0190a0a0-0000-7000-8000-000000000001', 3)).toBe(
      '0190a0a0-0000-7000-8000-000000000001:3',
    );
  });

  it('sweeps every 10 s for the default 30 s threshold, faster for short test thresholds', () => {
    expect(sweepEveryMs(30_000)).toBe(10_000);
    expect(sweepEveryMs(120_000)).toBe(10_000);
    expect(sweepEveryMs(1_500)).toBe(500);
    expect(sweepEveryMs(100)).toBe(250);
  });
});

import { loadConfig } from '../config/load-config';

describe('inbox settings', () => {
  it('defaults to a 30 s sweeper threshold, 200 events at once per worker, the documented retry schedule', () => {
    const config = loadConfig({});
    expect(config.inboxSweepAfterMs).toBe(30_000);
    expect(config.inboxConcurrency).toBe(200);
    expect(config.webhookRetryDelaysMs).toEqual([10_000, 60_000, 300_000, 1_800_000, 7_200_000]);
    expect(config.inboxRetentionDays).toBe(30);
    expect(config.workerNice).toBe(10);
    expect(config.inboxYieldAbove).toBe(500);
    expect(config.inboxYieldRate).toBe(100);
  });

  it('reads short thresholds and delays for tests', () => {
    const config = loadConfig({
      INBOX_SWEEP_AFTER: '1500ms',
      WEBHOOK_RETRY_DELAYS: '100ms,200ms',
      INBOX_CONCURRENCY: '4',
      WORKER_NICE: '0',
      INBOX_YIELD_ABOVE: '0',
      INBOX_YIELD_RATE: '5',
    });
    expect(config.inboxSweepAfterMs).toBe(1_500);
    expect(config.webhookRetryDelaysMs).toEqual([100, 200]);
    expect(config.inboxConcurrency).toBe(4);
    expect(config.workerNice).toBe(0);
    expect(config.inboxYieldAbove).toBe(0);
    expect(config.inboxYieldRate).toBe(5);
  });

  it('names the variable when a value is wrong', () => {
    expect(() => loadConfig({ INBOX_SWEEP_AFTER: '30s,1m' })).toThrow(
      'INBOX_SWEEP_AFTER must be one duration',
    );
    expect(() => loadConfig({ INBOX_CONCURRENCY: '0' })).toThrow(
      'INBOX_CONCURRENCY must be a whole number from 1 to 500',
    );
    expect(() => loadConfig({ WORKER_NICE: '20' })).toThrow(
      'WORKER_NICE must be a whole number from 0 to 19',
    );
    expect(() => loadConfig({ INBOX_YIELD_ABOVE: '-1' })).toThrow(
      'INBOX_YIELD_ABOVE must be a whole number of webhooks per second from 0 to 1000000',
    );
    expect(() => loadConfig({ INBOX_YIELD_RATE: '0' })).toThrow(
      'INBOX_YIELD_RATE must be a whole number of events per second from 1 to 100000',
    );
  });

  it('has no setting that loads code: test adapters are added by the test suites themselves', () => {
    expect(loadConfig({ NODE_ENV: 'test' })).not.toHaveProperty('inboxTestAdapters');
  });
});

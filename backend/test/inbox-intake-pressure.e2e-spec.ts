import { randomBytes } from 'node:crypto';
import Bull, { type Queue } from 'bull';
import { Registry } from 'prom-client';
import { loadConfig } from '../src/config/load-config';
import type { MetricsService } from '../src/health/metrics.service';
import { addFirstRuns } from '../src/inbox/inbox-first-runs';
import { InboxMetrics } from '../src/inbox/inbox-metrics';
import { INBOX_QUEUE, intakeCountKey, type ProcessEventJobData } from '../src/inbox/inbox-queue';
import { IntakePressureService } from '../src/inbox/intake-pressure.service';
import { WorkerRole } from '../src/queue/worker-role';
import { redisOptionsFromUrl } from '../src/redis/redis-options';
import { InboxIntakeService } from '../src/inbox/inbox-intake.service';
import { loginAdmin } from './support/auth';
import {
  deliver,
  freshChange,
  hookUrl,
  inboxQueue,
  INBOX_TEST_ENV,
  startInboxTestApp,
  TestDb,
  waitFor,
} from './support/inbox';
import { JSON_SOURCE } from './support/inbox-json-source';
import type { TestApp } from './support/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The worker yields to the intake, against real Redis and Bull: the intake's one-call job add counts its
 * deliveries in the per-second key, and a worker's IntakePressureService, reading it, lets event runs start only
 * at INBOX_YIELD_RATE while the count is at or above INBOX_YIELD_ABOVE, and all of them once the webhooks stop.
 */
describe('IntakePressureService: the worker slows down while webhooks pour in', () => {
  let queue: Queue<ProcessEventJobData>;
  let pressure: IntakePressureService | undefined;

  beforeEach(() => {
    queue = new Bull<ProcessEventJobData>(INBOX_QUEUE, {
      redis: { ...redisOptionsFromUrl(REDIS_URL), maxRetriesPerRequest: null, enableReadyCheck: false },
      prefix: `t${randomBytes(5).toString('hex')}`,
    });
  });
  afterEach(async () => {
    pressure?.onApplicationShutdown();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('counts the deliveries of each add in the key of the current second, which expires', async () => {
    const before = Math.floor(Date.now() / 1000);
    await addFirstRuns(queue, ['a', 'b', 'c'], 3);
    await addFirstRuns(queue, ['c', 'd'], 2); // a repeated delivery is stored and counted too
    await addFirstRuns(queue, ['e', 'f']); // internal deliveries (reconciliation, the service's own events)
    const after = Math.floor(Date.now() / 1000);
    const counts = await queue.client.mget(intakeCountKey(queue, before), intakeCountKey(queue, after));
    expect(before === after ? Number(counts[0]) : Number(counts[0]) + Number(counts[1])).toBe(5);
    const ttl = await queue.client.ttl(intakeCountKey(queue, before));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10);
  });

  it('starts runs at INBOX_YIELD_RATE while the intake is hot, and all at once when it calms', async () => {
    const config = loadConfig({ APP_ROLE: 'worker', INBOX_YIELD_ABOVE: '5', INBOX_YIELD_RATE: '4' });
    const registry = new Registry();
    const metrics = new InboxMetrics({ registry } as MetricsService);
    const yieldingGauge = async (): Promise<number | undefined> =>
      (await registry.getSingleMetric('inbox_worker_yielding')?.get())?.values[0]?.value;
    pressure = new IntakePressureService(config, new WorkerRole(config), queue, metrics);
    pressure.onApplicationBootstrap();
    const service = pressure;
    expect(service.yielding).toBe(false);
    // webhooks at about 20/s (4 deliveries every 200 ms), above the threshold of 5/s
    let n = 0;
    const pump = setInterval(
      () =>
        void addFirstRuns(
          queue,
          [1, 2, 3, 4].map(() => `e${n++}`),
          4,
        ),
      200,
    );
    try {
      await waitFor(() => Promise.resolve(service.yielding), 5_000, 'the worker yields');
      expect(await yieldingGauge()).toBe(1);
      let started = 0;
      const all = Promise.all(Array.from({ length: 8 }, () => service.admit().then(() => started++)));
      await new Promise((resolve) => setTimeout(resolve, 1300));
      // 4 runs per second, let through together once a second: not all 8 at once
      expect(started).toBe(4);
      clearInterval(pump);
      await all;
      await waitFor(() => Promise.resolve(!service.yielding), 5_000, 'full speed again');
      expect(await yieldingGauge()).toBe(0);
    } finally {
      clearInterval(pump);
    }
  });
});

describe('the intake counts the webhooks POSTed to the api, not its internal deliveries', () => {
  let t: TestApp;
  let db: TestDb;
  beforeAll(async () => {
    t = await startInboxTestApp({ env: INBOX_TEST_ENV });
    db = await TestDb.open(t.config.db);
  });
  afterAll(async () => {
    await db.close();
    await t.close();
  });

  it('counts each POSTed webhook once; a delivery handed to the intake in-process is not counted', async () => {
    const admin = await loginAdmin(t.url);
    const url = await hookUrl(t, admin.user.workspaceId);
    const queue = inboxQueue(t) as Queue<ProcessEventJobData>;
    const from = Math.floor(Date.now() / 1000);
    const counted = async (): Promise<number> => {
      const to = Math.floor(Date.now() / 1000);
      const seconds = Array.from({ length: to - from + 1 }, (_, i) => intakeCountKey(queue, from + i));
      return (await queue.client.mget(...seconds)).reduce((sum, value) => sum + Number(value ?? 0), 0);
    };
    for (let i = 0; i < 3; i++)
      expect((await deliver(url, { account: 'acme', changes: [freshChange()] })).status).toBe(200);
    expect(await counted()).toBe(3);
    const internal = await t.app.get(InboxIntakeService).receive({
      source: JSON_SOURCE,
      secret: new URL(url).pathname.split('/').pop() ?? '',
      headers: { 'content-type': 'application/json' },
      rawBody: Buffer.from(JSON.stringify({ account: 'acme', changes: [freshChange()] })),
      remoteIp: '127.0.0.1',
    });
    expect(internal.status).toBe('accepted');
    expect(await db.count('SELECT COUNT(*) FROM inbox_events')).toBe(4);
    expect(await counted()).toBe(3);
  });
});

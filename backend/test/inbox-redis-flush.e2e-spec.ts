import Redis from 'ioredis';
import { loginAdmin } from './support/auth';
import {
  INBOX_TEST_ENV,
  INBOX_TEST_MAIN,
  startInboxTestApp,
  TestDb,
  deliver,
  freshChange,
  hookUrl,
  waitFor,
} from './support/inbox';
import { spawnService, type SpawnedService } from './support/spawn-service';
import { testEnv, type TestApp } from './support/test-app';

/** A Redis database of its own: FLUSHDB here disturbs no other test. */
const REDIS_URL = process.env.TEST_INBOX_FLUSH_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
const EVENTS = 500;

describe('inbox: Redis loses every job (FLUSHDB) mid-run, the sweeper recovers every event', () => {
  let api: TestApp;
  let db: TestDb;
  let worker: SpawnedService | undefined;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    api = await startInboxTestApp({ env: { ...INBOX_TEST_ENV, APP_ROLE: 'api', REDIS_URL } });
    db = await TestDb.open(api.config.db);
    const { env } = await testEnv({
      database: api.config.db,
      env: {
        ...INBOX_TEST_ENV,
        APP_ROLE: 'worker',
        REDIS_URL,
        REDIS_PREFIX: api.config.redisPrefix,
        INBOX_CONCURRENCY: '8',
      },
    });
    worker = await spawnService(env, 60_000, INBOX_TEST_MAIN);
  });
  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    redis.disconnect();
    await db.close();
    await api.close();
  });

  it(`finishes all ${EVENTS} accepted events exactly once`, async () => {
    const admin = await loginAdmin(api.url);
    const url = await hookUrl(api, admin.user.workspaceId);
    const bodies = Array.from({ length: EVENTS }, () => ({ sleepMs: 20, changes: [freshChange()] }));
    for (let offset = 0; offset < EVENTS; offset += 50) {
      const answers = await Promise.all(bodies.slice(offset, offset + 50).map((body) => deliver(url, body)));
      expect(answers.every((answer) => answer.status === 200 && answer.body.status === 'accepted')).toBe(
        true,
      );
    }
    await waitFor(
      async () => (await db.count('SELECT COUNT(*) FROM inbox_test_processed')) >= 50,
      30_000,
      'processing started',
    );
    expect(await redis.dbsize()).toBeGreaterThan(0);
    await redis.flushdb();
    expect(await db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`)).toBeLessThan(EVENTS);

    // more deliveries while the jobs are gone, then everything must finish
    const late = await deliver(url, { changes: [freshChange()] });
    expect(late.status).toBe(200);
    await waitFor(
      async () => (await db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`)) === EVENTS + 1,
      90_000,
      'every event done',
    );
    const processed = await db.one(
      'SELECT COUNT(*) AS total, MAX(runs) AS maxRuns FROM inbox_test_processed',
    );
    expect({ total: Number(processed.total), maxRuns: Number(processed.maxRuns) }).toEqual({
      total: EVENTS + 1,
      maxRuns: 1,
    });
    // the jobs were gone: the sweeper queued the waiting events again under a new generation
    expect(await db.count('SELECT COUNT(*) FROM inbox_events WHERE generation > 0')).toBeGreaterThan(0);
    // the schedule of the sweeper itself was lost with the flush and put back
    const repeatable = await redis.keys(`${api.config.redisPrefix}:inbox-maintenance:repeat*`);
    expect(repeatable.length).toBeGreaterThan(0);
  }, 180_000);
});

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

const EVENTS = 2_000;

describe('inbox: a worker killed with kill -9 mid-run loses nothing and does nothing twice', () => {
  let app: TestApp;
  let db: TestDb;
  const spawned: SpawnedService[] = [];

  beforeAll(async () => {
    // in-process only to migrate and read secrets; deliveries and processing happen in real child processes
    app = await startInboxTestApp({ env: { ...INBOX_TEST_ENV, APP_ROLE: 'api' } });
    db = await TestDb.open(app.config.db);
  });
  afterAll(async () => {
    for (const service of spawned) {
      service.kill('SIGKILL');
      await service.exited;
    }
    await db.close();
    await app.close();
  });

  const start = async (role: 'api' | 'worker'): Promise<SpawnedService> => {
    const { env } = await testEnv({
      database: app.config.db,
      env: {
        ...INBOX_TEST_ENV,
        APP_ROLE: role,
        REDIS_PREFIX: app.config.redisPrefix,
        INBOX_CONCURRENCY: '16',
      },
    });
    const service = await spawnService(env, 60_000, INBOX_TEST_MAIN);
    spawned.push(service);
    return service;
  };
  const doneCount = () => db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'done'`);

  it(`processes all ${EVENTS} accepted events exactly once after the worker is killed and another one starts`, async () => {
    const [api, admin] = await Promise.all([start('api'), loginAdmin(app.url)]);
    const url = (await hookUrl(app, admin.user.workspaceId)).replace(app.url, api.url);
    const accepted: string[] = [];
    const bodies = Array.from({ length: EVENTS }, () => ({ sleepMs: 15, changes: [freshChange()] }));
    for (let offset = 0; offset < EVENTS; offset += 100) {
      const answers = await Promise.all(bodies.slice(offset, offset + 100).map((body) => deliver(url, body)));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        accepted.push(answer.body.id);
      }
    }
    expect(new Set(accepted).size).toBe(EVENTS);
    expect(await doneCount()).toBe(0); // no worker yet: all 2 000 are in flight

    const first = await start('worker');
    // kill while the database shows runs in progress, so the kill really interrupts some
    await waitFor(
      async () =>
        (await db.count('SELECT COUNT(*) FROM inbox_test_processed')) >= EVENTS / 4 &&
        (await db.count(`SELECT COUNT(*) FROM inbox_events WHERE status = 'processing'`)) > 0,
      60_000,
      'a quarter processed and runs in progress',
    );
    first.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed by the signal: no clean shutdown
    const interrupted = (
      await db.rows<{ id: string }>(`SELECT id FROM inbox_events WHERE status = 'processing'`)
    ).map((row) => row.id);
    expect(interrupted.length).toBeGreaterThan(0);
    expect(await doneCount()).toBeLessThan(EVENTS);

    await start('worker');
    await waitFor(async () => (await doneCount()) === EVENTS, 180_000, 'every event done');
    const processed = await db.one<{ rows: number; events: number; maxRuns: number }>(
      'SELECT COUNT(*) AS `rows`, COUNT(DISTINCT event_id) AS events, MAX(runs) AS maxRuns FROM inbox_test_processed',
    );
    expect({
      rows: Number(processed.rows),
      events: Number(processed.events),
      maxRuns: Number(processed.maxRuns),
    }).toEqual({
      rows: EVENTS,
      events: EVENTS,
      maxRuns: 1,
    });
    expect(await db.count(`SELECT COUNT(*) FROM inbox_events WHERE status <> 'done'`)).toBe(0);
    // the runs the kill interrupted were taken over by the second worker (a second attempt), not lost
    const takenOver = await db.rows<{ id: string; status: string; attempts: number }>(
      `SELECT id, status, attempts FROM inbox_events WHERE id IN (${interrupted.map(() => '?').join(', ')})`,
      interrupted,
    );
    expect(takenOver).toHaveLength(interrupted.length);
    for (const event of takenOver) {
      expect({ status: event.status, secondAttempt: Number(event.attempts) > 1 }).toEqual({
        status: 'done',
        secondAttempt: true,
      });
    }
  }, 300_000);
});

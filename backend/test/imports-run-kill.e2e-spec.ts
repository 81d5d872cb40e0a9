import Redis from 'ioredis';
import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { IMPORTS_QUEUE, runJobId } from '../src/imports/run/import-run.constants';
import { startAmocrmTestApp } from './support/amocrm';
import { loginAdmin, type LoggedIn } from './support/auth';
import { connectWorkspace, type ConnectedWorkspace } from './support/contacts';
import {
  contactLines,
  finished,
  phoneOf,
  progressOf,
  runAction,
  sandboxPhoneCounts,
  uploadMapped,
  waitForProgress,
} from './support/import-runs';
import { spawnService, type SpawnedService } from './support/spawn-service';
import { testEnv, type TestApp } from './support/test-app';

const ROWS = 2_000;
const FIRST = 400_000;

/**
 * A worker killed outright (kill -9) mid-import leaves its Bull job active; the import is taken over through the
 * run's own lease (ImportRunProcessor), not after Bull's lock lapses: the test stretches the dead job's Bull lock to
 * ten minutes, so only the lease takeover can finish the import within the test (issue #14 §2).
 */
describe('imports: a worker killed with kill -9 mid-import (e2e, real worker processes)', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;
  let redis: Redis;
  const spawned: SpawnedService[] = [];

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    // in-process only for the API; the imports run in child worker processes
    t = await startAmocrmTestApp(sandbox, { env: { APP_ROLE: 'api' } });
    admin = await loginAdmin(t.url);
    ws = await connectWorkspace(t, admin, sandbox);
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    for (const service of spawned) {
      service.kill('SIGKILL');
      await service.exited;
    }
    redis?.disconnect();
    await t?.close();
    await sandbox?.close();
  });

  const startWorker = async (): Promise<SpawnedService> => {
    const { env } = await testEnv({
      database: t.config.db,
      env: {
        APP_ROLE: 'worker',
        REDIS_PREFIX: t.config.redisPrefix,
        AMOCRM_BASE_URL_TEMPLATE: sandbox.baseUrlTemplate,
        AMOCRM_RPS: '50',
      },
    });
    const service = await spawnService(env, 90_000);
    spawned.push(service);
    return service;
  };

  it('another worker takes the import over from the last committed row; no contact twice in amoCRM', async () => {
    const file = ['Имя;Телефон;E-mail', ...contactLines(ROWS, FIRST)].join('\n');
    const id = await uploadMapped(t.url, admin.token, file, {
      kind: 'contacts',
      columns: { Имя: 'contact.name', Телефон: 'contact.phone', 'E-mail': 'contact.email' },
      dedupe: 'skip',
    });
    const first = await startWorker();
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    await waitForProgress(t.url, admin.token, id, (p) => p.processed >= 50);
    first.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed by the signal: no clean shutdown

    // the dead worker's job is still active in Bull, locked; Bull alone would not hand it on for ten minutes
    const lock = `${t.config.redisPrefix}:${IMPORTS_QUEUE}:${runJobId(id)}:lock`;
    expect(await redis.pexpire(lock, 600_000)).toBe(1);
    const killed = await progressOf(t.url, admin.token, id);
    expect(killed.status).toBe('processing');
    expect(killed.processed).toBeLessThan(ROWS);

    await startWorker();
    const done = await waitForProgress(t.url, admin.token, id, finished, 180_000);
    // rows the killed worker created in amoCRM without committing their outcome are found there: skipped
    expect(done).toMatchObject({ status: 'done', totalRows: ROWS, processed: ROWS, failed: 0 });
    expect(done.created + done.skipped).toBe(ROWS);
    const perPhone = sandboxPhoneCounts(ws.amo);
    const counts = Array.from({ length: ROWS }, (_, i) => perPhone.get(phoneOf(FIRST + i)) ?? 0);
    expect(counts.filter((count) => count !== 1)).toEqual([]);
  }, 300_000);
});

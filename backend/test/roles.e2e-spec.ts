import { call } from './support/http';
import { spawnService, type SpawnedService } from './support/spawn-service';
import { testEnv } from './support/test-app';
import { dropTestDatabase } from './support/test-database';

describe('APP_ROLE split: api and worker processes side by side', () => {
  let worker: SpawnedService;
  let api: SpawnedService;
  let db: Awaited<ReturnType<typeof testEnv>>['db'];

  beforeAll(async () => {
    const apiEnv = await testEnv({ env: { APP_ROLE: 'api' } });
    db = apiEnv.db;
    const workerEnv = await testEnv({
      database: db,
      env: { APP_ROLE: 'worker', REDIS_PREFIX: apiEnv.env.REDIS_PREFIX },
    });
    [api, worker] = await Promise.all([spawnService(apiEnv.env), spawnService(workerEnv.env)]);
  }, 60_000);

  afterAll(async () => {
    for (const service of [api, worker]) {
      service?.kill('SIGTERM');
      await service?.exited;
    }
    await dropTestDatabase(db);
  });

  it('the worker serves health and metrics but no REST routes', async () => {
    expect((await call(`${worker.url}/health/live`)).body).toMatchObject({ status: 'ok', role: 'worker' });
    expect((await call(`${worker.url}/health/ready`)).status).toBe(200);
    const metrics = await fetch(`${worker.url}/metrics`);
    expect(await metrics.text()).toContain('process_cpu_user_seconds_total');
    const rest = await call(`${worker.url}/api/v1/auth/login`, { body: { email: 'a@b.c', password: 'x' } });
    expect(rest.status).toBe(404);
    expect(rest.headers.get('content-type')).toContain('application/problem+json');
  });

  it('the api serves REST routes against the same database', async () => {
    const res = await call(`${api.url}/api/v1/auth/login`, {
      body: { email: 'a@b.c', password: 'wrong-password' },
    });
    expect(res.status).toBe(401);
  });

  it('stops cleanly on SIGTERM', async () => {
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    api.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  });
});

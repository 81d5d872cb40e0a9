import { login, loginAdmin, userWithRole } from './support/auth';
import { call } from './support/http';
import { spawnService, type SpawnedService } from './support/spawn-service';
import { testEnv } from './support/test-app';
import { dropTestDatabase } from './support/test-database';

describe('authentication across api processes', () => {
  let first: SpawnedService;
  let second: SpawnedService;
  let db: Awaited<ReturnType<typeof testEnv>>['db'];

  beforeAll(async () => {
    const a = await testEnv({ env: { APP_ROLE: 'api' } });
    db = a.db;
    const b = await testEnv({ database: db, env: { APP_ROLE: 'api', REDIS_PREFIX: a.env.REDIS_PREFIX } });
    first = await spawnService(a.env);
    second = await spawnService(b.env);
  }, 60_000);

  afterAll(async () => {
    for (const service of [first, second]) {
      service?.kill('SIGTERM');
      await service?.exited;
    }
    await dropTestDatabase(db);
  });

  it('a user disabled through one process is refused by the other at once', async () => {
    const admin = await loginAdmin(first.url);
    const viewer = await userWithRole(first.url, admin, 'viewer');
    expect((await call(`${second.url}/api/v1/auth/me`, { token: viewer.token })).status).toBe(200); // now cached there
    await call(`${first.url}/api/v1/users/${viewer.user.id}`, {
      method: 'PATCH',
      token: admin.token,
      body: { disabled: true },
    });
    expect((await call(`${second.url}/api/v1/auth/me`, { token: viewer.token })).status).toBe(401);
  });

  it('a role change through one process applies in the other at once', async () => {
    const admin = await loginAdmin(first.url);
    const user = await userWithRole(first.url, admin, 'viewer');
    expect((await call(`${second.url}/api/v1/users`, { token: user.token })).status).toBe(403);
    await call(`${first.url}/api/v1/users/${user.user.id}`, {
      method: 'PATCH',
      token: admin.token,
      body: { role: 'admin' },
    });
    expect((await call(`${second.url}/api/v1/users`, { token: user.token })).status).toBe(200);
  });

  it('a logout through one process ends the access token in the other at once', async () => {
    const admin = await loginAdmin(first.url);
    const viewer = await userWithRole(first.url, admin, 'viewer');
    expect((await call(`${second.url}/api/v1/auth/me`, { token: viewer.token })).status).toBe(200); // now cached there
    const out = await call(`${first.url}/api/v1/auth/logout`, {
      body: { refreshToken: viewer.refreshToken },
    });
    expect(out.status).toBe(204);
    expect((await call(`${second.url}/api/v1/auth/me`, { token: viewer.token })).status).toBe(401);
  });

  it('a password reset through one process ends the user’s sessions in the other at once', async () => {
    const admin = await loginAdmin(first.url);
    const manager = await userWithRole(first.url, admin, 'manager');
    expect((await call(`${second.url}/api/v1/auth/me`, { token: manager.token })).status).toBe(200); // now cached there
    const reset = await call(`${first.url}/api/v1/users/${manager.user.id}`, {
      method: 'PATCH',
      token: admin.token,
      body: { password: 'Reset-across-processes-1' },
    });
    expect(reset.status).toBe(200);
    expect((await call(`${second.url}/api/v1/auth/me`, { token: manager.token })).status).toBe(401);
    const again = await login(second.url, manager.user.email, 'Reset-across-processes-1');
    expect((await call(`${first.url}/api/v1/auth/me`, { token: again.token })).status).toBe(200);
  });

  it('an API key revoked through one process stops working in the other at once', async () => {
    const admin = await loginAdmin(first.url);
    const created = await call(`${first.url}/api/v1/api-keys`, {
      token: admin.token,
      body: { name: 'app', role: 'viewer' },
    });
    expect((await call(`${second.url}/api/v1/contacts`, { apiKey: created.body.key })).status).toBe(200);
    await call(`${first.url}/api/v1/api-keys/${created.body.apiKey.id}`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect((await call(`${second.url}/api/v1/contacts`, { apiKey: created.body.key })).status).toBe(401);
  });
});

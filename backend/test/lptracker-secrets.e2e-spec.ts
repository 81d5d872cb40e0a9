import { startLpTrackerSandbox, type LpTrackerSandbox } from '../sandbox/lptracker';
import { loginAdmin } from './support/auth';
import { call } from './support/http';
import { spawnService, type SpawnedService } from './support/spawn-service';
import { testEnv } from './support/test-app';
import { dropTestDatabase } from './support/test-database';

/**
 * The LPTracker password and tokens never reach the logs: a real service process at the most talkative log level
 * connects (a wrong password first), has its token expire, logs in again and refreshes the metadata; its whole
 * output is then searched for the secrets.
 */
describe('LPTracker secrets in the logs', () => {
  let sandbox: LpTrackerSandbox;
  let service: SpawnedService | undefined;
  let db: Awaited<ReturnType<typeof testEnv>>['db'];

  beforeAll(async () => {
    sandbox = await startLpTrackerSandbox();
  });

  afterAll(async () => {
    service?.kill('SIGTERM');
    await service?.exited;
    if (db) await dropTestDatabase(db);
    await sandbox?.close();
  });

  it('writes neither the password nor any token, while it logs the calls it makes', async () => {
    const started = await testEnv({ env: { LPTRACKER_BASE_URL: sandbox.url, LOG_LEVEL: 'debug' } });
    db = started.db;
    service = await spawnService(started.env, 60_000);
    const account = sandbox.createAccount({ seed: true, password: 'Very-secret-LP-password-731' });
    const lp = sandbox.account(account.key);
    const projectId = lp.firstProject.id;
    const admin = await loginAdmin(service.url);
    const url = `${service.url}/api/v1/connections/lptracker`;

    const wrong = await call(url, {
      method: 'PUT',
      token: admin.token,
      body: { login: account.login, password: 'Wrong-secret-LP-password-402', projectId },
    });
    expect(wrong.status).toBe(400);
    const connected = await call(url, {
      method: 'PUT',
      token: admin.token,
      body: { login: account.login, password: account.password, projectId },
    });
    expect(connected.status).toBe(200);
    const firstTokens = lp.sessions().map((session) => session.token);
    lp.expireTokens();
    const checked = await call(`${url}/check`, { method: 'POST', token: admin.token });
    expect(checked.status).toBe(200);
    const refreshed = await call(`${url}/metadata/refresh`, { method: 'POST', token: admin.token });
    expect(refreshed.status).toBe(200);
    const tokens = [...new Set([...firstTokens, ...lp.sessions().map((session) => session.token)])];
    expect(tokens.length).toBeGreaterThanOrEqual(2); // the first token, and the one of the new login

    const output = service.output();
    expect(output).toContain('LPTracker call'); // the calls are logged…
    expect(output).toContain('/project/'); // …by path
    const leaks = [account.password, 'Wrong-secret-LP-password-402', ...tokens].filter((secret) =>
      output.includes(secret),
    );
    expect(leaks).toEqual([]);
  }, 120_000);
});

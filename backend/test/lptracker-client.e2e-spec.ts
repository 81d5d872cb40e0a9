import Redis from 'ioredis';
import {
  startLpTrackerSandbox,
  type LpAccountCredentials,
  type LpTrackerSandbox,
} from '../sandbox/lptracker';
import { AppConfig } from '../src/config/app-config';
import { SecretBox } from '../src/crypto/secret-box';
import { LptrackerClient } from '../src/lptracker/client/lptracker-client';
import { LptrackerRateLimiter } from '../src/lptracker/client/lptracker-rate-limiter';
import { LptrackerTransport } from '../src/lptracker/client/lptracker-transport';
import { LptrackerConnectionsRepository } from '../src/lptracker/connection/lptracker-connections.repository';
import { LptrackerCredentialsService } from '../src/lptracker/connection/lptracker-credentials.service';
import { LptrackerLoginService } from '../src/lptracker/connection/lptracker-login.service';
import { LptrackerNeedsReauthError } from '../src/lptracker/lptracker.problems';
import { redisOptionsFromUrl } from '../src/redis/redis-options';
import { appQuery, thrown } from './support/amocrm';
import { loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { connectLptracker, lptrackerApi, startLptrackerTestApp } from './support/lptracker';
import type { TestApp } from './support/test-app';

/**
 * The LPTracker client against the sandbox, real MariaDB and Redis: one re-login for many concurrent callers in
 * two "processes" (two client stacks with their own memory, sharing the database and Redis), back-off on error
 * 503 (in the JSON and as HTTP 503), and a clear 503 when LPTracker cannot be reached.
 */
describe('LPTracker client', () => {
  let sandbox: LpTrackerSandbox;
  let t: TestApp;
  let owner: LoggedIn;
  const extraRedis: Redis[] = [];

  const connectedWorkspace = async (): Promise<{ admin: LoggedIn; account: LpAccountCredentials }> => {
    const admin = await secondWorkspace(t.url, owner, `LPTracker client ${Date.now()}`);
    const account = sandbox.createAccount({ seed: true });
    await connectLptracker(t, admin, account, sandbox.account(account.key).firstProject.id);
    return { admin, account };
  };

  /** Another process's LPTracker client: its own Redis connection, limiter, token memory and login promises. */
  const otherProcessClient = (): LptrackerClient => {
    const config = t.app.get(AppConfig);
    const redis = new Redis({
      ...redisOptionsFromUrl(config.redisUrl),
      keyPrefix: `${config.redisPrefix}:app:`,
    });
    extraRedis.push(redis);
    const limiter = new LptrackerRateLimiter(redis, {
      rps: config.lptrackerRps,
      marginMs: config.lptrackerRateMarginMs,
    });
    const transport = new LptrackerTransport(limiter, { debug: () => undefined, warn: () => undefined });
    const repository = t.app.get(LptrackerConnectionsRepository);
    const credentials = new LptrackerCredentialsService(config, repository, t.app.get(SecretBox));
    const logins = new LptrackerLoginService(credentials, repository, transport, redis);
    return new LptrackerClient(credentials, logins, transport);
  };

  beforeAll(async () => {
    sandbox = await startLpTrackerSandbox();
    t = await startLptrackerTestApp(sandbox);
    owner = await loginAdmin(t.url);
  });

  afterAll(async () => {
    for (const redis of extraRedis) redis.disconnect();
    await t?.close();
    await sandbox?.close();
  });

  it('logs in again exactly once when the token expired, for 20 concurrent calls from two processes', async () => {
    const { admin, account } = await connectedWorkspace();
    const lp = sandbox.account(account.key);
    const [before] = await appQuery(
      t,
      'SELECT token, token_version FROM lptracker_connections WHERE workspace_id = ?',
      [admin.user.workspaceId],
    );
    expect(lp.expireTokens()).toBeGreaterThan(0);
    lp.clearRequests();

    const here = t.app.get(LptrackerClient);
    const there = otherProcessClient();
    const calls = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? here : there).forWorkspace(admin.user.workspaceId, 'interactive').listStaff(),
    );
    const answers = await Promise.all(calls);
    expect(answers.every((staff) => staff.some((member) => member.name === 'Анна Соколова'))).toBe(true);

    expect(lp.requestCounts({ route: 'POST /login' })).toEqual({ 'POST /login': 1 });
    // every refused call was sent again once, with the one new token
    const staffCalls = lp.requests({ route: 'GET /staff' });
    expect(staffCalls.filter((entry) => entry.errorCode === null)).toHaveLength(20);
    expect(staffCalls.filter((entry) => entry.errorCode === 401).length).toBeLessThanOrEqual(20);
    expect(lp.sessions().filter((session) => session.login === account.login)).toHaveLength(1);

    const [after] = await appQuery(
      t,
      'SELECT token, token_version FROM lptracker_connections WHERE workspace_id = ?',
      [admin.user.workspaceId],
    );
    expect(after.token).not.toBe(before.token);
    expect(Number(after.token_version)).toBe(Number(before.token_version) + 1);
  }, 60_000);

  it('marks the connection for a reconnect when the stored login stops working', async () => {
    const { admin, account } = await connectedWorkspace();
    // the sandbox cannot change a login's password: the whole account (and so the login) goes away instead
    const removed = await fetch(`${sandbox.url}/__sandbox/accounts/${account.key}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    const error = await thrown(() => lptrackerApi(t, admin.user.workspaceId).listStaff());
    expect(error).toBeInstanceOf(LptrackerNeedsReauthError);
    const status = await call(`${t.url}/api/v1/connections/lptracker`, { token: admin.token });
    expect(status.body).toMatchObject({ connected: false, status: 'needs_reauth' });
    expect(status.body.lastError).toMatch(/refused the stored login and password/);
    const check = await call(`${t.url}/api/v1/connections/lptracker/check`, {
      method: 'POST',
      token: admin.token,
    });
    expect(check.status).toBe(503);
    expect(check.body.type).toBe('urn:problem-type:lptracker-needs-reauth');
  });

  it.each([
    ['in the JSON of an HTTP 200', 200],
    ['as HTTP 503', 503],
  ] as const)(
    'backs off after error 503 %s and then succeeds',
    async (_how, httpStatus) => {
      const { admin, account } = await connectedWorkspace();
      const lp = sandbox.account(account.key);
      lp.setSettings({ rps: 1, rateLimitHttpStatus: httpStatus }); // stricter than our 3 per second
      lp.clearRequests();
      const api = lptrackerApi(t, admin.user.workspaceId, 'sync');
      const answers = await Promise.all([api.listStaff(), api.listStaff(), api.listStaff(), api.listStaff()]);
      expect(answers.every((staff) => staff.length === 2)).toBe(true);
      const refused = lp.requests({ route: 'GET /staff' }).filter((entry) => entry.errorCode === 503);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((entry) => entry.httpStatus === httpStatus)).toBe(true);
      expect(lp.requests({ route: 'GET /staff' }).filter((entry) => entry.errorCode === null)).toHaveLength(
        4,
      );
    },
    90_000,
  );

  // last: it stops the sandbox
  it('answers 503 with a clear detail when LPTracker cannot be reached, and stores nothing', async () => {
    const admin = await secondWorkspace(t.url, owner, 'LPTracker down');
    const port = Number(new URL(sandbox.url).port);
    await sandbox.close();
    try {
      const res = await call(`${t.url}/api/v1/connections/lptracker`, {
        method: 'PUT',
        token: admin.token,
        body: { login: 'sales@example.ru', password: 'whatever-1', projectId: 1 },
      });
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('urn:problem-type:lptracker-unavailable');
      expect(res.body.detail).toMatch(/LPTracker could not be reached/);
      expect(res.headers.get('retry-after')).not.toBeNull();
      expect(
        await appQuery(t, 'SELECT id FROM lptracker_connections WHERE workspace_id = ?', [
          admin.user.workspaceId,
        ]),
      ).toEqual([]);
    } finally {
      sandbox = await startLpTrackerSandbox({ port });
    }
  });
});

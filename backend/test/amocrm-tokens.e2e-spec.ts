import { startAmoSandbox, type AmoAccountHandle, type AmoSandbox } from '../sandbox/amocrm';
import { AmocrmConnectionsService } from '../src/amocrm/connection/amocrm-connections.service';
import {
  amocrmApi,
  appQuery,
  connectLongLived,
  connectOAuth,
  startAmocrmTestApp,
  thrown,
} from './support/amocrm';
import { loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import { call } from './support/http';
import type { TestApp } from './support/test-app';

describe('amoCRM tokens: one refresh at a time across processes, re-authorisation', () => {
  let sandbox: AmoSandbox;
  let a: TestApp;
  let b: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    a = await startAmocrmTestApp(sandbox);
    // A second process: same database and Redis prefix, its own connections and memory.
    b = await startAmocrmTestApp(sandbox, {
      database: a.config.db,
      env: { REDIS_PREFIX: a.config.redisPrefix },
    });
    admin = await loginAdmin(a.url);
  });

  let workspaces = 0;
  /** A workspace of its own, connected by OAuth to an account of its own: no test needs another test's state. */
  const oauthWorkspace = async (
    subdomain: string,
  ): Promise<{ owner: LoggedIn; handle: AmoAccountHandle }> => {
    const owner = await secondWorkspace(a.url, admin, `OAuth team ${++workspaces}`);
    await connectOAuth(a, owner, sandbox.createAccount({ subdomain, rps: 1000 }));
    return { owner, handle: sandbox.account(subdomain) };
  };

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await sandbox?.close();
  });

  it('20 concurrent calls with an expired access token make exactly one refresh, never a revoked one', async () => {
    const { owner, handle } = await oauthWorkspace('expired');
    handle.resetTokenCalls();
    expect(handle.expireAccessTokens()).toBeGreaterThan(0);

    const accounts = await Promise.all(
      Array.from({ length: 20 }, () => amocrmApi(a, owner.user.workspaceId).getAccount()),
    );
    expect(accounts.every((found) => found.id === handle.id)).toBe(true);
    expect(handle.tokenCalls()).toMatchObject({
      refresh_token: 1,
      failures: { refresh_token: 0, authorization_code: 0 },
    });
    const [row] = await appQuery(a, 'SELECT token_version FROM amocrm_connections WHERE workspace_id = ?', [
      owner.user.workspaceId,
    ]);
    expect(Number(row.token_version)).toBeGreaterThanOrEqual(2);
  });

  it('two processes with expired tokens never reuse a refresh token: one refresh, every call succeeds', async () => {
    const { owner, handle } = await oauthWorkspace('twoproc');
    for (let round = 0; round < 3; round += 1) {
      handle.resetTokenCalls();
      handle.expireAccessTokens();
      const calls = [a, b, a, b, a, b, a, b, a, b, a, b].map((app) =>
        amocrmApi(app, owner.user.workspaceId, 'sync').getAccount(),
      );
      const results = await Promise.allSettled(calls);
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(handle.tokenCalls()).toMatchObject({ refresh_token: 1, failures: { refresh_token: 0 } });
    }
    expect((await call(`${a.url}/api/v1/connections/amocrm`, { token: owner.token })).body.status).toBe(
      'connected',
    );
  });

  it('refreshes ahead of expiry once across both processes', async () => {
    const { owner, handle } = await oauthWorkspace('ahead');
    handle.resetTokenCalls();
    await appQuery(a, 'UPDATE amocrm_connections SET token_expires_at = ? WHERE workspace_id = ?', [
      new Date(Date.now() + 60_000),
      owner.user.workspaceId,
    ]);
    const calls = Array.from({ length: 16 }, (_, index) =>
      amocrmApi(index % 2 === 0 ? a : b, owner.user.workspaceId).getAccount(),
    );
    await Promise.all(calls);
    expect(handle.tokenCalls()).toMatchObject({ refresh_token: 1, failures: { refresh_token: 0 } });
    const status = await call(`${a.url}/api/v1/connections/amocrm`, { token: owner.token });
    expect(Date.parse(status.body.tokenExpiresAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  });

  it('the daily job refreshes an idle OAuth connection so its refresh token never lapses', async () => {
    const { owner, handle } = await oauthWorkspace('idle');
    handle.resetTokenCalls();
    const service = a.app.get(AmocrmConnectionsService);
    expect(await service.refreshIdleTokens()).toEqual({ refreshed: 0, failed: 0 });
    await appQuery(a, 'UPDATE amocrm_connections SET tokens_refreshed_at = ? WHERE workspace_id = ?', [
      new Date(Date.now() - 2 * 86_400_000),
      owner.user.workspaceId,
    ]);
    const [first, second] = await Promise.all([
      service.refreshIdleTokens(),
      b.app.get(AmocrmConnectionsService).refreshIdleTokens(),
    ]);
    expect(first.refreshed + second.refreshed).toBeGreaterThanOrEqual(1);
    expect(first.failed + second.failed).toBe(0);
    expect(handle.tokenCalls()).toMatchObject({ refresh_token: 1, failures: { refresh_token: 0 } });
    expect((await amocrmApi(b, owner.user.workspaceId).getAccount()).subdomain).toBe('idle');
  });

  it('a revoked refresh token turns the connection to needs_reauth, with an audit entry, and stops calls', async () => {
    const { owner, handle } = await oauthWorkspace('revoked');
    handle.revokeOAuthTokens();
    const error = await thrown(() => amocrmApi(a, owner.user.workspaceId).getAccount());
    expect(error.name).toBe('AmocrmNeedsReauthError');
    expect(error.getStatus()).toBe(503);

    const status = await call(`${a.url}/api/v1/connections/amocrm`, { token: owner.token });
    expect(status.body.status).toBe('needs_reauth');
    expect(status.body.lastError).toContain('Token has been revoked');
    const audit = await call(`${a.url}/api/v1/audit?action=amocrm.needs_reauth`, { token: owner.token });
    expect(audit.body.total).toBe(1);
    expect(audit.body.items[0]).toMatchObject({ actorType: 'system', targetType: 'amocrm_connection' });

    handle.clearRequests();
    const again = await thrown(() => amocrmApi(b, owner.user.workspaceId).getAccount());
    expect(again.name).toBe('AmocrmNeedsReauthError');
    expect(handle.requests()).toEqual([]);
    const refused = await call(`${a.url}/api/v1/connections/amocrm/metadata/refresh`, {
      method: 'POST',
      token: owner.token,
    });
    expect(refused.status).toBe(503);
    expect(refused.body.type).toBe('urn:problem-type:amocrm-needs-reauth');

    // Reconnecting through the consent page brings it back.
    await connectOAuth(a, owner, sandbox.account('revoked').credentials);
    expect((await call(`${a.url}/api/v1/connections/amocrm`, { token: owner.token })).body.status).toBe(
      'connected',
    );
    expect((await amocrmApi(b, owner.user.workspaceId).getAccount()).subdomain).toBe('revoked');
  });

  it('a long-lived token refused with 401 turns the connection to needs_reauth', async () => {
    const other = await secondWorkspace(a.url, admin, 'Long-lived team');
    const account = sandbox.createAccount({ subdomain: 'llrevoked', rps: 1000 });
    await connectLongLived(a, other, account);
    expect((await amocrmApi(a, other.user.workspaceId).getAccount()).id).toBe(account.id);
    sandbox.account('llrevoked').revokeLongLivedToken();
    const error = await thrown(() => amocrmApi(b, other.user.workspaceId).listPipelines());
    expect(error.name).toBe('AmocrmNeedsReauthError');
    const status = await call(`${a.url}/api/v1/connections/amocrm`, { token: other.token });
    expect(status.body).toMatchObject({ status: 'needs_reauth', authKind: 'long_lived' });
    expect(status.body.lastError).toContain('long-lived token');
    expect(sandbox.account('llrevoked').tokenCalls().refresh_token).toBe(0);
  });
});

import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { AMOCRM_QUEUE, REFRESH_IDLE_TOKENS_JOB, REFRESH_METADATA_JOB } from '../src/amocrm/amocrm.constants';
import { AmocrmConnectionsService } from '../src/amocrm/connection/amocrm-connections.service';
import { AmocrmCredentialsService } from '../src/amocrm/connection/amocrm-credentials.service';
import { AmocrmMetadataService } from '../src/amocrm/metadata/amocrm-metadata.service';
import { AmocrmStartupService } from '../src/amocrm/connection/amocrm-startup.service';
import {
  amocrmApi,
  appQuery,
  connectLongLived,
  connectOAuth,
  followConsent,
  startAmocrmTestApp,
} from './support/amocrm';
import { loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import type { TestApp } from './support/test-app';

describe('amoCRM connection: OAuth, long-lived token, roles, environment', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  const url = (path = ''): string => `${t.url}/api/v1/connections/amocrm${path}`;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    t = await startAmocrmTestApp(sandbox);
    admin = await loginAdmin(t.url);
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('answers not_connected before anything is set up', async () => {
    const res = await call(url(), { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'not_connected',
      authKind: null,
      accountId: null,
      subdomain: null,
    });
  });

  it('connects with OAuth end to end: consent, callback, tokens encrypted at rest, metadata cached', async () => {
    const account = sandbox.createAccount({ subdomain: 'oauth1' });
    const saved = await call(url(), {
      method: 'PUT',
      token: admin.token,
      body: {
        subdomain: 'https://oauth1.kommo.com/',
        clientId: account.clientId,
        clientSecret: account.clientSecret,
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      status: 'not_connected',
      authKind: 'oauth',
      subdomain: 'oauth1',
      clientId: account.clientId,
    });
    expect(saved.body.redirectUri).toBe(`${t.url}/api/v1/connections/amocrm/callback`);
    expect(JSON.stringify(saved.body)).not.toContain(account.clientSecret);

    const authorize = await call(url('/authorize-url'), { token: admin.token });
    expect(authorize.status).toBe(200);
    const consent = new URL(authorize.body.url);
    expect(`${consent.origin}${consent.pathname}`).toBe(`${sandbox.url}/oauth1/oauth`);
    expect(consent.searchParams.get('client_id')).toBe(account.clientId);
    expect(consent.searchParams.get('mode')).toBe('post_message');
    expect(consent.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const landed = await followConsent(authorize.body.url);
    expect(`${landed.origin}${landed.pathname}`).toBe(`${t.url}/connections/amocrm`);
    expect(landed.searchParams.get('connected')).toBe('1');
    expect(sandbox.account('oauth1').tokenCalls()).toMatchObject({ authorization_code: 1, refresh_token: 0 });

    const status = await call(url(), { token: admin.token });
    expect(status.body).toMatchObject({
      status: 'connected',
      authKind: 'oauth',
      accountId: account.id,
      accountName: account.name,
      subdomain: 'oauth1',
      source: 'manual',
      lastError: null,
      pausedReason: null,
    });
    expect(Date.parse(status.body.tokenExpiresAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(status.body.connectedAt).toBeTruthy();

    const [row] = await appQuery(
      t,
      'SELECT access_token, refresh_token, client_secret, token_version FROM amocrm_connections',
    );
    const tokenPattern = /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
    for (const column of ['access_token', 'refresh_token', 'client_secret'])
      expect(row[column]).toMatch(tokenPattern);
    expect(row.client_secret).not.toContain(account.clientSecret);
    const session = await t.app.get(AmocrmCredentialsService).load(admin.user.workspaceId);
    expect(session?.accessToken).toMatch(/^eyJ/);
    expect(row.access_token).not.toContain(session!.accessToken!.slice(0, 40));
    expect(row.refresh_token).not.toContain(session!.refreshToken!.slice(8, 48));
    const sandboxRequests = sandbox.account('oauth1').requests({ pathPrefix: '/api/v4/account' });
    expect(sandboxRequests.length).toBeGreaterThan(0);

    const metadata = await call(url('/metadata'), { token: admin.token });
    expect(metadata.status).toBe(200);
    expect(metadata.body.account).toMatchObject({ id: account.id, subdomain: 'oauth1' });
    expect(metadata.body.pipelines.length).toBeGreaterThan(0);
    const main = metadata.body.pipelines.find((pipeline: any) => pipeline.isMain);
    expect(main.statuses.map((status: any) => status.id)).toEqual(expect.arrayContaining([142, 143]));
    expect(main.statuses[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      color: expect.any(String),
      type: expect.any(Number),
      sort: expect.any(Number),
    });
    expect(metadata.body.contactFields.find((field: any) => field.code === 'PHONE')).toMatchObject({
      type: 'multitext',
    });
    expect(metadata.body.leadFields.length).toBeGreaterThan(0);
    expect(metadata.body.users.length).toBeGreaterThan(0);

    const audit = await call(`${t.url}/api/v1/audit?action=amocrm.connected`, { token: admin.token });
    expect(audit.body.items[0]).toMatchObject({ action: 'amocrm.connected', actor: admin.user.email });
    expect(JSON.stringify(audit.body)).not.toContain(account.clientSecret);

    // The client works with the stored tokens.
    expect((await amocrmApi(t, admin.user.workspaceId).getAccount()).id).toBe(account.id);

    // What other modules read: the account identity and metadata lookups.
    const connections = t.app.get(AmocrmConnectionsService);
    expect(await connections.getAccountIdentity(admin.user.workspaceId)).toEqual({
      accountId: account.id,
      subdomain: 'oauth1',
    });
    const metadataService = t.app.get(AmocrmMetadataService);
    expect((await metadataService.findPipeline(admin.user.workspaceId, main.name.toUpperCase()))?.id).toBe(
      main.id,
    );
    expect(await metadataService.findStatus(admin.user.workspaceId, 142, main.id)).toMatchObject({
      pipeline: { id: main.id },
      status: { id: 142 },
    });
    const firstStage = main.statuses.find((stage: any) => stage.type === 0);
    expect((await metadataService.findStatus(admin.user.workspaceId, firstStage.name))?.status.id).toBe(
      firstStage.id,
    );
    expect(await metadataService.customField(admin.user.workspaceId, 'contacts', 'phone')).toMatchObject({
      code: 'PHONE',
      type: 'multitext',
    });
    expect(await metadataService.customField(admin.user.workspaceId, 'leads', 999)).toBeUndefined();
  });

  it('schedules the daily idle-token refresh and the hourly metadata refresh', async () => {
    const queue = t.app.get<Queue>(getQueueToken(AMOCRM_QUEUE));
    const repeatable = await queue.getRepeatableJobs();
    expect(repeatable.map((job) => [job.name, Number(job.every)]).sort()).toEqual([
      [REFRESH_IDLE_TOKENS_JOB, 86_400_000],
      [REFRESH_METADATA_JOB, 3_600_000],
    ]);
  });

  it('uses each OAuth state once and refuses a foreign referer, redirecting with an error code', async () => {
    const account = sandbox.createAccount({ subdomain: 'oauth2' });
    await connectOAuth(t, admin, account);
    const authorize = await call(url('/authorize-url'), { token: admin.token });
    const consent = await fetch(authorize.body.url, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);

    const forged = new URL(callback);
    forged.searchParams.set('referer', 'evil.example.com');
    const refused = await fetch(forged, { redirect: 'manual' });
    expect(refused.status).toBe(302);
    expect(new URL(refused.headers.get('location')!).searchParams.get('error')).toBe('referer_mismatch');

    // That state is spent now, even with the right referer.
    const replay = await fetch(callback, { redirect: 'manual' });
    expect(new URL(replay.headers.get('location')!).searchParams.get('error')).toBe('invalid_state');

    const unknown = await fetch(`${url('/callback')}?code=x&state=nope&referer=x`, { redirect: 'manual' });
    expect(new URL(unknown.headers.get('location')!).searchParams.get('error')).toBe('invalid_state');
    const denied = await fetch(`${url('/callback')}?error=access_denied`, { redirect: 'manual' });
    expect(new URL(denied.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
    expect((await call(url(), { token: admin.token })).body.status).toBe('connected');
  });

  it('connects with a long-lived token checked at once; a wrong token is a 400 naming the field', async () => {
    const account = sandbox.createAccount({ subdomain: 'longlived' });
    const wrong = await call(url(), {
      method: 'PUT',
      token: admin.token,
      body: { subdomain: 'longlived.amocrm.ru', longLivedToken: 'not-the-right-token-at-all-0123456789' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(wrong.body.errors).toEqual([
      expect.objectContaining({ field: 'longLivedToken', code: 'amocrmUnauthorized' }),
    ]);

    const nowhere = await call(url(), {
      method: 'PUT',
      token: admin.token,
      body: { subdomain: 'no-such-account', longLivedToken: account.longLivedToken },
    });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.errors[0].field).toBe('subdomain');

    const invalid = await call(url(), {
      method: 'PUT',
      token: admin.token,
      body: { subdomain: 'evil.example.com', longLivedToken: account.longLivedToken },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].field).toBe('subdomain');

    const mixed = await call(url(), {
      method: 'PUT',
      token: admin.token,
      body: { subdomain: 'longlived', longLivedToken: account.longLivedToken, clientId: 'x' },
    });
    expect(mixed.status).toBe(400);
    const empty = await call(url(), { method: 'PUT', token: admin.token, body: { subdomain: 'longlived' } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((error: any) => error.field)).toEqual(
      expect.arrayContaining(['clientId', 'clientSecret']),
    );

    await connectLongLived(t, admin, account);
    const status = await call(url(), { token: admin.token });
    expect(status.body).toMatchObject({
      status: 'connected',
      authKind: 'long_lived',
      accountId: account.id,
      subdomain: 'longlived',
      clientId: null,
    });
    const [row] = await appQuery(t, 'SELECT access_token, refresh_token FROM amocrm_connections');
    expect(row.access_token).not.toContain(account.longLivedToken);
    expect(row.refresh_token).toBeNull();
    expect((await amocrmApi(t, admin.user.workspaceId).getAccount()).subdomain).toBe('longlived');
  });

  it('lets only admins manage the connection; every role reads its state and the metadata', async () => {
    const manager = await userWithRole(t.url, admin, 'manager');
    const viewer = await userWithRole(t.url, admin, 'viewer');
    for (const user of [manager, viewer]) {
      const state = await call(url(), { token: user.token });
      expect(state.status).toBe(200);
      expect(state.body.status).toBe('connected');
      expect(JSON.stringify(state.body)).not.toMatch(/token"\s*:\s*"[^"]{20}/i);
      expect(
        (
          await call(url(), {
            method: 'PUT',
            token: user.token,
            body: { subdomain: 'x', longLivedToken: 'y'.repeat(30) },
          })
        ).status,
      ).toBe(403);
      expect((await call(url(), { method: 'DELETE', token: user.token })).status).toBe(403);
      expect((await call(url('/authorize-url'), { token: user.token })).status).toBe(403);
      expect((await call(url('/resume'), { method: 'POST', token: user.token })).status).toBe(403);
      expect((await call(url('/metadata/refresh'), { method: 'POST', token: user.token })).status).toBe(403);
      const metadata = await call(url('/metadata'), { token: user.token });
      expect(metadata.status).toBe(200);
      expect(metadata.body.account.subdomain).toBe('longlived');
    }
    const refreshed = await call(url('/metadata/refresh'), { method: 'POST', token: admin.token });
    expect(refreshed.status).toBe(200);
    expect(Date.parse(refreshed.body.fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('keeps workspaces apart: another workspace is not connected and has no metadata', async () => {
    const other = await secondWorkspace(t.url, admin);
    expect((await call(url(), { token: other.token })).body).toMatchObject({
      status: 'not_connected',
      accountId: null,
    });
    expect((await call(url('/metadata'), { token: other.token })).status).toBe(404);
    const notConnected = await call(url('/metadata/refresh'), { method: 'POST', token: other.token });
    expect(notConnected.status).toBe(503);
    expect(notConnected.body.type).toBe('urn:problem-type:amocrm-not-connected');
    expect(notConnected.headers.get('retry-after')).toBeTruthy();
    expect((await call(url('/authorize-url'), { token: other.token })).status).toBe(409);
  });

  it('disconnects: tokens wiped, status not_connected, calls refused', async () => {
    const res = await call(url(), { method: 'DELETE', token: admin.token });
    expect(res.status).toBe(204);
    const [row] = await appQuery(
      t,
      'SELECT access_token, refresh_token, status FROM amocrm_connections WHERE workspace_id = ?',
      [admin.user.workspaceId],
    );
    expect(row).toEqual({ access_token: null, refresh_token: null, status: 'not_connected' });
    expect((await call(url(), { token: admin.token })).body.status).toBe('not_connected');
    await expect(amocrmApi(t, admin.user.workspaceId).getAccount()).rejects.toMatchObject({
      name: 'AmocrmNotConnectedError',
    });
    expect((await call(url('/metadata'), { token: admin.token })).status).toBe(404);
  });

  describe('at start', () => {
    it('connects the default workspace from AMO_DOMAIN and AMO_ACCESS_TOKEN, once', async () => {
      const account = sandbox.createAccount({ subdomain: 'fromenv' });
      const env = { AMO_DOMAIN: 'fromenv.amocrm.ru', AMO_ACCESS_TOKEN: account.longLivedToken };
      const first = await startAmocrmTestApp(sandbox, { env });
      try {
        await first.app.get(AmocrmStartupService).settled();
        const firstAdmin = await loginAdmin(first.url);
        const status = await call(`${first.url}/api/v1/connections/amocrm`, { token: firstAdmin.token });
        expect(status.body).toMatchObject({
          status: 'connected',
          authKind: 'long_lived',
          source: 'env',
          accountId: account.id,
          subdomain: 'fromenv',
        });
        const probes = sandbox.account('fromenv').requests({ pathPrefix: '/api/v4/account' }).length;

        const second = await startAmocrmTestApp(sandbox, {
          database: first.config.db,
          env: { ...env, REDIS_PREFIX: first.config.redisPrefix },
        });
        try {
          await second.app.get(AmocrmStartupService).settled();
          expect(sandbox.account('fromenv').requests({ pathPrefix: '/api/v4/account' })).toHaveLength(probes);
          const [{ count }] = await appQuery(second, 'SELECT COUNT(*) AS count FROM amocrm_connections');
          expect(Number(count)).toBe(1);
        } finally {
          await second.close();
        }
      } finally {
        await first.close();
      }
    });
  });
});

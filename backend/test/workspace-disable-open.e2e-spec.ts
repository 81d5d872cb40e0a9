import { apiKeyWithRole, login, loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import { call, type JsonResponse } from './support/http';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';

/**
 * Workspaces turned off and on, and opened by the super-admin (issue #15 §3): a turned-off workspace's users,
 * sessions and API keys get 403 workspace-disabled and work again once it is on; a super-admin acts in an opened
 * workspace through the same session (refresh keeps it), and what they do there is audited under their name.
 */
describe('workspaces: turn off / on, open', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, who: LoggedIn) =>
    call(`${t.url}/api/v1/workspaces/${path}`, { method: 'POST', token: who.token });
  const expectDisabled = (res: JsonResponse) => {
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.type).toContain('workspace-disabled');
  };

  it('turned off: its users, sessions and API keys are refused with 403 until it is on again; audited', async () => {
    const superAdmin = await loginAdmin(t.url);
    const other = await secondWorkspace(t.url, superAdmin, 'Филиал');
    const id = other.user.workspaceId;
    const key = await apiKeyWithRole(t.url, other, 'manager');

    // a workspace's own admin (or admin key) may turn off neither theirs nor another: the platform level
    const adminKey = await apiKeyWithRole(t.url, other, 'admin');
    expect((await post(`${id}/disable`, other)).status).toBe(403);
    expect((await post(`${superAdmin.user.workspaceId}/disable`, other)).status).toBe(403);
    const byKey = await call(`${t.url}/api/v1/workspaces/${id}/disable`, {
      method: 'POST',
      apiKey: adminKey.key,
    });
    expect(byKey.status).toBe(403);
    expect((await call(`${t.url}/api/v1/contacts`, { token: other.token })).status).toBe(200);
    const off = await post(`${id}/disable`, superAdmin);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id, disabled: true });

    expectDisabled(await call(`${t.url}/api/v1/contacts`, { token: other.token }));
    expectDisabled(await call(`${t.url}/api/v1/contacts`, { apiKey: key.key }));
    expectDisabled(
      await call(`${t.url}/api/v1/auth/login`, {
        body: { email: other.user.email, password: 'Second-admin-pass-1' },
      }),
    );
    expectDisabled(
      await call(`${t.url}/api/v1/auth/refresh`, { body: { refreshToken: other.refreshToken } }),
    );
    // the super-admin's own workspace cannot be turned off
    const own = await post(`${superAdmin.user.workspaceId}/disable`, superAdmin);
    expect(own.status).toBe(409);

    const on = await post(`${id}/enable`, superAdmin);
    expect(on.body).toMatchObject({ id, disabled: false });
    // the same access token, API key and refresh token work again: nothing was ended
    expect((await call(`${t.url}/api/v1/contacts`, { token: other.token })).status).toBe(200);
    expect((await call(`${t.url}/api/v1/contacts`, { apiKey: key.key })).status).toBe(200);
    const refreshed = await call(`${t.url}/api/v1/auth/refresh`, {
      body: { refreshToken: other.refreshToken },
    });
    expect(refreshed.status).toBe(200);

    // recorded in the workspace (its admin reads it) and in the super-admin's own log
    const theirs = await call(`${t.url}/api/v1/audit?action=workspace.`, { token: other.token });
    expect(theirs.body.items.map((item: { action: string }) => item.action)).toEqual([
      'workspace.enabled',
      'workspace.disabled',
    ]);
    expect(theirs.body.items[1]).toMatchObject({ actor: TEST_ADMIN.email, targetId: id });
    const mine = await call(`${t.url}/api/v1/audit?action=workspace.disabled`, { token: superAdmin.token });
    expect(mine.body.items[0]).toMatchObject({ targetId: id, details: { name: 'Филиал' } });
  });

  it('opened: the super-admin acts there in this session (kept on refresh), audited under their name', async () => {
    const superAdmin = await loginAdmin(t.url);
    const home = superAdmin.user.workspaceId;
    const other = await secondWorkspace(t.url, superAdmin, 'Регион');
    const id = other.user.workspaceId;

    // a workspace admin may open neither another workspace nor their own
    expect((await post(`${home}/open`, other)).status).toBe(403);
    expect((await post(`${id}/open`, other)).status).toBe(403);
    expect((await post('not-an-id/open', superAdmin)).status).toBe(400);
    expect((await post('0190f5d2-0000-7000-8000-000000000000/open', superAdmin)).status).toBe(404);

    const opened = await post(`${id}/open`, superAdmin);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ id, name: 'Регион', acting: true, home: { id: home } });
    const current = await call(`${t.url}/api/v1/workspaces/current`, { token: superAdmin.token });
    expect(current.body).toMatchObject({ id, acting: true });
    // the same token now reads and writes the opened workspace
    const users = await call(`${t.url}/api/v1/users`, { token: superAdmin.token });
    expect(users.body.map((user: { email: string }) => user.email)).toEqual([other.user.email]);
    const created = await call(`${t.url}/api/v1/api-keys`, {
      token: superAdmin.token,
      body: { name: 'Сайт', role: 'manager' },
    });
    expect(created.status).toBe(201);
    const keys = await call(`${t.url}/api/v1/api-keys`, { token: other.token });
    expect(JSON.stringify(keys.body)).toContain(created.body.apiKey.id);

    // a refresh keeps the opened workspace; a new login starts at home
    const refreshed = await call(`${t.url}/api/v1/auth/refresh`, {
      body: { refreshToken: superAdmin.refreshToken },
    });
    const again = await call(`${t.url}/api/v1/workspaces/current`, { token: refreshed.body.accessToken });
    expect(again.body).toMatchObject({ id, acting: true });
    const fresh = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const freshCurrent = await call(`${t.url}/api/v1/workspaces/current`, { token: fresh.token });
    expect(freshCurrent.body).toMatchObject({ id: home, acting: false, home: null });

    // back home through the same route
    const back = await call(`${t.url}/api/v1/workspaces/${home}/open`, {
      method: 'POST',
      token: refreshed.body.accessToken,
    });
    expect(back.body).toMatchObject({ id: home, acting: false, home: null });

    const log = await call(`${t.url}/api/v1/audit?actor=${TEST_ADMIN.email}`, { token: other.token });
    const actions = log.body.items.map((item: { action: string }) => item.action);
    expect(actions).toEqual(
      expect.arrayContaining(['workspace.opened', 'api_key.created', 'workspace.left']),
    );
    const keyEntry = log.body.items.find((item: { action: string }) => item.action === 'api_key.created');
    expect(keyEntry).toMatchObject({ actor: TEST_ADMIN.email });
    const ownLog = await call(`${t.url}/api/v1/audit?action=workspace.opened`, { token: fresh.token });
    expect(ownLog.body.items[0]).toMatchObject({ targetId: id, details: { name: 'Регион' } });
  });

  it('a super-admin may still open and act in a turned-off workspace (to look into it before turning it on)', async () => {
    const superAdmin = await loginAdmin(t.url);
    const other = await secondWorkspace(t.url, superAdmin, 'Закрытый');
    const id = other.user.workspaceId;
    await post(`${id}/disable`, superAdmin);
    expect((await post(`${id}/open`, superAdmin)).status).toBe(200);
    const current = await call(`${t.url}/api/v1/workspaces/current`, { token: superAdmin.token });
    expect(current.body).toMatchObject({ id, disabled: true, acting: true });
    expectDisabled(await call(`${t.url}/api/v1/workspaces/current`, { token: other.token }));
  });
});

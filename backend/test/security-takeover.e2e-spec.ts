import {
  apiKeyWithRole,
  login,
  loginAdmin,
  passwordForRole,
  secondWorkspace,
  userWithRole,
  type LoggedIn,
} from './support/auth';
import { call, type JsonResponse } from './support/http';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';

/**
 * Issue #10.1: an admin of the default workspace (a user or an admin API key) must not be able to take over the
 * platform super-admin: nobody changes a user whose privileges exceed their own.
 */
describe('security: an admin cannot take over the super-admin', () => {
  let t: TestApp;
  let superAdmin: LoggedIn;
  let admin: LoggedIn;
  let adminKey: string;
  let otherWorkspace: LoggedIn;

  beforeAll(async () => {
    t = await startTestApp();
    superAdmin = await loginAdmin(t.url);
    admin = await userWithRole(t.url, superAdmin, 'admin');
    adminKey = (await apiKeyWithRole(t.url, admin, 'admin')).key;
    otherWorkspace = await secondWorkspace(t.url, superAdmin, 'Other team');
  });
  afterAll(async () => {
    await t?.close();
  });

  const asAdminUser = (): { token: string } => ({ token: admin.token });
  const asAdminKey = (): { apiKey: string } => ({ apiKey: adminKey });
  const actors: [string, () => { token?: string; apiKey?: string }][] = [
    ['an admin user', asAdminUser],
    ['an admin API key', asAdminKey],
  ];
  const changes: [string, Record<string, unknown>][] = [
    ['password', { password: 'Taken-over-password-1' }],
    ['role', { role: 'viewer' }],
    ['disabled', { disabled: true }],
    [
      'password, role and disabled at once',
      { password: 'Taken-over-password-2', role: 'viewer', disabled: true },
    ],
  ];

  function expectForbidden(res: JsonResponse): void {
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'urn:problem-type:forbidden', status: 403 });
    expect(res.body.detail).toBe('Only the platform super-admin can change or delete a super-admin.');
  }

  describe.each(actors)('%s', (_name, credentials) => {
    it.each(changes)('cannot PATCH the super-admin’s %s (403)', async (_what, body) => {
      const res = await call(`${t.url}/api/v1/users/${superAdmin.user.id}`, {
        method: 'PATCH',
        ...credentials(),
        body,
      });
      expectForbidden(res);
    });

    it('cannot DELETE the super-admin (403)', async () => {
      const res = await call(`${t.url}/api/v1/users/${superAdmin.user.id}`, {
        method: 'DELETE',
        ...credentials(),
      });
      expectForbidden(res);
    });

    it('cannot create workspaces (403)', async () => {
      const res = await call(`${t.url}/api/v1/workspaces`, {
        ...credentials(),
        body: {
          name: 'Mine',
          adminEmail: `mine-${Date.now()}@example.test`,
          adminPassword: 'Mine-password-123',
        },
      });
      expect(res.status).toBe(403);
    });
  });

  it('an admin of another workspace does not even see the super-admin (404)', async () => {
    const res = await call(`${t.url}/api/v1/users/${superAdmin.user.id}`, {
      method: 'PATCH',
      token: otherWorkspace.token,
      body: { password: 'Taken-over-password-3' },
    });
    expect(res.status).toBe(404);
  });

  it('after every attempt the super-admin is untouched: same password, role, sessions and every workspace', async () => {
    for (const [, credentials] of actors) {
      for (const [, body] of changes) {
        const patch = await call(`${t.url}/api/v1/users/${superAdmin.user.id}`, {
          method: 'PATCH',
          ...credentials(),
          body,
        });
        expect(patch.status).toBe(403);
      }
      const remove = await call(`${t.url}/api/v1/users/${superAdmin.user.id}`, {
        method: 'DELETE',
        ...credentials(),
      });
      expect(remove.status).toBe(403);
    }

    // The session opened before the attempts still works (a password reset would have ended it).
    const me = await call(`${t.url}/api/v1/auth/me`, { token: superAdmin.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'admin', isSuperAdmin: true, disabled: false });

    const again = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    expect(again.user).toMatchObject({ isSuperAdmin: true, role: 'admin' });
    const refused = await call(`${t.url}/api/v1/auth/login`, {
      body: { email: TEST_ADMIN.email, password: 'Taken-over-password-1' },
    });
    expect(refused.status).toBe(401);

    const workspaces = await call(`${t.url}/api/v1/workspaces`, { token: again.token });
    expect(workspaces.status).toBe(200);
    const ids = workspaces.body.map((w: { id: string }) => w.id);
    expect(ids).toEqual(
      expect.arrayContaining([superAdmin.user.workspaceId, otherWorkspace.user.workspaceId]),
    );
  });

  it('an admin still manages peers: role, password reset, disable, delete', async () => {
    const peer = await userWithRole(t.url, superAdmin, 'admin');
    const demoted = await call(`${t.url}/api/v1/users/${peer.user.id}`, {
      method: 'PATCH',
      token: admin.token,
      body: { role: 'manager' },
    });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('manager');

    const reset = await call(`${t.url}/api/v1/users/${peer.user.id}`, {
      method: 'PATCH',
      apiKey: adminKey,
      body: { password: 'Peer-new-password-1' },
    });
    expect(reset.status).toBe(200);
    await expect(login(t.url, peer.user.email, 'Peer-new-password-1')).resolves.toBeTruthy();

    const viewer = await userWithRole(t.url, admin, 'viewer');
    const disabled = await call(`${t.url}/api/v1/users/${viewer.user.id}`, {
      method: 'PATCH',
      apiKey: adminKey,
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    const removed = await call(`${t.url}/api/v1/users/${peer.user.id}`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(removed.status).toBe(204);
    expect((await call(`${t.url}/api/v1/users/${peer.user.id}`, { token: admin.token })).status).toBe(404);
  });

  it('the super-admin still manages the workspace admins', async () => {
    const res = await call(`${t.url}/api/v1/users/${admin.user.id}`, {
      method: 'PATCH',
      token: superAdmin.token,
      body: { password: 'Admin-reset-by-root-1' },
    });
    expect(res.status).toBe(200);
    await expect(login(t.url, admin.user.email, 'Admin-reset-by-root-1')).resolves.toBeTruthy();
    const refused = await call(`${t.url}/api/v1/auth/login`, {
      body: { email: admin.user.email, password: passwordForRole('admin') },
    });
    expect(refused.status).toBe(401);
  });
});

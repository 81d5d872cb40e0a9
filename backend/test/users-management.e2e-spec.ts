import {
  apiKeyWithRole,
  login,
  loginAdmin,
  passwordForRole,
  secondWorkspace,
  userWithRole,
  type LoggedIn,
} from './support/auth';
import { call } from './support/http';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';

/** Issue #17.2: the user-management paths (delete, reset, re-enable, the last-admin guard) as an admin uses them. */
describe('users management', () => {
  let t: TestApp;
  let superAdmin: LoggedIn;

  beforeAll(async () => {
    t = await startTestApp();
    superAdmin = await loginAdmin(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  const me = async (token: string): Promise<number> =>
    (await call(`${t.url}/api/v1/auth/me`, { token })).status;
  const refresh = async (refreshToken: string): Promise<number> =>
    (await call(`${t.url}/api/v1/auth/refresh`, { body: { refreshToken } })).status;
  const user = (id: string, init: Parameters<typeof call>[1]): ReturnType<typeof call> =>
    call(`${t.url}/api/v1/users/${id}`, init);

  describe('delete', () => {
    it('an admin cannot delete themselves (409)', async () => {
      const admin = await userWithRole(t.url, superAdmin, 'admin');
      const res = await user(admin.user.id, { method: 'DELETE', token: admin.token });
      expect(res.status).toBe(409);
      expect(res.body.type).toBe('urn:problem-type:self-lockout');
      expect(res.body.detail).toBe('You cannot delete yourself.');
      expect(await me(admin.token)).toBe(200);
    });

    it('the super-admin cannot be deleted: by an admin (403), nor by themselves (409)', async () => {
      const admin = await userWithRole(t.url, superAdmin, 'admin');
      expect((await user(superAdmin.user.id, { method: 'DELETE', token: admin.token })).status).toBe(403);
      expect((await user(superAdmin.user.id, { method: 'DELETE', token: superAdmin.token })).status).toBe(
        409,
      );
      await expect(login(t.url, TEST_ADMIN.email, TEST_ADMIN.password)).resolves.toBeTruthy();
    });

    it('the deleted user’s access and refresh tokens die at once, and they cannot log in', async () => {
      const manager = await userWithRole(t.url, superAdmin, 'manager');
      // (GET /auth/me reads the user itself, so the contacts list is what shows the token's own fate)
      const contacts = async (): Promise<number> =>
        (await call(`${t.url}/api/v1/contacts`, { token: manager.token })).status;
      expect(await contacts()).toBe(200); // the caller is cached now
      const res = await user(manager.user.id, { method: 'DELETE', token: superAdmin.token });
      expect(res.status).toBe(204);
      expect(await contacts()).toBe(401);
      expect(await me(manager.token)).toBe(401);
      expect(await refresh(manager.refreshToken)).toBe(401);
      const again = await call(`${t.url}/api/v1/auth/login`, {
        body: { email: manager.user.email, password: passwordForRole('manager') },
      });
      expect(again.status).toBe(401);
      const list = await call(`${t.url}/api/v1/users`, { token: superAdmin.token });
      expect(list.body.map((u: { id: string }) => u.id)).not.toContain(manager.user.id);
    });
  });

  describe('the last active admin of a workspace', () => {
    // A second workspace has exactly one admin user. Its admin API key acts there without being that user, so
    // the own-role and self checks do not apply and the last-admin guard is what answers.
    let onlyAdmin: LoggedIn;
    let adminKey: string;
    beforeAll(async () => {
      onlyAdmin = await secondWorkspace(t.url, superAdmin, 'One-admin team');
      adminKey = (await apiKeyWithRole(t.url, onlyAdmin, 'admin')).key;
    });

    const lastAdminDetail = 'This is the last active admin of the workspace: make someone else admin first.';

    it.each([
      ['DELETE', undefined],
      ['PATCH', { role: 'viewer' }],
      ['PATCH', { disabled: true }],
    ])('%s %j → 409, and the admin keeps working', async (method, body) => {
      const res = await user(onlyAdmin.user.id, { method, apiKey: adminKey, body });
      expect(res.status).toBe(409);
      expect(res.body.type).toBe('urn:problem-type:self-lockout');
      expect(res.body.detail).toBe(lastAdminDetail);
      expect(await me(onlyAdmin.token)).toBe(200);
      const seen = await user(onlyAdmin.user.id, { apiKey: adminKey });
      expect(seen.body).toMatchObject({ role: 'admin', disabled: false });
    });

    it('once there is another active admin, the same key may delete the first', async () => {
      const second = await userWithRole(t.url, onlyAdmin, 'admin');
      // a disabled admin does not count as another admin
      await user(second.user.id, { method: 'PATCH', apiKey: adminKey, body: { disabled: true } });
      expect((await user(onlyAdmin.user.id, { method: 'DELETE', apiKey: adminKey })).status).toBe(409);
      await user(second.user.id, { method: 'PATCH', apiKey: adminKey, body: { disabled: false } });

      expect((await user(onlyAdmin.user.id, { method: 'DELETE', apiKey: adminKey })).status).toBe(204);
      expect(await me(onlyAdmin.token)).toBe(401);
    });
  });

  it('an admin’s password reset ends that user’s sessions at once', async () => {
    const admin = await userWithRole(t.url, superAdmin, 'admin');
    const viewer = await userWithRole(t.url, superAdmin, 'viewer');
    const secondSession = await login(t.url, viewer.user.email, passwordForRole('viewer'));
    expect(await me(viewer.token)).toBe(200);

    const res = await user(viewer.user.id, {
      method: 'PATCH',
      token: admin.token,
      body: { password: 'Reset-by-admin-pass-1' },
    });
    expect(res.status).toBe(200);
    for (const session of [viewer, secondSession]) {
      expect(await me(session.token)).toBe(401);
      expect(await refresh(session.refreshToken)).toBe(401);
    }
    const fresh = await login(t.url, viewer.user.email, 'Reset-by-admin-pass-1');
    expect(await me(fresh.token)).toBe(200);
    expect(await me(admin.token)).toBe(200); // the admin's own session is not touched
  });

  it('re-enabling a disabled user lets them log in again (old tokens stay dead)', async () => {
    const manager = await userWithRole(t.url, superAdmin, 'manager');
    const disabled = await user(manager.user.id, {
      method: 'PATCH',
      token: superAdmin.token,
      body: { disabled: true },
    });
    expect(disabled.body.disabled).toBe(true);
    const refused = await call(`${t.url}/api/v1/auth/login`, {
      body: { email: manager.user.email, password: passwordForRole('manager') },
    });
    expect(refused.status).toBe(401);

    const enabled = await user(manager.user.id, {
      method: 'PATCH',
      token: superAdmin.token,
      body: { disabled: false },
    });
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabled).toBe(false);
    const back = await login(t.url, manager.user.email, passwordForRole('manager'));
    expect(await me(back.token)).toBe(200);
    expect((await call(`${t.url}/api/v1/contacts`, { token: back.token })).status).toBe(200);

    expect(await me(manager.token)).toBe(401);
    expect(await refresh(manager.refreshToken)).toBe(401);
  });
});

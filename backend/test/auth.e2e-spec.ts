import { login, loginAdmin, userWithRole } from './support/auth';
import { call } from './support/http';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';

describe('auth: login, tokens, users, API keys, lockout, audit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_LOCKOUT_SECONDS: '2' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates the super-admin in the default workspace at first start and logs them in', async () => {
    const res = await call(`${t.url}/api/v1/auth/login`, {
      body: { email: TEST_ADMIN.email.toUpperCase(), password: TEST_ADMIN.password },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      expiresIn: 900,
      user: { email: TEST_ADMIN.email, role: 'admin', isSuperAdmin: true },
    });
    const [, payload] = res.body.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(900);
    const header = JSON.parse(Buffer.from(res.body.accessToken.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('HS256');
    const me = await call(`${t.url}/api/v1/auth/me`, { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(TEST_ADMIN.email);
  });

  it('refuses a wrong password and an unknown e-mail with the same answer', async () => {
    const wrong = await call(`${t.url}/api/v1/auth/login`, {
      body: { email: TEST_ADMIN.email, password: 'not-the-password' },
    });
    const unknown = await call(`${t.url}/api/v1/auth/login`, {
      body: { email: 'nobody@example.test', password: 'not-the-password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect({ ...wrong.body, requestId: undefined }).toEqual({ ...unknown.body, requestId: undefined });
    expect(wrong.body.detail).toBe('The e-mail or the password is wrong.');
  });

  it('rejects an invalid login body with a field list', async () => {
    const res = await call(`${t.url}/api/v1/auth/login`, { body: { email: 'not-an-email', extra: 1 } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'extra', 'password']);
  });

  it('rotates refresh tokens and closes the whole session when a used one comes back', async () => {
    const first = await loginAdmin(t.url);
    const second = await call(`${t.url}/api/v1/auth/refresh`, { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    const third = await call(`${t.url}/api/v1/auth/refresh`, {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(third.status).toBe(200);

    const replay = await call(`${t.url}/api/v1/auth/refresh`, { body: { refreshToken: first.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.body.type).toBe('urn:problem-type:refresh-token-reused');
    // the thief's and the owner's newest tokens are both dead now
    const newest = await call(`${t.url}/api/v1/auth/refresh`, {
      body: { refreshToken: third.body.refreshToken },
    });
    expect(newest.status).toBe(401);

    // so is the session's access token, at once
    expect((await call(`${t.url}/api/v1/auth/me`, { token: third.body.accessToken })).status).toBe(401);

    const audit = await call(`${t.url}/api/v1/audit?action=auth.refresh_reuse`, {
      token: (await loginAdmin(t.url)).token,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.items.length).toBeGreaterThan(0);
  });

  it('logout ends the session', async () => {
    const session = await loginAdmin(t.url);
    expect(
      (await call(`${t.url}/api/v1/auth/logout`, { body: { refreshToken: session.refreshToken } })).status,
    ).toBe(204);
    expect(
      (await call(`${t.url}/api/v1/auth/refresh`, { body: { refreshToken: session.refreshToken } })).status,
    ).toBe(401);
  });

  it('refuses a weak password with a clear message', async () => {
    const admin = await loginAdmin(t.url);
    const res = await call(`${t.url}/api/v1/users`, {
      token: admin.token,
      body: { email: 'weak@example.test', password: 'short', role: 'viewer' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        field: 'password',
        code: 'passwordTooShort',
        message: 'The password must be at least 10 characters long.',
      },
    ]);
  });

  it('a disabled user is locked out at once, even with a live access token', async () => {
    const admin = await loginAdmin(t.url);
    const manager = await userWithRole(t.url, admin, 'manager');
    expect((await call(`${t.url}/api/v1/auth/me`, { token: manager.token })).status).toBe(200);
    const disable = await call(`${t.url}/api/v1/users/${manager.user.id}`, {
      method: 'PATCH',
      token: admin.token,
      body: { disabled: true },
    });
    expect(disable.status).toBe(200);
    expect(disable.body.disabled).toBe(true);
    expect((await call(`${t.url}/api/v1/auth/me`, { token: manager.token })).status).toBe(401);
    expect(
      (await call(`${t.url}/api/v1/auth/refresh`, { body: { refreshToken: manager.refreshToken } })).status,
    ).toBe(401);
  });

  it('role changes apply to the next request and are audited', async () => {
    const admin = await loginAdmin(t.url);
    const viewer = await userWithRole(t.url, admin, 'viewer');
    expect((await call(`${t.url}/api/v1/users`, { token: viewer.token })).status).toBe(403);
    await call(`${t.url}/api/v1/users/${viewer.user.id}`, {
      method: 'PATCH',
      token: admin.token,
      body: { role: 'admin' },
    });
    expect((await call(`${t.url}/api/v1/users`, { token: viewer.token })).status).toBe(200);
    const audit = await call(`${t.url}/api/v1/audit?action=user.role_changed`, { token: admin.token });
    expect(audit.body.items[0]).toMatchObject({
      action: 'user.role_changed',
      actor: TEST_ADMIN.email,
      targetId: viewer.user.id,
      details: { from: 'viewer', to: 'admin' },
    });
    expect(audit.body.items[0].ip).toBeTruthy();
  });

  // The last-admin guard itself is reached in users-management.e2e-spec.ts (an admin key acting on the only admin).
  it('an admin cannot lock themselves out by changing their own role (409)', async () => {
    const admin = await loginAdmin(t.url);
    const res = await call(`${t.url}/api/v1/users/${admin.user.id}`, {
      method: 'PATCH',
      token: admin.token,
      body: { role: 'viewer' },
    });
    expect(res.status).toBe(409);
  });

  it('API keys: shown once, act with their role, stop working when revoked', async () => {
    const admin = await loginAdmin(t.url);
    const created = await call(`${t.url}/api/v1/api-keys`, {
      token: admin.token,
      body: { name: 'Сайт', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key.startsWith(created.body.apiKey.prefix)).toBe(true);

    const list = await call(`${t.url}/api/v1/api-keys`, { token: admin.token });
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(list.body.find((k: { id: string }) => k.id === created.body.apiKey.id)).toMatchObject({
      name: 'Сайт',
      role: 'viewer',
    });

    expect((await call(`${t.url}/api/v1/audit`, { apiKey: key })).status).toBe(403); // viewer may not read the audit
    const managerKey = await call(`${t.url}/api/v1/api-keys`, {
      token: admin.token,
      body: { name: 'CRM', role: 'admin' },
    });
    expect((await call(`${t.url}/api/v1/audit`, { apiKey: managerKey.body.key })).status).toBe(200);

    expect(
      (
        await call(`${t.url}/api/v1/api-keys/${created.body.apiKey.id}`, {
          method: 'DELETE',
          token: admin.token,
        })
      ).status,
    ).toBe(204);
    const afterRevoke = await call(`${t.url}/api/v1/audit`, { apiKey: key });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.type).toBe('urn:problem-type:invalid-api-key');
    const used = await call(`${t.url}/api/v1/api-keys`, { token: admin.token });
    expect(used.body.find((k: { id: string }) => k.id === managerKey.body.apiKey.id).lastUsedAt).toBeTruthy();
    // the revoked key stays listed, as revoked, after the active ones
    const ids = used.body.map((k: { id: string }) => k.id);
    expect(ids.indexOf(created.body.apiKey.id)).toBeGreaterThan(ids.indexOf(managerKey.body.apiKey.id));
    expect(used.body.find((k: { id: string }) => k.id === created.body.apiKey.id).revokedAt).toEqual(
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    );
    expect(used.body.find((k: { id: string }) => k.id === managerKey.body.apiKey.id).revokedAt).toBeNull();
  });

  it('locks the (e-mail, address) pair, not the e-mail, after repeated failures (429, Retry-After) until the lock ends', async () => {
    const admin = await loginAdmin(t.url);
    const victim = await userWithRole(t.url, admin, 'viewer'); // logged in from 127.0.0.1, its usual address
    const fromAttacker = { 'x-forwarded-for': '203.0.113.66' };
    const tryLogin = (password: string, headers: Record<string, string> = {}) =>
      call(`${t.url}/api/v1/auth/login`, { body: { email: victim.user.email, password }, headers });
    const attempts = [];
    for (let i = 0; i < 5; i++) attempts.push(await tryLogin(`wrong-password-${i}`, fromAttacker));
    expect(attempts.slice(0, 4).map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(attempts[4].status).toBe(429);
    expect(Number(attempts[4].headers.get('retry-after'))).toBe(2);
    // the locked address is refused even with the right password...
    const locked = await tryLogin('Password-for-viewer-1', fromAttacker);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // ...while the owner, from another address, gets in at once
    expect((await tryLogin('Password-for-viewer-1')).status).toBe(200);
    // once the lock (LOGIN_LOCKOUT_SECONDS=2) ends, the pair may try again
    const deadline = Date.now() + 10_000;
    let after = locked;
    while (after.status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await tryLogin('Password-for-viewer-1', fromAttacker);
    }
    expect(after.status).toBe(200);
    const audit = await call(`${t.url}/api/v1/audit?action=auth.lockout`, { token: admin.token });
    expect(
      audit.body.items.some(
        (e: { details: { email: string; scopes: string[] } }) =>
          e.details.email === victim.user.email && e.details.scopes.includes('email-address'),
      ),
    ).toBe(true);
  });

  it('changing the own password ends other sessions and needs the current one', async () => {
    const admin = await loginAdmin(t.url);
    const user = await userWithRole(t.url, admin, 'manager');
    const bad = await call(`${t.url}/api/v1/auth/password`, {
      token: user.token,
      body: { currentPassword: 'nope-nope-nope', newPassword: 'Another-password-2' },
    });
    expect(bad.status).toBe(401);
    const ok = await call(`${t.url}/api/v1/auth/password`, {
      token: user.token,
      body: { currentPassword: 'Password-for-manager-1', newPassword: 'Another-password-2' },
    });
    expect(ok.status).toBe(200);
    expect(
      (await call(`${t.url}/api/v1/auth/refresh`, { body: { refreshToken: user.refreshToken } })).status,
    ).toBe(401);
    await expect(login(t.url, user.user.email, 'Another-password-2')).resolves.toBeTruthy();
  });
});

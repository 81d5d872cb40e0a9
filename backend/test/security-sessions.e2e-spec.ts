import { createHmac } from 'node:crypto';
import {
  apiKeyWithRole,
  login,
  loginAdmin,
  passwordForRole,
  userWithRole,
  type LoggedIn,
} from './support/auth';
import { call } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue #10.3: when a session ends (logout, refresh-token reuse, password change) the access tokens already issued
 * stop working at once, not when they expire 15 minutes later. Plus: tokens without `exp`, and requests carrying
 * two kinds of credentials.
 */
describe('security: sessions really end', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  const me = async (token: string): Promise<number> =>
    (await call(`${t.url}/api/v1/auth/me`, { token })).status;
  const refresh = (refreshToken: string): ReturnType<typeof call> =>
    call(`${t.url}/api/v1/auth/refresh`, { body: { refreshToken } });

  it('logout kills that session’s access token at once, and only that session', async () => {
    const user = await userWithRole(t.url, admin, 'manager');
    const otherSession = await login(t.url, user.user.email, passwordForRole('manager'));
    expect(await me(user.token)).toBe(200); // checked once, so the answer is cached

    const out = await call(`${t.url}/api/v1/auth/logout`, { body: { refreshToken: user.refreshToken } });
    expect(out.status).toBe(204);
    const after = await call(`${t.url}/api/v1/auth/me`, { token: user.token });
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toContain('application/problem+json');
    expect((await refresh(user.refreshToken)).status).toBe(401);

    expect(await me(otherSession.token)).toBe(200);
    expect((await refresh(otherSession.refreshToken)).status).toBe(200);
  });

  it('a reused refresh token kills the session’s newest access token at once', async () => {
    const user = await userWithRole(t.url, admin, 'viewer');
    const otherSession = await login(t.url, user.user.email, passwordForRole('viewer'));
    const rotated = await refresh(user.refreshToken);
    expect(rotated.status).toBe(200);
    expect(await me(rotated.body.accessToken)).toBe(200);

    const replay = await refresh(user.refreshToken); // the stolen, already used token comes back
    expect(replay.status).toBe(401);
    expect(replay.body.type).toBe('urn:problem-type:refresh-token-reused');
    expect(await me(rotated.body.accessToken)).toBe(401);
    expect(await me(user.token)).toBe(401);
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);

    expect(await me(otherSession.token)).toBe(200);
  });

  it('the same refresh token presented many times at once leaves no session alive', async () => {
    // A thief and the owner racing with one token: whoever wins the rotation, the reuse closes the whole session,
    // including a pair issued to the winner while the session was being closed.
    const user = await userWithRole(t.url, admin, 'manager');
    const answers = await Promise.all(Array.from({ length: 8 }, () => refresh(user.refreshToken)));
    expect(answers.every((answer) => answer.status === 200 || answer.status === 401)).toBe(true);
    expect(answers.some((answer) => answer.body.type === 'urn:problem-type:refresh-token-reused')).toBe(true);
    for (const answer of answers.filter((a) => a.status === 200)) {
      expect(await me(answer.body.accessToken)).toBe(401);
      expect((await refresh(answer.body.refreshToken)).status).toBe(401);
    }
    expect(await me(user.token)).toBe(401);
  });

  it('changing the own password ends the other sessions and returns a working pair', async () => {
    const user = await userWithRole(t.url, admin, 'manager');
    const other = await login(t.url, user.user.email, passwordForRole('manager'));
    expect(await me(other.token)).toBe(200);

    const changed = await call(`${t.url}/api/v1/auth/password`, {
      token: user.token,
      body: { currentPassword: passwordForRole('manager'), newPassword: 'Brand-new-password-7' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user.id).toBe(user.user.id);

    // the other session is over: its access and refresh tokens are refused at once
    expect(await me(other.token)).toBe(401);
    expect((await refresh(other.refreshToken)).status).toBe(401);
    expect((await refresh(user.refreshToken)).status).toBe(401);

    // the pair the endpoint returned works, and so does its refresh token
    expect(await me(changed.body.accessToken)).toBe(200);
    const renewed = await refresh(changed.body.refreshToken);
    expect(renewed.status).toBe(200);
    expect(await me(renewed.body.accessToken)).toBe(200);

    await expect(login(t.url, user.user.email, 'Brand-new-password-7')).resolves.toBeTruthy();
    const old = await call(`${t.url}/api/v1/auth/login`, {
      body: { email: user.user.email, password: passwordForRole('manager') },
    });
    expect(old.status).toBe(401);
  });

  it('refuses an access token without an expiry, signed with the right key (401)', async () => {
    const claims = decodePayload(admin.token);
    const withExpiry = sign(claims, t.config.jwtSecret);
    expect(await me(withExpiry)).toBe(200); // the forging works: the same claims, re-signed, are accepted

    const { exp: _exp, ...withoutExpiry } = claims;
    const res = await call(`${t.url}/api/v1/auth/me`, { token: sign(withoutExpiry, t.config.jwtSecret) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a request carrying both a bearer token and an X-Api-Key (400)', async () => {
    const key = (await apiKeyWithRole(t.url, admin, 'admin')).key;
    expect((await call(`${t.url}/api/v1/users`, { token: admin.token })).status).toBe(200);
    expect((await call(`${t.url}/api/v1/users`, { apiKey: key })).status).toBe(200);

    const both = await call(`${t.url}/api/v1/users`, { token: admin.token, apiKey: key });
    expect(both.status).toBe(400);
    expect(both.headers.get('content-type')).toContain('application/problem+json');
    expect(both.body.type).toBe('urn:problem-type:ambiguous-credentials');

    // even when one of the two would be refused on its own, the answer is not decided by the other one
    const viewerKey = (await apiKeyWithRole(t.url, admin, 'viewer')).key;
    expect((await call(`${t.url}/api/v1/users`, { token: admin.token, apiKey: viewerKey })).status).toBe(400);
  });
});

function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

/** An HS256 JWT of `claims` exactly as given (no `exp` added). */
function sign(claims: Record<string, unknown>, secret: string): string {
  const encode = (part: unknown): string => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

import { startLpTrackerSandbox, type LpTrackerSandbox } from './lp-sandbox';
import { callLp, lpClient } from './lp-test-kit';

describe('LPTracker sandbox: login, tokens and the request limit', () => {
  let sandbox: LpTrackerSandbox;

  beforeAll(async () => {
    sandbox = await startLpTrackerSandbox();
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const control = (method: string, path: string, body?: unknown) =>
    callLp(sandbox.url, method, `/__sandbox${path}`, { body });

  it('logs in with login and password, then takes the token in the "token" header', async () => {
    const account = sandbox.createAccount({ key: 'auth1', seed: true, rps: 0 });
    const login = await callLp(sandbox.url, 'POST', '/login', {
      body: { login: account.login, password: account.password, service: 'Интеграция', version: '1.0' },
    });
    expect(login.status).toBe(200);
    expect(login.json).toEqual({
      status: 'success',
      result: { token: expect.stringMatching(/^[0-9a-f]{48}$/) },
    });
    const token: string = login.json.result.token;

    const projects = await callLp(sandbox.url, 'GET', '/projects', { token });
    expect(projects.json).toEqual([
      { id: expect.any(Number), name: 'Сайт', page: expect.any(String), domain: 'romashka-demo.ru' },
    ]);
    // The same token as a Bearer header is not LPTracker's way: refused.
    const bearer = await fetch(`${sandbox.url}/projects`, { headers: { Authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(200);
    expect(await bearer.json()).toEqual({
      status: 'error',
      errors: [{ code: 401, message: expect.any(String) }],
    });
    expect(sandbox.account('auth1').sessions()).toEqual([
      expect.objectContaining({ login: account.login, service: 'Интеграция', version: '1.0' }),
    ]);
  });

  it('answers errors inside HTTP 200: wrong password, unknown token, unknown route', async () => {
    const account = sandbox.createAccount({ key: 'auth2', seed: true, rps: 0 });
    const wrong = await callLp(sandbox.url, 'POST', '/login', {
      body: { login: account.login, password: 'not-it', service: 'x', version: '1.0' },
    });
    expect(wrong.status).toBe(200);
    expect(wrong.json).toEqual({
      status: 'error',
      errors: [{ code: 403, message: 'Wrong login or password' }],
    });
    const missing = await callLp(sandbox.url, 'POST', '/login', { body: { login: account.login } });
    expect(missing.json.errors[0].code).toBe(400);

    const unknown = await callLp(sandbox.url, 'GET', '/staff', { token: 'f'.repeat(48) });
    expect(unknown.status).toBe(200);
    expect(unknown.json).toEqual({ status: 'error', errors: [{ code: 401, message: 'Token is invalid' }] });

    const { api } = await lpClient(sandbox.url, account);
    const noRoute = await api('GET', '/no-such-thing');
    expect(noRoute.status).toBe(200);
    expect(noRoute.json.errors[0].code).toBe(404);
    const badJson = await fetch(`${sandbox.url}/lead`, {
      method: 'POST',
      headers: { token: (await lpClient(sandbox.url, account)).token, 'Content-Type': 'application/json' },
      body: '{not json',
    });
    expect(badJson.status).toBe(200);
    expect((await badJson.json()).errors[0]).toEqual({
      code: 400,
      message: 'Request body is not valid JSON',
    });
  });

  it('kills a token after 24 h without use, keeps one in use alive, and expires all on request', async () => {
    const account = sandbox.createAccount({ key: 'auth3', seed: true, rps: 0 });
    const { api } = await lpClient(sandbox.url, account);
    expect((await api('GET', '/staff')).json.status).toBe('success');

    // 23 h idle: still alive, and the call starts the idle time again.
    expect((await control('POST', '/accounts/auth3/age-tokens', { seconds: 23 * 3600 })).status).toBe(200);
    expect((await api('GET', '/staff')).json.status).toBe('success');
    await control('POST', '/accounts/auth3/age-tokens', { seconds: 23 * 3600 });
    expect((await api('GET', '/staff')).json.status).toBe('success');

    await control('POST', '/accounts/auth3/age-tokens', { seconds: 24 * 3600 + 1 });
    const idle = await api('GET', '/staff');
    expect(idle.status).toBe(200);
    expect(idle.json).toEqual({ status: 'error', errors: [{ code: 401, message: 'Token is expired' }] });

    const second = await lpClient(sandbox.url, account);
    const third = await lpClient(sandbox.url, account, 'Другой сервис');
    expect((await control('POST', '/accounts/auth3/expire-tokens', {})).json).toEqual({ expired: 2 });
    expect((await second.api('GET', '/staff')).json.errors[0].code).toBe(401);
    expect((await third.api('GET', '/staff')).json.errors[0].code).toBe(401);

    const fresh = await lpClient(sandbox.url, account);
    expect((await fresh.api('POST', '/logout')).json).toEqual({ status: 'success', result: true });
    expect((await fresh.api('GET', '/staff')).json.errors[0].code).toBe(401);
  });

  it('allows 3 requests per second per login, then answers error 503 (JSON, or HTTP 503 when set)', async () => {
    const account = sandbox.createAccount({ key: 'limit1', seed: true, rps: 0 });
    const { api } = await lpClient(sandbox.url, account);
    // The limit is switched on after the login, so the burst alone counts.
    expect((await control('PATCH', '/accounts/limit1/settings', { rps: 3 })).status).toBe(200);
    const burst = await Promise.all(Array.from({ length: 4 }, () => api('GET', '/staff')));
    expect(burst.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(burst.filter((answer) => answer.json.status === 'success')).toHaveLength(3);
    expect(burst.find((answer) => answer.json.status === 'error')?.json.errors[0].code).toBe(503);

    await control('PATCH', '/accounts/limit1/settings', { rateLimitHttpStatus: 503 });
    const asHttp = await api('GET', '/staff');
    expect(asHttp.status).toBe(503);
    expect(asHttp.json.errors[0].code).toBe(503);

    // Another login of the same account has its own budget.
    sandbox.account('limit1').addLogin('second@lptracker.local', 'pw-2');
    await control('PATCH', '/accounts/limit1/settings', { rps: 0 });
    const other = await lpClient(sandbox.url, { login: 'second@lptracker.local', password: 'pw-2' });
    await control('PATCH', '/accounts/limit1/settings', { rps: 3 });
    expect((await other.api('GET', '/staff')).json.status).toBe('success');
    expect(sandbox.account('limit1').requestCounts({ route: 'GET /staff' })).toEqual({ 'GET /staff': 6 });
  });

  it('turns the limit off with rps 0', async () => {
    const account = sandbox.createAccount({ key: 'limit2', seed: true, rps: 0 });
    const { api } = await lpClient(sandbox.url, account);
    const burst = await Promise.all(Array.from({ length: 10 }, () => api('GET', '/staff')));
    expect(burst.every((answer) => answer.json.status === 'success')).toBe(true);
  });
});

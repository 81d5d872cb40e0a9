import { startAmoSandbox, type AmoSandbox } from './amo-sandbox';
import { callAmo } from './sandbox-test-kit';

const NGINX_403 =
  '<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>';

describe('amoCRM sandbox: limits, blocks and injected failures', () => {
  let sandbox: AmoSandbox;

  beforeAll(async () => {
    sandbox = await startAmoSandbox();
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('answers 429 beyond 7 requests per second, then blocks the account with an nginx 403', async () => {
    const account = sandbox.createAccount({ subdomain: 'limited', blockAfter429s: 3 });
    const call = () => callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: account.longLivedToken });

    const burst = await Promise.all(Array.from({ length: 8 }, call));
    const statuses = burst.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(7);
    const limited = burst.find((result) => result.status === 429);
    expect(limited?.headers.get('content-type')).toBe('application/problem+json');
    expect(limited?.json).toMatchObject({ status: 429, type: 'https://httpstatus.es/429' });

    // Three more 429s are tolerated; the fourth within 60 s blocks the account.
    for (let i = 0; i < 3; i += 1) expect((await call()).status).toBe(429);
    expect(sandbox.account('limited').blocked).toBe(true);

    const blocked = await call();
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get('content-type')).toBe('text/html');
    expect(blocked.text).toBe(NGINX_403);

    const oauth = await callAmo(account.baseUrl, 'POST', '/oauth2/access_token', {
      body: { client_id: account.clientId, client_secret: account.clientSecret, grant_type: 'refresh_token' },
    });
    expect(oauth.status).toBe(403);
    expect(oauth.text).toBe(NGINX_403);

    const unblock = await callAmo(sandbox.url, 'POST', '/__sandbox/accounts/limited/unblock', { body: {} });
    expect(unblock.status).toBe(200);
    expect((await call()).status).toBe(200);
  });

  it('does not count a limited account against another', async () => {
    const busy = sandbox.createAccount({ subdomain: 'busy' });
    const calm = sandbox.createAccount({ subdomain: 'calm' });
    await Promise.all(
      Array.from({ length: 9 }, () =>
        callAmo(busy.baseUrl, 'GET', '/api/v4/account', { token: busy.longLivedToken }),
      ),
    );
    expect(
      (await callAmo(calm.baseUrl, 'GET', '/api/v4/account', { token: calm.longLivedToken })).status,
    ).toBe(200);
  });

  it('answers 402 while payment is required', async () => {
    const account = sandbox.createAccount({ subdomain: 'unpaid', rps: 1000 });
    const handle = sandbox.account('unpaid');
    handle.setPaymentRequired(true);
    const unpaid = await callAmo(account.baseUrl, 'GET', '/api/v4/leads', { token: account.longLivedToken });
    expect(unpaid.status).toBe(402);
    expect(unpaid.headers.get('content-type')).toBe('application/problem+json');
    expect(unpaid.json.status).toBe(402);
    handle.setPaymentRequired(false);
    expect(
      (await callAmo(account.baseUrl, 'GET', '/api/v4/leads', { token: account.longLivedToken })).status,
    ).toBe(204);
  });

  it('injects 5xx answers and dropped connections for the next calls', async () => {
    const account = sandbox.createAccount({ subdomain: 'flaky', rps: 1000 });
    const call = () => callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: account.longLivedToken });
    const injected = await callAmo(sandbox.url, 'POST', '/__sandbox/accounts/flaky/faults', {
      body: { status: 503, count: 2 },
    });
    expect(injected.status).toBe(200);
    const first = await call();
    expect(first.status).toBe(503);
    expect(first.headers.get('content-type')).toBe('text/html');
    expect((await call()).status).toBe(503);
    expect((await call()).status).toBe(200);

    sandbox.account('flaky').injectFault({ kind: 500 });
    const failed = await call();
    expect(failed.status).toBe(500);
    expect(failed.json.status).toBe(500);

    sandbox.account('flaky').injectFault({ kind: 'drop' });
    await expect(call()).rejects.toThrow();
    expect((await call()).status).toBe(200);
    expect(
      sandbox
        .account('flaky')
        .requests()
        .map((entry) => entry.status),
    ).toEqual([503, 503, 200, 500, 0, 200]);
  });
});

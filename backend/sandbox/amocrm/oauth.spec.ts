import { startAmoSandbox, type AmoSandbox } from './amo-sandbox';
import { callAmo } from './sandbox-test-kit';

describe('amoCRM sandbox: OAuth and bearer auth', () => {
  let sandbox: AmoSandbox;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  async function exchange(subdomain: string, body: Record<string, unknown>) {
    return callAmo(sandbox.url, 'POST', `/${subdomain}/oauth2/access_token`, { body });
  }

  it('runs the consent redirect, the code exchange and a single-use refresh', async () => {
    const account = sandbox.createAccount({ subdomain: 'oauth1', redirectUri: 'https://app.example/cb' });
    const consent = await callAmo(
      sandbox.url,
      'GET',
      `/oauth1/oauth?client_id=${account.clientId}&state=xyz&mode=post_message&redirect_uri=${encodeURIComponent('https://app.example/cb?x=1')}`,
    );
    expect(consent.status).toBe(302);
    const location = new URL(consent.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://app.example/cb');
    expect(location.searchParams.get('x')).toBe('1');
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('referer')).toBe(`${new URL(sandbox.url).host}/oauth1`);
    const code = location.searchParams.get('code') ?? '';

    const first = await exchange('oauth1', {
      client_id: account.clientId,
      client_secret: account.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://app.example/cb?x=1',
    });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      token_type: 'Bearer',
      expires_in: 86400,
      server_time: expect.any(Number),
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });

    const reusedCode = await exchange('oauth1', {
      client_id: account.clientId,
      client_secret: account.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://app.example/cb?x=1',
    });
    expect(reusedCode.status).toBe(400);
    expect(reusedCode.json.hint).toBe('Authorization code has been revoked');

    const api = await callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: first.json.access_token });
    expect(api.status).toBe(200);
    expect(api.headers.get('content-type')).toBe('application/hal+json');
    expect(api.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(api.json).toMatchObject({ id: account.id, subdomain: 'oauth1', currency: 'RUB', country: 'RU' });

    const refreshBody = {
      client_id: account.clientId,
      client_secret: account.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: first.json.refresh_token,
      redirect_uri: 'https://app.example/cb',
    };
    const refreshed = await exchange('oauth1', refreshBody);
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).not.toBe(first.json.refresh_token);

    const oldAccess = await callAmo(account.baseUrl, 'GET', '/api/v4/account', {
      token: first.json.access_token,
    });
    expect(oldAccess.status).toBe(401);
    const newAccess = await callAmo(account.baseUrl, 'GET', '/api/v4/account', {
      token: refreshed.json.access_token,
    });
    expect(newAccess.status).toBe(200);

    const reused = await exchange('oauth1', refreshBody);
    expect(reused.status).toBe(401);
    expect(reused.headers.get('content-type')).toBe('application/problem+json');
    expect(reused.json).toEqual({
      hint: 'Token has been revoked',
      title: 'Unauthorized',
      type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
      status: 401,
      detail: expect.any(String),
    });

    expect(sandbox.account('oauth1').tokenCalls()).toEqual({
      authorization_code: 2,
      refresh_token: 2,
      other: 0,
      failures: { authorization_code: 1, refresh_token: 1, other: 0 },
    });
  });

  it('picks the account by client_id on the global consent page', async () => {
    const account = sandbox.createAccount({ subdomain: 'oauth2' });
    const consent = await callAmo(
      sandbox.url,
      'GET',
      `/oauth?client_id=${account.clientId}&state=s1&redirect_uri=${encodeURIComponent('http://localhost:9/cb')}`,
    );
    expect(consent.status).toBe(302);
    const location = new URL(consent.headers.get('location') ?? '');
    expect(location.searchParams.get('referer')).toBe(`${new URL(sandbox.url).host}/oauth2`);
    const token = await exchange('oauth2', {
      client_id: account.clientId,
      client_secret: account.clientSecret,
      grant_type: 'authorization_code',
      code: location.searchParams.get('code'),
      redirect_uri: 'http://localhost:9/cb',
    });
    expect(token.status).toBe(200);
  });

  it('rejects a wrong client secret', async () => {
    const account = sandbox.createAccount({ subdomain: 'oauth3' });
    const { code } = sandbox.account('oauth3').issueAuthorizationCode();
    const result = await exchange('oauth3', {
      client_id: account.clientId,
      client_secret: 'wrong',
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://x.example',
    });
    expect(result.status).toBe(401);
    expect(result.json.type).toBe('https://developers.amocrm.ru/v3/errors/OAuthProblemJson');
  });

  it('answers 401 problem JSON without, with unknown, expired and revoked tokens', async () => {
    const account = sandbox.createAccount({ subdomain: 'auth1' });
    const handle = sandbox.account('auth1');
    const missing = await callAmo(account.baseUrl, 'GET', '/api/v4/contacts');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.json).toEqual({
      title: 'Unauthorized',
      type: 'https://httpstatus.es/401',
      status: 401,
      detail: expect.any(String),
    });
    expect((await callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: 'nope' })).status).toBe(401);

    const pair = handle.issueTokens();
    expect(
      (await callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: pair.accessToken })).status,
    ).toBe(200);
    handle.expireAccessTokens();
    expect(
      (await callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: pair.accessToken })).status,
    ).toBe(401);

    expect(
      (await callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: account.longLivedToken })).status,
    ).toBe(200);
    handle.revokeLongLivedToken();
    expect(
      (await callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: account.longLivedToken })).status,
    ).toBe(401);

    const other = sandbox.createAccount({ subdomain: 'auth2' });
    expect(
      (await callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: other.longLivedToken })).status,
    ).toBe(401);
  });

  it('lets access tokens die after a short configured lifetime', async () => {
    const account = sandbox.createAccount({ subdomain: 'shortttl', accessTokenTtlSec: 1 });
    const pair = sandbox.account('shortttl').issueTokens();
    expect(pair.expiresIn).toBe(1);
    expect(
      (await callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: pair.accessToken })).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(
      (await callAmo(account.baseUrl, 'GET', '/api/v4/account', { token: pair.accessToken })).status,
    ).toBe(401);
  });

  it('answers 404 problem JSON for an unknown subdomain', async () => {
    const result = await callAmo(sandbox.url, 'GET', '/nosuch/api/v4/account', { token: 'x' });
    expect(result.status).toBe(404);
    expect(result.headers.get('content-type')).toBe('application/problem+json');
    expect(result.json.status).toBe(404);
  });
});

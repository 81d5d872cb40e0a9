import { DEMO_ACCOUNT, startAmoSandbox, type AmoSandbox } from './amo-sandbox';
import { callAmo, type LooseJson } from './sandbox-test-kit';

describe('amoCRM sandbox: control API', () => {
  let sandbox: AmoSandbox;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000, seedDemo: true });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const control = (method: string, path: string, body?: unknown) =>
    callAmo(sandbox.url, method, `/__sandbox${path}`, { body });

  it('has the seeded demo account with fixed credentials', async () => {
    const demo = (await control('GET', '/accounts/demo')).json;
    expect(demo).toMatchObject({
      subdomain: 'demo',
      clientId: DEMO_ACCOUNT.clientId,
      clientSecret: DEMO_ACCOUNT.clientSecret,
      longLivedToken: DEMO_ACCOUNT.longLivedToken,
      baseUrl: `${sandbox.url}/demo`,
      blocked: false,
      paymentRequired: false,
    });
    expect(demo.counts.contacts).toBeGreaterThanOrEqual(30);
    expect(demo.counts.leads).toBe(40);
    const leads = (await control('GET', '/accounts/demo/leads')).json;
    expect(new Set(leads.map((lead: LooseJson) => lead.status_id)).size).toBeGreaterThan(5);
    expect(leads.some((lead: LooseJson) => lead.status_id === 142 && lead.closed_at)).toBe(true);
  });

  it('creates an account, issues a code for the token endpoint and counts token calls', async () => {
    const created = await control('POST', '/accounts', { subdomain: 'ctl', name: 'ООО Тест', rps: 50 });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(Number),
      subdomain: 'ctl',
      name: 'ООО Тест',
      clientId: expect.any(String),
      clientSecret: expect.any(String),
      longLivedToken: expect.any(String),
      baseUrl: `${sandbox.url}/ctl`,
    });
    expect((await control('POST', '/accounts', { subdomain: 'ctl' })).status).toBe(409);

    const { code } = (
      await control('POST', '/accounts/ctl/authorization-code', { redirectUri: 'https://a.example/cb' })
    ).json;
    const token = await callAmo(sandbox.url, 'POST', '/ctl/oauth2/access_token', {
      body: {
        client_id: created.json.clientId,
        client_secret: created.json.clientSecret,
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://a.example/cb',
      },
    });
    expect(token.status).toBe(200);
    expect((await control('GET', '/accounts/ctl/token-calls')).json).toMatchObject({
      authorization_code: 1,
      refresh_token: 0,
    });

    expect((await control('POST', '/accounts/ctl/expire-tokens', {})).json.expired).toBe(1);
    const expired = await callAmo(created.json.baseUrl, 'GET', '/api/v4/account', {
      token: token.json.access_token,
    });
    expect(expired.status).toBe(401);
    await control('POST', '/accounts/ctl/revoke-tokens', {});
    const revoked = await callAmo(created.json.baseUrl, 'GET', '/api/v4/account', {
      token: created.json.longLivedToken,
    });
    expect(revoked.status).toBe(401);
    const { longLivedToken } = (await control('POST', '/accounts/ctl/long-lived-token', {})).json;
    expect(
      (await callAmo(created.json.baseUrl, 'GET', '/api/v4/account', { token: longLivedToken })).status,
    ).toBe(200);
  });

  it('logs requests and filters the log', async () => {
    const { baseUrl, longLivedToken } = sandbox.createAccount({ subdomain: 'logged' });
    await callAmo(baseUrl, 'GET', '/api/v4/contacts?query=abc', { token: longLivedToken });
    await callAmo(baseUrl, 'GET', '/api/v4/leads', { token: 'bad' });
    await callAmo(baseUrl, 'POST', '/api/v4/contacts', { token: longLivedToken, body: [{ name: 'Лог' }] });
    const all = (await control('GET', '/accounts/logged/requests')).json;
    expect(all.map((entry: LooseJson) => [entry.method, entry.path, entry.status])).toEqual([
      ['GET', '/api/v4/contacts?query=abc', 204],
      ['GET', '/api/v4/leads', 401],
      ['POST', '/api/v4/contacts', 200],
    ]);
    expect(all[0]).toEqual({
      method: 'GET',
      path: '/api/v4/contacts?query=abc',
      status: 204,
      at: expect.any(Number),
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      durationMs: expect.any(Number),
    });
    expect((await control('GET', '/accounts/logged/requests?status=401')).json).toHaveLength(1);
    expect(
      (await control('GET', '/accounts/logged/requests?method=POST&path=/api/v4/contacts')).json,
    ).toHaveLength(1);
    expect((await control('DELETE', '/accounts/logged/requests')).status).toBe(204);
    expect((await control('GET', '/accounts/logged/requests')).json).toEqual([]);
  });

  it('simulates manager work and can block, unblock and require payment', async () => {
    const { baseUrl, longLivedToken } = sandbox.createAccount({ subdomain: 'mgr' });
    const contact = await control('POST', '/accounts/mgr/manager/contacts', {
      name: 'Из интерфейса',
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79005554433' }] }],
    });
    expect(contact.status).toBe(201);
    expect(contact.json.created_by).toBe(sandbox.account('mgr').managerUserId);
    const lead = await control('POST', '/accounts/mgr/manager/leads', {
      name: 'Ручная',
      _embedded: { contacts: [{ id: contact.json.id }] },
    });
    const won = await control('POST', `/accounts/mgr/manager/leads/${lead.json.id}/status`, {
      status_id: 142,
    });
    expect(won.json).toMatchObject({ status_id: 142, closed_at: expect.any(Number) });
    const edited = await control('PATCH', `/accounts/mgr/manager/contacts/${contact.json.id}`, {
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79005554400' }] }],
    });
    expect(edited.json.custom_fields_values[0].values[0].value).toBe('+79005554400');
    const invalid = await control('PATCH', `/accounts/mgr/manager/contacts/${contact.json.id}`, {
      custom_fields_values: [{ field_code: 'NOPE', values: [{ value: 'x' }] }],
    });
    expect(invalid.status).toBe(400);
    expect((await control('DELETE', `/accounts/mgr/manager/contacts/${contact.json.id}`)).status).toBe(204);
    expect((await control('GET', '/accounts/mgr')).json.counts).toMatchObject({
      contacts: 0,
      deletedContacts: 1,
      leads: 1,
    });

    await control('POST', '/accounts/mgr/block', {});
    const blocked = await callAmo(baseUrl, 'GET', '/api/v4/leads', { token: longLivedToken });
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get('content-type')).toBe('text/html');
    await control('POST', '/accounts/mgr/unblock', {});
    await control('POST', '/accounts/mgr/payment-required', { enabled: true });
    expect((await callAmo(baseUrl, 'GET', '/api/v4/leads', { token: longLivedToken })).status).toBe(402);
    await control('POST', '/accounts/mgr/payment-required', { enabled: false });
    expect((await callAmo(baseUrl, 'GET', '/api/v4/leads', { token: longLivedToken })).status).toBe(200);
  });

  it('resets one account keeping its credentials, and everything back to the demo', async () => {
    const { baseUrl, longLivedToken, id } = sandbox.createAccount({ subdomain: 'resettable' });
    await callAmo(baseUrl, 'POST', '/api/v4/contacts', {
      token: longLivedToken,
      body: [{ name: 'Временный' }],
    });
    const reset = await control('POST', '/accounts/resettable/reset', {});
    expect(reset.json).toMatchObject({ id, longLivedToken });
    expect((await callAmo(baseUrl, 'GET', '/api/v4/contacts', { token: longLivedToken })).status).toBe(204);

    expect((await control('POST', '/reset', {})).status).toBe(200);
    const accounts = (await control('GET', '/accounts')).json;
    expect(accounts.map((account: LooseJson) => account.subdomain)).toEqual(['demo']);
    expect((await control('GET', '/accounts/resettable')).status).toBe(404);
    expect((await control('GET', '/nothing')).status).toBe(404);
  });
});

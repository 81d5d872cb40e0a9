import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import type { AmocrmAccountApi } from '../src/amocrm/client/amocrm-account-api';
import type { AmoContactInput } from '../src/amocrm/client/amocrm-api.types';
import { amocrmApi, connectLongLived, startAmocrmTestApp, thrown } from './support/amocrm';
import { loginAdmin, type LoggedIn } from './support/auth';
import { call } from './support/http';
import type { TestApp } from './support/test-app';

describe('amoCRM client: limits, failures, paging, batches, webhooks', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let api: AmocrmAccountApi;
  const status = async (user: LoggedIn = admin): Promise<any> =>
    (await call(`${t.url}/api/v1/connections/amocrm`, { token: user.token })).body;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    t = await startAmocrmTestApp(sandbox);
    admin = await loginAdmin(t.url);
    await connectLongLived(t, admin, sandbox.createAccount({ subdomain: 'client', rps: 1000 }));
    api = amocrmApi(t, admin.user.workspaceId);
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('answers an empty list (204) as no items', async () => {
    expect(await api.findContactsByQuery('no-such-contact-anywhere')).toEqual([]);
    const pages = [];
    for await (const page of api.listLeads({ query: 'nothing-matches-this' })) pages.push(page);
    expect(pages).toEqual([]);
    expect(await api.listWebhooks()).toEqual([]);
    const handle = sandbox.account('client');
    expect(handle.requests({ pathPrefix: '/api/v4/contacts?' }).map((entry) => entry.status)).toEqual([204]);
  });

  it('creates 120 contacts in 3 requests, matching ids back by request_id; pages through more than 250', async () => {
    const handle = sandbox.account('client');
    handle.clearRequests();
    const inputs = Array.from({ length: 120 }, (_, i) => ({
      name: `Пакетный контакт ${i}`,
      _embedded: { tags: [{ name: 'batch' }] },
    }));
    const created = await api.createContacts(inputs);
    expect(handle.requests({ method: 'POST', pathPrefix: '/api/v4/contacts' })).toHaveLength(3);
    expect(created).toHaveLength(120);
    created.forEach((result, index) => {
      expect(result.requestId).toBe(String(index));
      expect(handle.contact(result.id)?.name).toBe(`Пакетный контакт ${index}`);
    });
    const more = await api.createContacts(
      Array.from({ length: 140 }, (_, i) => ({ name: `Ещё ${i}`, request_id: `more-${i}` })),
    );
    expect(more[139]).toEqual({ requestId: 'more-139', id: expect.any(Number) });

    handle.clearRequests();
    const pages: number[] = [];
    for await (const page of api.listContacts()) pages.push(page.length);
    expect(pages).toEqual([250, 10]);
    const listed = handle.requests({ pathPrefix: '/api/v4/contacts' }).map((entry) => entry.path);
    expect(listed).toHaveLength(2);
    expect(listed[0]).toContain('limit=250');
    expect(listed[1]).toContain('page=2');

    const updated = await api.updateContacts([{ id: created[0].id, name: 'Переименован' }]);
    expect(updated).toEqual([{ requestId: '0', id: created[0].id, updatedAt: expect.any(Number) }]);
    expect((await api.getContact(created[0].id))?.name).toBe('Переименован');
    expect(await api.getContact(999_999_999)).toBeNull();
  });

  it('creates leads (plain and complex), links contacts and reads them back', async () => {
    const [contact] = await api.createContacts([{ name: 'Для сделки' }]);
    const [lead] = await api.createLeads([
      { name: 'Сделка', price: 1000, _embedded: { contacts: [{ id: contact.id }] } },
    ]);
    const complex = await api.createLeadsComplex(
      Array.from({ length: 60 }, (_, i) => ({
        name: `Комплекс ${i}`,
        _embedded: { contacts: [{ name: `Контакт ${i}` }] },
      })),
    );
    expect(complex).toHaveLength(60);
    expect(complex[59]).toEqual({
      requestId: '59',
      leadId: expect.any(Number),
      contactId: expect.any(Number),
      companyId: null,
      merged: false,
    });
    expect(sandbox.account('client').lead(complex[59].leadId)?.name).toBe('Комплекс 59');

    const [other] = await api.createContacts([{ name: 'Второй' }]);
    await api.linkLeadToContact(lead.id, other.id, { main: false });
    const read = await api.getLead(lead.id, { with: ['contacts'] });
    expect(read?._embedded?.contacts?.map((ref) => ref.id).sort()).toEqual([contact.id, other.id].sort());
    const updated = await api.updateLeads([{ id: lead.id, price: 2000 }]);
    expect(updated[0].id).toBe(lead.id);
    expect((await api.getLead(lead.id))?.price).toBe(2000);
    const pipelines = await api.listPipelines();
    expect(pipelines.find((pipeline) => pipeline.is_main)?._embedded.statuses.length).toBeGreaterThan(2);
    expect((await api.listCustomFields('contacts')).some((field) => field.code === 'PHONE')).toBe(true);
    expect((await api.listUsers()).length).toBeGreaterThan(0);
  });

  it('surfaces validation-errors with request ids and paths, never retried, keeping what earlier batches wrote', async () => {
    const handle = sandbox.account('client');
    handle.clearRequests();
    const inputs: AmoContactInput[] = Array.from({ length: 70 }, (_, i) => ({ name: `Проверка ${i}` }));
    inputs[65] = { name: 'Плохой', custom_fields_values: [{ field_id: 1, values: [{ value: 'x' }] }] };
    const error = await thrown(() => api.createContacts(inputs));
    expect(error.name).toBe('AmocrmValidationError');
    expect(error.issues).toEqual([
      expect.objectContaining({ requestId: '65', path: expect.stringContaining('custom_fields_values.0') }),
    ]);
    expect(error.completed).toHaveLength(50);
    expect(error.getStatus()).toBe(422);
    expect(error.getResponse()).toMatchObject({
      type: 'urn:problem-type:amocrm-validation-failed',
      errors: [expect.objectContaining({ field: expect.stringMatching(/^\[65\]\.custom_fields_values\.0/) })],
    });
    expect(handle.requests({ method: 'POST' }).map((entry) => entry.status)).toEqual([200, 400]);
  });

  it('retries 5xx and dropped connections, then succeeds', async () => {
    const handle = sandbox.account('client');
    handle.clearRequests();
    handle.injectFault({ kind: 503, count: 1 });
    handle.injectFault({ kind: 500, count: 1 });
    handle.injectFault({ kind: 'drop', count: 1 });
    expect((await api.getAccount()).subdomain).toBe('client');
    expect(handle.requests().map((entry) => entry.status)).toEqual([503, 500, 0, 200]);

    handle.clearRequests();
    handle.injectFault({ kind: 502, count: 10 });
    const error = await thrown(() => amocrmApi(t, admin.user.workspaceId, 'interactive').getAccount());
    expect(error.name).toBe('AmocrmUnavailableError');
    expect(error.getStatus()).toBe(503);
    expect(Number(error.headers['Retry-After'])).toBeGreaterThan(0);
    expect(handle.requests()).toHaveLength(4);
    handle.clearFaults();
    expect((await status()).lastError).toContain('502');
  });

  it('keeps one hook per destination: subscribe is idempotent, changed settings replace it, unsubscribe removes it', async () => {
    const destination = 'https://integration.example/webhooks/amocrm/secret-1';
    const first = await api.subscribeWebhook(destination, ['add_lead', 'status_lead']);
    expect(first.outcome).toBe('created');
    const again = await Promise.all([
      api.subscribeWebhook(destination, ['status_lead', 'add_lead']),
      api.subscribeWebhook(destination, ['add_lead', 'status_lead']),
    ]);
    expect(again.map((result) => result.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(sandbox.account('client').webhooks()).toHaveLength(1);
    const changed = await api.subscribeWebhook(destination, ['add_lead', 'status_lead', 'update_contact']);
    expect(changed.outcome).toBe('replaced');
    expect(
      sandbox
        .account('client')
        .webhooks()
        .map((hook) => hook.settings.sort()),
    ).toEqual([['add_lead', 'status_lead', 'update_contact']]);
    await api.subscribeWebhook('https://other.example/hook', ['add_contact']);
    expect((await api.listWebhooks(destination)).map((hook) => hook.destination)).toEqual([destination]);
    expect(await api.listWebhooks()).toHaveLength(2);
    await api.unsubscribeWebhook(destination);
    expect(await api.listWebhooks(destination)).toEqual([]);
    await api.unsubscribeWebhook('https://other.example/hook');
  });

  it('an HTML 403 block pauses the connection: no further call reaches amoCRM until an admin resumes', async () => {
    const handle = sandbox.account('client');
    handle.block();
    const error = await thrown(() => api.getAccount());
    expect(error.name).toBe('AmocrmPausedError');
    expect(error.reason).toBe('blocked');
    expect((await status()).status).toBe('paused');
    expect((await status()).pausedReason).toBe('blocked');

    handle.clearRequests();
    await Promise.all(Array.from({ length: 5 }, () => thrown(() => api.listPipelines())));
    await thrown(() => amocrmApi(t, admin.user.workspaceId, 'sync').createContacts([{ name: 'x' }]));
    const refused = await call(`${t.url}/api/v1/connections/amocrm/metadata/refresh`, {
      method: 'POST',
      token: admin.token,
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(refused.body).toMatchObject({ type: 'urn:problem-type:amocrm-paused', pausedReason: 'blocked' });
    expect(handle.requests()).toEqual([]);
    const audit = await call(`${t.url}/api/v1/audit?action=amocrm.paused`, { token: admin.token });
    expect(audit.body.total).toBe(1);

    const stillBlocked = await call(`${t.url}/api/v1/connections/amocrm/resume`, {
      method: 'POST',
      token: admin.token,
    });
    expect(stillBlocked.status).toBe(503);
    expect((await status()).status).toBe('paused');
    expect(handle.requests()).toHaveLength(1);

    handle.unblock();
    const resumed = await call(`${t.url}/api/v1/connections/amocrm/resume`, {
      method: 'POST',
      token: admin.token,
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'connected', pausedReason: null });
    expect((await api.getAccount()).subdomain).toBe('client');
    expect(
      (await call(`${t.url}/api/v1/audit?action=amocrm.resumed`, { token: admin.token })).body.total,
    ).toBe(2);
  });

  it('402 pauses likewise until the subscription is renewed and an admin resumes', async () => {
    const handle = sandbox.account('client');
    handle.setPaymentRequired(true);
    const error = await thrown(() => amocrmApi(t, admin.user.workspaceId, 'sync').listUsers());
    expect(error).toMatchObject({ name: 'AmocrmPausedError', reason: 'payment_required' });
    expect(await status()).toMatchObject({ status: 'paused', pausedReason: 'payment_required' });
    handle.clearRequests();
    await thrown(() => api.getAccount());
    expect(handle.requests()).toEqual([]);
    handle.setPaymentRequired(false);
    expect(
      (await call(`${t.url}/api/v1/connections/amocrm/resume`, { method: 'POST', token: admin.token })).body
        .status,
    ).toBe('connected');
    expect((await api.getAccount()).subdomain).toBe('client');
  });
});

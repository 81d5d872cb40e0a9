import { startAmoSandbox, type AmoSandbox } from './amo-sandbox';
import {
  callAmo,
  startWebhookReceiver,
  type AmoCallResult,
  type LooseJson,
  type WebhookReceiver,
} from './sandbox-test-kit';

describe('amoCRM sandbox: webhook subscriptions and outgoing webhooks', () => {
  let sandbox: AmoSandbox;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    receiver = await startWebhookReceiver();
  });

  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  beforeEach(() => {
    receiver.received.length = 0;
    receiver.respondWith(200);
  });

  function client(subdomain: string) {
    const account = sandbox.createAccount({ subdomain });
    const api = (method: string, path: string, body?: unknown): Promise<AmoCallResult> =>
      callAmo(account.baseUrl, method, path, { token: account.longLivedToken, body });
    return { account, api, handle: sandbox.account(subdomain) };
  }

  it('creates a second hook when the same destination is subscribed twice, and deletes both', async () => {
    const { account, api } = client('hooks1');
    expect((await api('GET', '/api/v4/webhooks')).status).toBe(204);
    const destination = 'https://integration.example/webhooks/amocrm/s3cret';
    const first = await api('POST', '/api/v4/webhooks', {
      destination,
      settings: ['add_lead', 'status_lead'],
    });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      id: expect.any(Number),
      destination,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
      account_id: account.id,
      created_by: expect.any(Number),
      sort: 1,
      disabled: false,
      settings: ['add_lead', 'status_lead'],
    });
    const second = await api('POST', '/api/v4/webhooks', { destination, settings: ['add_lead'] });
    expect(second.json.id).not.toBe(first.json.id);
    await api('POST', '/api/v4/webhooks', {
      destination: 'https://other.example/h',
      settings: ['add_contact'],
    });

    const filtered = await api(
      'GET',
      `/api/v4/webhooks?filter[destination]=${encodeURIComponent(destination)}`,
    );
    expect(filtered.json._embedded.webhooks).toHaveLength(2);

    const invalid = await api('POST', '/api/v4/webhooks', {
      destination,
      settings: ['add_lead', 'sing_song'],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json['validation-errors'][0].errors[0].path).toBe('settings.1');

    expect((await api('DELETE', '/api/v4/webhooks', { destination })).status).toBe(204);
    expect(
      (await api('GET', `/api/v4/webhooks?filter[destination]=${encodeURIComponent(destination)}`)).status,
    ).toBe(204);
    expect((await api('GET', '/api/v4/webhooks')).json._embedded.webhooks).toHaveLength(1);
  });

  it('sends a status change as leads[status] and, separately, leads[update] in the legacy form', async () => {
    const { account, api, handle } = client('hooks2');
    await api('POST', '/api/v4/webhooks', {
      destination: `${receiver.url}/amo`,
      settings: ['status_lead', 'update_lead'],
    });
    const fields = handle.leadFields();
    const select = fields.find((field) => field.type === 'select');
    const date = fields.find((field) => field.type === 'date');
    const created = await api('POST', '/api/v4/leads', [
      {
        name: 'Сделка для вебхука',
        price: 15000,
        custom_fields_values: [
          { field_id: select?.id, values: [{ enum_id: select?.enums?.[1].id }] },
          { field_id: date?.id, values: [{ value: 1542067200 }] },
        ],
        _embedded: { tags: [{ name: 'сайт' }] },
      },
    ]);
    const leadId = created.json._embedded.leads[0].id;
    const before = handle.lead(leadId);
    const nextStage = handle
      .pipelines()[0]
      .statuses.find((status) => status.type === 0 && status.id !== before?.status_id);

    await api('PATCH', `/api/v4/leads/${leadId}`, { status_id: nextStage?.id });
    const [statusHook, updateHook] = await receiver.waitFor(2);

    expect(statusHook.path).toBe('/amo');
    expect(statusHook.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(statusHook.headers['user-agent']).toBe('amoCRM-WebHook-client/1.0');
    expect(statusHook.body).toContain('leads%5Bstatus%5D%5B0%5D%5Bid%5D=');
    const after = handle.lead(leadId);
    const tagId = String(after?._embedded.tags[0].id);
    expect(statusHook.pairs).toEqual([
      ['leads[status][0][id]', String(leadId)],
      ['leads[status][0][name]', 'Сделка для вебхука'],
      ['leads[status][0][status_id]', String(nextStage?.id)],
      ['leads[status][0][old_status_id]', String(before?.status_id)],
      ['leads[status][0][price]', '15000'],
      ['leads[status][0][responsible_user_id]', String(handle.currentUserId)],
      ['leads[status][0][last_modified]', String(after?.updated_at)],
      ['leads[status][0][modified_user_id]', String(handle.currentUserId)],
      ['leads[status][0][created_user_id]', String(handle.currentUserId)],
      ['leads[status][0][date_create]', String(after?.created_at)],
      ['leads[status][0][pipeline_id]', String(after?.pipeline_id)],
      ['leads[status][0][old_pipeline_id]', String(before?.pipeline_id)],
      ['leads[status][0][account_id]', String(account.id)],
      ['leads[status][0][tags][0][id]', tagId],
      ['leads[status][0][tags][0][name]', 'сайт'],
      ['leads[status][0][custom_fields][0][id]', String(select?.id)],
      ['leads[status][0][custom_fields][0][name]', String(select?.name)],
      ['leads[status][0][custom_fields][0][values][0][value]', String(select?.enums?.[1].value)],
      ['leads[status][0][custom_fields][0][values][0][enum]', String(select?.enums?.[1].id)],
      ['leads[status][0][custom_fields][1][id]', String(date?.id)],
      ['leads[status][0][custom_fields][1][name]', String(date?.name)],
      ['leads[status][0][custom_fields][1][values][0]', '1542067200'],
      ['leads[status][0][created_at]', String(after?.created_at)],
      ['leads[status][0][updated_at]', String(after?.updated_at)],
      ['account[subdomain]', 'hooks2'],
      ['account[id]', String(account.id)],
      ['account[_links][self]', account.baseUrl],
    ]);
    expect(updateHook.fields['leads[update][0][id]']).toBe(String(leadId));
    expect(updateHook.fields['leads[update][0][status_id]']).toBe(String(nextStage?.id));
    expect(updateHook.fields['leads[update][0][old_status_id]']).toBeUndefined();
    expect(Object.keys(updateHook.fields).some((key) => key.startsWith('leads[status]'))).toBe(false);

    await handle.whenDeliveriesIdle();
    expect(
      handle.deliveries().map((delivery) => [delivery.event, delivery.state, delivery.statusCode]),
    ).toEqual([
      ['status_lead', 'delivered', 200],
      ['update_lead', 'delivered', 200],
    ]);
  });

  it('sends contacts with phone/email custom fields, linked leads and several entities in one body', async () => {
    const { api, handle } = client('hooks3');
    await api('POST', '/api/v4/webhooks', {
      destination: `${receiver.url}/c`,
      settings: ['add_contact', 'add_lead'],
    });
    const phone = handle.contactFields().find((field) => field.code === 'PHONE');
    const mob = phone?.enums?.find((option) => option.code === 'MOB');

    await api('POST', '/api/v4/contacts', [
      {
        name: 'Иван Петров',
        first_name: 'Иван',
        last_name: 'Петров',
        custom_fields_values: [
          { field_code: 'PHONE', values: [{ value: '+79161234567', enum_code: 'MOB' }] },
          { field_code: 'EMAIL', values: [{ value: 'ivan@example.ru' }] },
        ],
      },
      { name: 'Мария' },
    ]);
    const [batch] = await receiver.waitFor(1);
    const f = batch.fields;
    expect(f['contacts[add][0][name]']).toBe('Иван Петров');
    expect(f['contacts[add][0][custom_fields][0][id]']).toBe(String(phone?.id));
    expect(f['contacts[add][0][custom_fields][0][name]']).toBe('Телефон');
    expect(f['contacts[add][0][custom_fields][0][code]']).toBe('PHONE');
    expect(f['contacts[add][0][custom_fields][0][values][0][value]']).toBe('+79161234567');
    expect(f['contacts[add][0][custom_fields][0][values][0][enum]']).toBe(String(mob?.id));
    expect(f['contacts[add][0][custom_fields][1][code]']).toBe('EMAIL');
    expect(f['contacts[add][0][type]']).toBe('contact');
    expect(f['contacts[add][0][date_create]']).toEqual(expect.stringMatching(/^\d+$/));
    expect(f['contacts[add][1][name]']).toBe('Мария');
    expect(f['account[subdomain]']).toBe('hooks3');

    const complex = await api('POST', '/api/v4/leads/complex', [
      { name: 'С контактом', _embedded: { contacts: [{ name: 'Новый' }] } },
    ]);
    const [{ id: leadId, contact_id: contactId }] = complex.json;
    const [, contactHook, leadHook] = await receiver.waitFor(3);
    expect(contactHook.fields['contacts[add][0][id]']).toBe(String(contactId));
    expect(contactHook.fields[`contacts[add][0][linked_leads_id][${leadId}][ID]`]).toBe(String(leadId));
    expect(leadHook.fields['leads[add][0][id]']).toBe(String(leadId));
  });

  it('sends changes a simulated manager makes, including responsible changes and deletes', async () => {
    const { api, handle } = client('hooks4');
    await api('POST', '/api/v4/webhooks', {
      destination: `${receiver.url}/m`,
      settings: ['add_lead', 'responsible_lead', 'delete_lead', 'restore_lead', 'update_contact'],
    });
    const lead = handle.manager.createLead({ name: 'Из интерфейса' });
    const [added] = await receiver.waitFor(1);
    expect(added.fields['leads[add][0][created_user_id]']).toBe(String(handle.managerUserId));

    const third = handle.users().find((user) => user.id !== handle.managerUserId && !user.isAdmin);
    const moved = await callAmo(
      sandbox.url,
      'POST',
      `/__sandbox/accounts/hooks4/manager/leads/${lead.id}/responsible`,
      {
        body: { responsible_user_id: third?.id },
      },
    );
    expect(moved.status).toBe(200);
    const [, responsible] = await receiver.waitFor(2);
    expect(responsible.fields['leads[responsible][0][responsible_user_id]']).toBe(String(third?.id));
    expect(responsible.fields['leads[responsible][0][old_responsible_user_id]']).toBe(
      String(handle.managerUserId),
    );

    handle.manager.deleteLead(lead.id);
    const [, , deleted] = await receiver.waitFor(3);
    expect(deleted.pairs.filter(([key]) => key.startsWith('leads'))).toEqual([
      ['leads[delete][0][id]', String(lead.id)],
      ['leads[delete][0][status_id]', String(lead.status_id)],
      ['leads[delete][0][pipeline_id]', String(lead.pipeline_id)],
    ]);
    expect((await api('GET', `/api/v4/leads/${lead.id}`)).status).toBe(404);
    expect(() => handle.manager.deleteLead(lead.id)).toThrow(`Lead ${lead.id} not found`);
    handle.manager.restoreLead(lead.id);
    const [, , , restored] = await receiver.waitFor(4);
    expect(restored.fields['leads[restore][0][id]']).toBe(String(lead.id));
    expect((await api('GET', `/api/v4/leads/${lead.id}`)).status).toBe(200);
    expect(() => handle.manager.restoreLead(lead.id)).toThrow(`Deleted lead ${lead.id} not found`);
  });

  it('records failed deliveries without retrying and re-sends on request', async () => {
    const { api, handle } = client('hooks5');
    await api('POST', '/api/v4/webhooks', { destination: `${receiver.url}/f`, settings: ['add_contact'] });
    await api('POST', '/api/v4/webhooks', {
      destination: 'http://127.0.0.1:1/unreachable',
      settings: ['add_contact'],
    });
    receiver.respondWith(500);
    await api('POST', '/api/v4/contacts', [{ name: 'Ошибка доставки' }]);
    await handle.whenDeliveriesIdle();
    const deliveries = handle.deliveries();
    expect(deliveries.map((delivery) => [delivery.destination, delivery.state, delivery.statusCode])).toEqual(
      [
        [`${receiver.url}/f`, 'failed', 500],
        ['http://127.0.0.1:1/unreachable', 'failed', null],
      ],
    );
    expect(deliveries[1].error).toEqual(expect.any(String));
    expect(deliveries[0].body).toContain('contacts%5Badd%5D%5B0%5D%5Bname%5D=');

    receiver.respondWith(200);
    const resent = await callAmo(
      sandbox.url,
      'POST',
      `/__sandbox/accounts/hooks5/deliveries/${deliveries[0].id}/resend`,
      {
        body: {},
      },
    );
    expect(resent.status).toBe(200);
    await handle.whenDeliveriesIdle();
    const listed = await callAmo(
      sandbox.url,
      'GET',
      `/__sandbox/accounts/hooks5/deliveries?destination=${encodeURIComponent(`${receiver.url}/f`)}`,
    );
    expect(listed.json.map((delivery: LooseJson) => [delivery.state, delivery.resendOf])).toEqual([
      ['failed', null],
      ['delivered', deliveries[0].id],
    ]);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].body).toBe(receiver.received[0].body);
  });
});

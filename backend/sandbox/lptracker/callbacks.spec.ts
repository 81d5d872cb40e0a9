import { startWebhookReceiver, type LooseJson, type WebhookReceiver } from '../amocrm/sandbox-test-kit';
import { startLpTrackerSandbox, type LpTrackerSandbox } from './lp-sandbox';
import { callLp, lpClient } from './lp-test-kit';

describe('LPTracker sandbox: callback URLs and outgoing webhooks', () => {
  let sandbox: LpTrackerSandbox;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    sandbox = await startLpTrackerSandbox({ rps: 0, settings: { webhookRetryDelaysMs: [10] } });
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

  async function setUp(key: string) {
    const account = sandbox.createAccount({ key, seed: true });
    const handle = sandbox.account(key);
    const project = handle.firstProject;
    const { api } = await lpClient(sandbox.url, account);
    return { account, handle, project, api };
  }

  /** The lead JSON a webhook carried (form field `data`). */
  const dataOf = (index: number): LooseJson => JSON.parse(receiver.received[index].fields.data);

  it('keeps one callback per name (the caller’s service by default); an empty url removes only that one', async () => {
    const { account, project, api } = await setUp('cb1');
    const other = await lpClient(sandbox.url, account, 'Битрикс24');
    const path = `/project/${project.id}/callback-url`;
    expect((await api('GET', path)).json).toEqual({ status: 'success', result: [] });

    await api('PUT', path, { url: 'https://ours.example/webhooks/lptracker/s1' });
    await other.api('PUT', path, { url: 'https://bitrix.example/hook' });
    await api('PUT', path, { url: 'https://ours.example/webhooks/lptracker/s2' });
    const named = await api('PUT', path, { url: 'https://manual.example/h', name: 'Ручной' });
    expect(named.json.result).toEqual([
      {
        id: expect.any(Number),
        name: 'Интеграция amoCRM',
        url: 'https://ours.example/webhooks/lptracker/s2',
      },
      { id: expect.any(Number), name: 'Битрикс24', url: 'https://bitrix.example/hook' },
      { id: expect.any(Number), name: 'Ручной', url: 'https://manual.example/h' },
    ]);

    const removed = await api('PUT', path, { url: '' });
    expect(removed.json.result.map((callback: LooseJson) => callback.name)).toEqual(['Битрикс24', 'Ручной']);
    await api('PUT', path, { url: '', name: 'Ручной' });
    expect((await other.api('GET', path)).json.result).toEqual([
      { id: expect.any(Number), name: 'Битрикс24', url: 'https://bitrix.example/hook' },
    ]);
    const invalid = await api('PUT', path, { url: 'ftp://nope' });
    expect(invalid.status).toBe(200);
    expect(invalid.json.errors[0].code).toBe(400);
  });

  it('posts each lead change to every callback URL as form field data, phones under contact.contacts[]', async () => {
    const { handle, project, api } = await setUp('cb2');
    await api('PUT', `/project/${project.id}/callback-url`, { url: `${receiver.url}/ours` });
    await api('PUT', `/project/${project.id}/callback-url`, {
      url: `${receiver.url}/theirs`,
      name: 'Другой',
    });
    const before = Date.now();
    const { result: lead } = (
      await api('POST', '/lead', {
        contact: {
          project_id: project.id,
          name: 'Вебхук Тестов',
          details: [
            { type: 'phone', data: '+7 916 555-44-33' },
            { type: 'email', data: 'hook@example.ru' },
          ],
        },
        name: 'Лид для вебхука',
        custom: { [project.customs[0].id]: '90000' },
        view: { source: 'yandex' },
        callback: false,
      })
    ).json;
    const [ours, theirs] = await receiver.waitFor(2);
    expect([ours.path, theirs.path].sort()).toEqual(['/ours', '/theirs']);
    expect(ours.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(ours.pairs.map(([key]) => key)).toEqual(['data']);
    const created = dataOf(0);
    expect(created).toMatchObject({
      id: lead.id,
      contact_id: lead.contact_id,
      project_id: project.id,
      name: 'Лид для вебхука',
      stage_id: project.stages[0].id,
      stage: { id: project.stages[0].id, name: 'Новый' },
      custom: [{ id: project.customs[0].id, name: 'Бюджет', type: 'text', value: '90000' }],
      view: { source: 'yandex' },
      contact: {
        id: lead.contact_id,
        name: 'Вебхук Тестов',
        project_id: project.id,
        contacts: [
          { id: expect.any(Number), type: 'phone', data: '+7 916 555-44-33' },
          { id: expect.any(Number), type: 'email', data: 'hook@example.ru' },
        ],
      },
      author: { id: null, name: 'Интеграция amoCRM' },
      action: 'create',
      action_update_fields: [],
    });
    expect(created.contact.details).toBeUndefined();
    expect(created.action_timestamp).toBeGreaterThanOrEqual(before);
    expect(created.action_timestamp).toBeLessThanOrEqual(Date.now());

    await api('PUT', `/lead/${lead.id}/funnel`, { funnel: project.stages[1].id });
    await receiver.waitFor(4);
    expect(dataOf(2)).toMatchObject({
      action: 'update',
      action_update_fields: ['stage', 'stage_id'],
      stage: { id: project.stages[1].id, name: 'В работе' },
    });

    // A manager moves the lead by hand (control API): the webhook names the staff member.
    const manager = handle.staff()[1];
    const moved = await callLp(
      sandbox.url,
      'POST',
      `/__sandbox/accounts/cb2/manager/leads/${lead.id}/stage?staffId=${manager.id}`,
      { body: { stage_id: project.stages[2].id } },
    );
    expect(moved.status).toBe(200);
    await receiver.waitFor(6);
    expect(dataOf(4)).toMatchObject({
      action: 'update',
      stage_id: project.stages[2].id,
      author: { id: manager.id, name: manager.name },
    });

    // An update that changes nothing sends nothing; a delete sends action "delete".
    await api('PUT', `/lead/${lead.id}`, { name: 'Лид для вебхука' });
    await api('DELETE', `/lead/${lead.id}`);
    await receiver.waitFor(8);
    expect(dataOf(6)).toMatchObject({ id: lead.id, action: 'delete' });
    await handle.whenDeliveriesIdle();
    expect(receiver.received).toHaveLength(8);
    expect(
      handle.deliveries().every((delivery) => delivery.state === 'delivered' && delivery.attempts === 1),
    ).toBe(true);
  });

  it('sends action_update_fields as one string, or the raw JSON body, when the account says so', async () => {
    const { handle, project, api } = await setUp('cb3');
    await api('PUT', `/project/${project.id}/callback-url`, { url: `${receiver.url}/x` });
    const lead = handle.manager.createLead({
      contact: { project_id: project.id, name: 'Строка', details: [{ type: 'phone', data: '+79001112233' }] },
    });
    await receiver.waitFor(1);

    await callLp(sandbox.url, 'PATCH', '/__sandbox/accounts/cb3/settings', {
      body: { updateFieldsAsString: true, webhookBody: 'json' },
    });
    const budget = project.customs[0].id;
    handle.manager.updateLead(Number(lead.id), { name: 'Строка 2', custom: { [budget]: '5' } });
    const [, raw] = await receiver.waitFor(2);
    expect(raw.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(raw.body);
    expect(payload.action_update_fields).toBe(`name,custom.${budget}`);
    expect(payload.contact.contacts[0].data).toBe('+79001112233');

    await callLp(sandbox.url, 'PATCH', '/__sandbox/accounts/cb3/settings', { body: { webhookBody: 'both' } });
    handle.manager.moveLead(Number(lead.id), project.stages[3].id);
    const [, , first, second] = await receiver.waitFor(4);
    expect([first.headers['content-type'], second.headers['content-type']].sort()).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ]);
  });

  it('publishes a finished call as a lead update with every call in calls_records (or none when the account says so)', async () => {
    const { handle, project, api } = await setUp('cb-calls');
    await api('PUT', `/project/${project.id}/callback-url`, { url: `${receiver.url}/ours` });
    const lead = handle.manager.createLead({
      name: 'Лид со звонками',
      contact: { project_id: project.id, name: 'Звонок', details: [{ type: 'phone', data: '+79165550001' }] },
    });
    await receiver.waitFor(1);
    const first = handle.manager.finishCall(Number(lead.id), { duration: 0, disposition: 'NO ANSWER' });
    await receiver.waitFor(2);
    expect(dataOf(1)).toMatchObject({
      id: lead.id,
      action: 'update',
      action_update_fields: ['calls'],
      calls_records: [{ id: first.id, duration: 0, type: 'out', disposition: 'NO ANSWER', record: null }],
    });
    handle.setSettings({ callsInWebhook: false });
    handle.manager.finishCall(Number(lead.id), { duration: 42, disposition: 'ANSWERED', type: 'in' });
    await receiver.waitFor(3);
    expect(dataOf(2)).toMatchObject({ action: 'update', action_update_fields: ['calls'] });
    expect(dataOf(2).calls_records).toBeUndefined();
    const listed = await api('GET', `/lead/${String(lead.id)}/calls`);
    expect(listed.json.result.map((call: LooseJson) => call.disposition)).toEqual(['NO ANSWER', 'ANSWERED']);
  });

  it('retries a failed delivery, then gives up and records it as failed', async () => {
    const { handle, project, api } = await setUp('cb4');
    await api('PUT', `/project/${project.id}/callback-url`, { url: `${receiver.url}/down` });
    receiver.respondWith(500);
    handle.manager.createLead({
      contact: { project_id: project.id, name: 'Ретрай', details: [{ type: 'phone', data: '+79005550000' }] },
    });
    await receiver.waitFor(3);
    await handle.whenDeliveriesIdle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((hook) => hook.body)).size).toBe(1);
    expect(handle.deliveries()).toEqual([
      expect.objectContaining({ state: 'failed', attempts: 3, statusCode: 500, url: `${receiver.url}/down` }),
    ]);
  });
});

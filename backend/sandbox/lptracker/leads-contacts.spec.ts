import type { LooseJson } from '../amocrm/sandbox-test-kit';
import { startLpTrackerSandbox, type LpTrackerSandbox } from './lp-sandbox';
import { callLp, lpClient, type LpCallResult } from './lp-test-kit';

describe('LPTracker sandbox: metadata, leads and contacts', () => {
  let sandbox: LpTrackerSandbox;
  let api: (method: string, path: string, body?: unknown) => Promise<LpCallResult>;
  let projectId: number;
  let stages: LooseJson[];
  let customs: LooseJson[];
  let staff: LooseJson[];

  beforeAll(async () => {
    sandbox = await startLpTrackerSandbox({ rps: 0 });
    const account = sandbox.createAccount({ key: 'crm', seed: true });
    ({ api } = await lpClient(sandbox.url, account));
    projectId = sandbox.account('crm').firstProject.id;
    stages = (await api('GET', `/project/${projectId}/funnel`)).json.result;
    customs = (await api('GET', `/project/${projectId}/customs`)).json.result;
    staff = (await api('GET', '/staff')).json.result;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const custom = (name: string): LooseJson => customs.find((field) => field.name === name);

  it('lists the project, its custom fields, contact fields, funnel and staff', async () => {
    expect((await api('GET', `/project/${projectId}`)).json.result).toMatchObject({
      id: projectId,
      name: 'Сайт',
    });
    expect(customs).toEqual([
      { id: expect.any(Number), type: 'text', name: 'Бюджет', value: null },
      { id: expect.any(Number), type: 'cats', name: 'Город', value: ['Москва', 'Санкт-Петербург', 'Казань'] },
      { id: expect.any(Number), type: 'map', name: 'Адрес', value: null },
    ]);
    expect((await api('GET', `/project/${projectId}/fields`)).json.result).toEqual([
      { id: expect.any(Number), name: 'Компания', type: 'text' },
    ]);
    expect(stages.map((stage) => stage.name)).toEqual(['Новый', 'В работе', 'Продажа', 'Отказ']);
    expect(stages[0]).toEqual({
      id: expect.any(Number),
      name: 'Новый',
      notify: false,
      in_leads: true,
      in_deals: false,
    });
    expect(staff.map((member) => member.name)).toEqual(['Анна Соколова', 'Олег Морозов']);
    expect((await api('GET', '/project/999')).json.errors[0].code).toBe(404);
  });

  it('creates a lead with an inline contact and answers it with contact.details, custom list and dates', async () => {
    const created = await api('POST', '/lead', {
      contact: {
        project_id: projectId,
        name: 'Пётр Сидоров',
        details: [
          { type: 'phone', data: '+7 (916) 000-11-22' },
          { type: 'email', data: 'Petr@Example.ru' },
        ],
      },
      name: 'Заявка: окна',
      funnel: stages[1].id,
      owner: staff[1].id,
      callback: false,
      lead_date: '05.12.2026 14:30',
      view: { source: 'yandex', campaign: 'зима', keyword: 'окна' },
      custom: { [custom('Бюджет').id]: 120000, [custom('Город').id]: 'Казань' },
    });
    expect(created.status).toBe(200);
    const lead = created.json.result;
    expect(lead).toMatchObject({
      id: expect.any(Number),
      contact_id: lead.contact.id,
      project_id: projectId,
      name: 'Заявка: окна',
      stage_id: stages[1].id,
      owner_id: staff[1].id,
      lead_date: '05.12.2026 14:30',
      created_at: expect.stringMatching(/^\d{2}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}$/),
      updated_at: expect.any(Number),
      view: { id: expect.any(Number), source: 'yandex', campaign: 'зима', keyword: 'окна' },
      custom: [
        { id: custom('Бюджет').id, name: 'Бюджет', type: 'text', value: '120000' },
        { id: custom('Город').id, name: 'Город', type: 'cats', value: ['Казань'] },
      ],
      contact: {
        project_id: projectId,
        name: 'Пётр Сидоров',
        details: [
          { id: expect.any(Number), type: 'phone', data: '+7 (916) 000-11-22' },
          { id: expect.any(Number), type: 'email', data: 'Petr@Example.ru' },
        ],
      },
    });
    expect((await api('GET', `/lead/${lead.id}`)).json.result).toEqual(lead);
    expect(
      (await api('GET', `/contact/${lead.contact_id}/leads`)).json.result.map((l: LooseJson) => l.id),
    ).toEqual([lead.id]);

    const second = await api('POST', '/lead', {
      contact_id: lead.contact_id,
      name: 'Повторная',
      callback: false,
    });
    expect(second.json.result).toMatchObject({
      contact_id: lead.contact_id,
      stage_id: stages[0].id,
      custom: [],
    });
  });

  it('refuses bad lead input with error 400 inside HTTP 200 and stores nothing', async () => {
    const before = sandbox.account('crm').leads().length;
    const contactsBefore = sandbox.account('crm').contacts().length;
    const cases: unknown[] = [
      { name: 'без контакта' },
      { contact: { project_id: projectId, name: 'x', details: [{ type: 'phone', data: '1' }] }, funnel: 1 },
      {
        contact: { project_id: projectId, name: 'x', details: [{ type: 'phone', data: '1' }] },
        custom: { 1: 'a' },
      },
      {
        contact: { project_id: projectId, name: 'x', details: [{ type: 'phone', data: '1' }] },
        custom: { [custom('Город').id]: 'Тверь' },
      },
      { contact: { project_id: projectId, name: 'x', details: [] } },
      {
        contact: { project_id: projectId, name: 'x', details: [{ type: 'phone', data: '1' }] },
        lead_date: '2026-12-05',
      },
    ];
    for (const body of cases) {
      const answer = await api('POST', '/lead', body);
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ status: 'error', errors: [{ code: 400, message: expect.any(String) }] });
    }
    expect((await api('POST', '/lead', { contact_id: 1, callback: false })).json.errors[0].code).toBe(404);
    expect(sandbox.account('crm').leads()).toHaveLength(before);
    expect(sandbox.account('crm').contacts()).toHaveLength(contactsBefore);
  });

  it('updates a lead, its stage and one custom field, adds a comment and deletes it', async () => {
    const { result: lead } = (
      await api('POST', '/lead', {
        contact: { project_id: projectId, name: 'Ольга', details: [{ type: 'phone', data: '89035550000' }] },
        callback: false,
      })
    ).json;
    const updated = await api('PUT', `/lead/${lead.id}`, { name: 'Ольга: кухня', owner: staff[0].id });
    expect(updated.json.result).toMatchObject({ name: 'Ольга: кухня', owner_id: staff[0].id });
    const moved = await api('PUT', `/lead/${lead.id}/funnel`, { funnel: stages[2].id });
    expect(moved.json.result.stage_id).toBe(stages[2].id);
    const field = await api('PUT', `/lead/${lead.id}/custom/${custom('Адрес').id}`, {
      value: 'Москва, Тверская, 1',
    });
    expect(field.json.result).toEqual({
      id: custom('Адрес').id,
      name: 'Адрес',
      type: 'map',
      value: 'Москва, Тверская, 1',
    });
    const comment = await api('POST', `/lead/${lead.id}/comment`, { text: 'Перезвонить вечером' });
    expect(comment.json.result).toEqual({
      id: expect.any(Number),
      text: 'Перезвонить вечером',
      created_at: expect.any(String),
    });
    expect((await api('GET', `/lead/${lead.id}/calls`)).json).toEqual({ status: 'success', result: [] });

    expect((await api('DELETE', `/lead/${lead.id}`)).json).toEqual({
      status: 'success',
      result: { id: lead.id },
    });
    expect((await api('GET', `/lead/${lead.id}`)).json.errors[0].code).toBe(404);
  });

  it('pages leads of a project and filters by updated_at_from (unix seconds)', async () => {
    const all = (await api('GET', `/lead/${projectId}/list?offset=0&limit=100`)).json.result;
    expect(all.length).toBeGreaterThanOrEqual(5);
    const ids = all.map((lead: LooseJson) => lead.id);
    expect(
      (await api('GET', `/lead/${projectId}/list?offset=1&limit=2`)).json.result.map((l: LooseJson) => l.id),
    ).toEqual(ids.slice(1, 3));
    const future = Math.floor(Date.now() / 1000) + 3600;
    expect(
      (await api('GET', `/lead/${projectId}/list?filter[updated_at_from]=${future}`)).json.result,
    ).toEqual([]);
    expect((await api('GET', `/lead/${projectId}/list?limit=abc`)).json.errors[0].code).toBe(400);
  });

  it('finds contacts by phone in any format or by e-mail in any case; neither answers error 400', async () => {
    const { result: contact } = (
      await api('POST', '/contact', {
        project_id: projectId,
        name: 'Галина',
        details: [
          { type: 'phone', data: '+7 (999) 123-45-67' },
          { type: 'email', data: 'galina@mail.ru' },
        ],
        fields: { [sandbox.account('crm').firstProject.fields[0].id]: 'ООО Вектор' },
      })
    ).json;
    expect(contact.fields).toEqual([
      { id: expect.any(Number), name: 'Компания', type: 'text', value: 'ООО Вектор' },
    ]);
    const byPhone = await api('GET', `/contact/search?project_id=${projectId}&phone=89991234567`);
    expect(byPhone.json.result.map((c: LooseJson) => c.id)).toEqual([contact.id]);
    const byEmail = await api('GET', `/contact/search?project_id=${projectId}&email=GALINA@MAIL.RU`);
    expect(byEmail.json.result.map((c: LooseJson) => c.id)).toEqual([contact.id]);
    expect(
      (await api('GET', `/contact/search?project_id=${projectId}&phone=70000000000`)).json.result,
    ).toEqual([]);

    const neither = await api('GET', `/contact/search?project_id=${projectId}`);
    expect(neither.status).toBe(200);
    expect(neither.json).toEqual({
      status: 'error',
      errors: [{ code: 400, message: 'phone or email is required' }],
    });

    const renamed = await api('PUT', `/contact/${contact.id}`, { name: 'Галина Петровна' });
    expect(renamed.json.result).toMatchObject({
      id: contact.id,
      name: 'Галина Петровна',
      details: contact.details,
    });
    expect((await api('GET', `/contact/${contact.id}`)).json.result.name).toBe('Галина Петровна');
  });

  it('counts the phone calls placed by callback: true, and none for callback: false', async () => {
    const handle = sandbox.account('crm');
    const before = handle.callbackCalls().length;
    await api('POST', '/lead', {
      contact: {
        project_id: projectId,
        name: 'Без звонка',
        details: [{ type: 'phone', data: '+79160000001' }],
      },
      callback: false,
    });
    expect(handle.callbackCalls()).toHaveLength(before);
    const { result: lead } = (
      await api('POST', '/lead', {
        contact: {
          project_id: projectId,
          name: 'Со звонком',
          details: [{ type: 'phone', data: '+79160000002' }],
        },
        callback: true,
      })
    ).json;
    const counter = await callLp(sandbox.url, 'GET', '/__sandbox/accounts/crm/callback-calls');
    expect(counter.json.count).toBe(before + 1);
    expect(counter.json.calls.at(-1)).toMatchObject({
      leadId: lead.id,
      phone: '+79160000002',
      service: 'Интеграция amoCRM',
    });
    expect((await api('GET', `/lead/${lead.id}/calls`)).json.result).toEqual([
      expect.objectContaining({ type: 'callback', owner_id: null }),
    ]);
  });
});

import type { LooseJson } from '../amocrm/sandbox-test-kit';
import { DEMO_LPTRACKER_ACCOUNT, startLpTrackerSandbox, type LpTrackerSandbox } from './lp-sandbox';
import { callLp, lpClient } from './lp-test-kit';

describe('LPTracker sandbox: control API', () => {
  let sandbox: LpTrackerSandbox;

  beforeAll(async () => {
    sandbox = await startLpTrackerSandbox({ rps: 0, seedDemo: true });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const control = (method: string, path: string, body?: unknown) =>
    callLp(sandbox.url, method, `/__sandbox${path}`, { body });

  it('has the seeded demo account: project «Сайт», its fields and funnel, two managers and five leads', async () => {
    const demo = (await control('GET', '/accounts/demo')).json;
    expect(demo).toMatchObject({
      key: 'demo',
      login: DEMO_LPTRACKER_ACCOUNT.login,
      password: DEMO_LPTRACKER_ACCOUNT.password,
      baseUrl: sandbox.url,
      settings: { rps: 0, tokenIdleSec: 86_400, rateLimitHttpStatus: 200, webhookBody: 'form' },
      projects: [{ name: 'Сайт', callbackUrls: 0 }],
      counts: { leads: 5, contacts: 5, staff: 2, callbackCalls: 0 },
    });
    const [project] = (await control('GET', '/accounts/demo/projects')).json;
    expect(project.customs.map((field: LooseJson) => `${field.name}:${field.type}`)).toEqual([
      'Бюджет:text',
      'Город:cats',
      'Адрес:map',
    ]);
    expect(project.funnel.map((stage: LooseJson) => stage.name)).toEqual([
      'Новый',
      'В работе',
      'Продажа',
      'Отказ',
    ]);
    const leads = (await control('GET', '/accounts/demo/leads')).json;
    expect(new Set(leads.map((lead: LooseJson) => lead.stage_id)).size).toBe(4);
    // The seed placed no phone call and sent no webhook.
    expect((await control('GET', '/accounts/demo/callback-calls')).json).toEqual({ count: 0, calls: [] });
    expect((await control('GET', '/accounts/demo/deliveries')).json).toEqual([]);
  });

  it('builds an account: projects, custom fields, contact fields, stages and staff; deleted fields vanish', async () => {
    const created = await control('POST', '/accounts', {
      key: 'built',
      login: 'owner@firm.ru',
      password: 'pw',
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      key: 'built',
      name: 'Компания built',
      login: 'owner@firm.ru',
      password: 'pw',
      baseUrl: sandbox.url,
    });
    expect((await control('POST', '/accounts', { key: 'built' })).status).toBe(409);
    expect((await control('POST', '/accounts', { key: 'other', login: 'owner@firm.ru' })).status).toBe(409);

    const project = (
      await control('POST', '/accounts/built/projects', { name: 'Лендинг', stages: ['Заявка', 'Счёт'] })
    ).json;
    expect(project.funnel.map((stage: LooseJson) => stage.name)).toEqual(['Заявка', 'Счёт']);
    const base = `/accounts/built/projects/${project.id}`;
    const kind = (
      await control('POST', `${base}/customs`, { name: 'Тип', type: 'cats', options: ['A', 'B'] })
    ).json;
    expect(kind).toEqual({ id: expect.any(Number), type: 'cats', name: 'Тип', value: ['A', 'B'] });
    expect((await control('POST', `${base}/customs`, { name: 'Плохой', type: 'date' })).status).toBe(400);
    await control('POST', `${base}/customs`, { name: 'Менеджер', type: 'owner' });
    await control('POST', `${base}/fields`, { name: 'ИНН' });
    await control('POST', `${base}/stages`, { name: 'Оплачено' });
    const staff = (await control('POST', '/accounts/built/staff', { name: 'Ирина', job: 'Директор' })).json;
    expect(staff).toEqual({
      id: expect.any(Number),
      name: 'Ирина',
      job: 'Директор',
      email: expect.any(String),
    });

    const { api } = await lpClient(sandbox.url, { login: 'owner@firm.ru', password: 'pw' });
    const lead = (
      await api('POST', '/lead', {
        contact: { project_id: project.id, name: 'Клиент', details: [{ type: 'email', data: 'c@firm.ru' }] },
        custom: { [kind.id]: ['A', 'B'] },
        callback: false,
      })
    ).json.result;
    expect(lead.custom).toEqual([{ id: kind.id, name: 'Тип', type: 'cats', value: ['A', 'B'] }]);
    expect((await api('GET', `/project/${project.id}/funnel`)).json.result).toHaveLength(3);

    expect((await control('DELETE', `${base}/customs/${kind.id}`)).status).toBe(204);
    const customs = (await api('GET', `/project/${project.id}/customs`)).json.result;
    expect(customs.map((field: LooseJson) => field.name)).toEqual(['Менеджер']);
    expect((await api('GET', `/lead/${lead.id}`)).json.result.custom).toEqual([]);
  });

  it('counts requests per route, so a test can assert that no request was made', async () => {
    sandbox.createAccount({ key: 'counted', seed: true, rps: 0 });
    const handle = sandbox.account('counted');
    const { api } = await lpClient(sandbox.url, handle.credentials);
    const projectId = handle.firstProject.id;
    await api('GET', '/projects');
    await api('GET', `/project/${projectId}/customs`);
    await api('GET', `/project/${projectId}/customs`);
    await api('GET', '/lead/1');
    const counts = (await control('GET', '/accounts/counted/request-counts')).json;
    expect(counts).toEqual({
      'POST /login': 1,
      'GET /projects': 1,
      'GET /project/{id}/customs': 2,
      'GET /lead/{id}': 1,
    });
    const failed = (await control('GET', '/accounts/counted/requests?route=GET%20/lead/%7Bid%7D')).json;
    expect(failed).toEqual([
      expect.objectContaining({ method: 'GET', path: '/lead/1', httpStatus: 200, errorCode: 404 }),
    ]);
    expect(handle.requestCounts({ method: 'POST', route: 'POST /lead' })).toEqual({});

    expect((await control('DELETE', '/accounts/counted/requests')).status).toBe(204);
    expect((await control('GET', '/accounts/counted/request-counts')).json).toEqual({});
  });

  it('resets the sandbox to the demo account alone', async () => {
    sandbox.createAccount({ key: 'gone' });
    const reset = await control('POST', '/reset', {});
    expect(reset.json.accounts.map((account: LooseJson) => account.key)).toEqual(['demo']);
    expect((await control('GET', '/accounts/gone')).status).toBe(404);
    expect((await control('GET', '/nothing-here')).json).toMatchObject({ status: 404 });
  });
});

import { call } from './support/http';
import { finished, reportOf, runAction, uploadMapped, waitForProgress } from './support/import-runs';
import { uploadFile } from './support/imports';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';

jest.setTimeout(180_000);

const phone = (n: number): string => `+7916${String(3_000_000 + n).padStart(7, '0')}`;

/**
 * Imports with target lptracker (issue #14): each row is found or created in the connected LPTracker project through
 * the engine (LptrackerLeadWriteService), `callback: false` always; the LPTracker callback of a new lead then reaches
 * amoCRM through the existing sync, once.
 */
describe('imports into LPTracker (e2e, both sandboxes)', () => {
  let kit: SyncKit;

  beforeAll(async () => {
    kit = await startSyncKit();
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('50 rows: one lead each, a known contact with that lead reused, no phone call, leads reach amoCRM once', async () => {
    const { t, admin, lp, ws } = kit;
    const known = kit.newLead('Окна', phone(0));
    await lp().whenDeliveriesIdle();
    await kit.finished();
    const amoBefore = ws.amo.leads().length;
    const leadsBefore = lp().leads().length;
    const lines = ['Имя;Телефон;Заявка;Бюджет'];
    lines.push(`Пётр Иванов;${phone(0)};Окна;100`);
    for (let n = 1; n < 50; n += 1) lines.push(`Клиент ${n};${phone(n)};Заявка ${n};${n}`);
    const id = await uploadMapped(t.url, admin.token, lines.join('\n'), {
      kind: 'leads',
      target: 'lptracker',
      columns: {
        Имя: 'contact.name',
        Телефон: 'contact.phone',
        Заявка: 'lead.name',
        Бюджет: `lead.custom.${kit.budgetId}`,
      },
      dedupe: 'update',
    });
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    const progress = await waitForProgress(t.url, admin.token, id, finished);
    expect(progress).toMatchObject({ status: 'done', totalRows: 50, created: 49, skipped: 1, failed: 0 });
    expect(lp().leads()).toHaveLength(leadsBefore + 49);
    // each lead posted once (a post the sandbox refused for rate, error 503, is sent again: it created nothing)
    const posted = lp()
      .requests({ route: 'POST /lead' })
      .filter((request) => request.errorCode !== 503 && request.httpStatus !== 503);
    expect(posted).toHaveLength(49);
    expect(lp().callbackCalls()).toEqual([]);
    const report = await reportOf(t.url, admin.token, id);
    const lpColumn = report[0].indexOf('Заявка LPTracker');
    expect(report[0].slice(-5)).toEqual([
      'Итог',
      'Контакт amoCRM',
      'Сделка amoCRM',
      'Заявка LPTracker',
      'Пояснение',
    ]);
    const byRow = new Map(report.slice(1).map((row) => [row[0], row]));
    expect(String(byRow.get(2)?.at(-1))).toContain(`LPTracker № ${known.id}`);
    expect(byRow.get(2)?.[lpColumn]).toBe(Number(known.id));
    const created = lp()
      .leads()
      .find((lead) => lead.name === 'Заявка 7');
    expect(String(byRow.get(9)?.at(-1))).toBe(`Заявка LPTracker № ${String(created?.id)}`);
    expect(byRow.get(9)?.[lpColumn]).toBe(Number(created?.id));
    // every row has its LPTracker lead in the column, each lead once
    const ids = report.slice(1).map((row) => row[lpColumn]);
    expect(ids.every((value) => typeof value === 'number')).toBe(true);
    expect(new Set(ids).size).toBe(50);
    // the callbacks of the 49 new leads land in amoCRM through the sync, each once
    for (let round = 0; round < 3; round += 1) {
      await lp().whenDeliveriesIdle();
      await kit.finished();
    }
    expect(ws.amo.leads().length - amoBefore).toBe(49);
    expect(ws.amo.leads().filter((lead) => lead.name === 'Заявка 7')).toHaveLength(1);
  });

  it('a dry run says what the real run would do (the same lookup): lead reused, lead at an existing contact, both new; nothing written', async () => {
    const { t, admin, lp } = kit;
    const known = lp()
      .leads()
      .find((lead) => lead.name === 'Окна');
    const contactOf1 = lp()
      .leads()
      .find((lead) => lead.name === 'Заявка 1')?.contact_id;
    expect([known, contactOf1]).toEqual([expect.anything(), expect.any(Number)]);
    const leadsBefore = lp().leads().length;
    const contactsBefore = lp().contacts().length;
    const postsBefore = lp().requests({ route: 'POST /lead' }).length;
    const lines = ['Телефон;Заявка', `${phone(0)};Окна`, `${phone(1)};Другая заявка`, `${phone(80)};Новая`];
    const id = await uploadMapped(t.url, admin.token, lines.join('\n'), {
      kind: 'leads',
      target: 'lptracker',
      columns: { Телефон: 'contact.phone', Заявка: 'lead.name' },
      dedupe: 'update',
      dryRun: true,
    });
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    const progress = await waitForProgress(t.url, admin.token, id, finished);
    expect(progress).toMatchObject({ status: 'done', dryRun: true, created: 2, skipped: 1, failed: 0 });
    const report = await reportOf(t.url, admin.token, id);
    const lpColumn = report[0].indexOf('Заявка LPTracker');
    const byRow = new Map(report.slice(1).map((row) => [row[0], row]));
    expect(byRow.get(2)?.at(-1)).toBe(
      `Проверка: будет пропущена, у контакта уже есть заявка с таким названием: LPTracker № ${String(known?.id)}`,
    );
    expect(byRow.get(2)?.[lpColumn]).toBe(Number(known?.id));
    expect(byRow.get(3)?.at(-1)).toBe(
      `Проверка: будет создана заявка у существующего контакта LPTracker № ${String(contactOf1)}`,
    );
    expect(byRow.get(4)?.at(-1)).toBe('Проверка: будут созданы контакт и заявка в LPTracker');
    expect([lp().leads().length, lp().contacts().length]).toEqual([leadsBefore, contactsBefore]);
    expect(lp().requests({ route: 'POST /lead' })).toHaveLength(postsBefore);
  });

  it('an LPTracker field the project does not have is refused with 400 naming the column', async () => {
    const { t, admin } = kit;
    const id = await uploadMapped(t.url, admin.token, `Телефон;Поле\n${phone(90)};x`, {
      kind: 'leads',
      target: 'lptracker',
      columns: { Телефон: 'contact.phone' },
      dedupe: 'update',
    });
    const res = await call(`${t.url}/api/v1/imports/${id}/mapping`, {
      method: 'PUT',
      token: admin.token,
      body: {
        kind: 'leads',
        target: 'lptracker',
        columns: { Телефон: 'contact.phone', Поле: 'lead.colour' },
        dedupe: 'update',
      },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('columns.Поле');
  });

  it('several projects: the mapping names one (projectId), its custom fields are offered and written; bad projectId -> 400', async () => {
    const { t, admin, lp } = kit;
    const projectsUrl = `${t.url}/api/v1/imports/lptracker/projects`;
    const one = await call(projectsUrl, { token: admin.token });
    expect(one.status).toBe(200);
    expect(one.body.items).toHaveLength(1);
    expect(one.body.items[0]).toMatchObject({ id: kit.projectId });
    expect(one.body.items[0].fields).toEqual(
      expect.arrayContaining([
        { field: 'lead.name', name: null },
        { field: `lead.custom.${kit.budgetId}`, name: 'Бюджет' },
      ]),
    );
    const second = lp().addProject({ name: 'Второй сайт' });
    const cityId = lp().addCustomField(second.id, { name: 'Город', type: 'text' }).id;
    const enabled = await call(`${t.url}/api/v1/connections/lptracker/projects`, {
      method: 'POST',
      token: admin.token,
      body: { projectId: second.id },
    });
    expect(enabled.status).toBe(200);
    const two = await call(projectsUrl, { token: admin.token });
    expect(two.body.items.map((project: { id: number }) => project.id).sort()).toEqual(
      [kit.projectId, second.id].sort(),
    );
    const secondView = two.body.items.find((project: { id: number }) => project.id === second.id);
    expect(secondView).toMatchObject({ name: 'Второй сайт' });
    expect(secondView.fields).toContainEqual({ field: `lead.custom.${cityId}`, name: 'Город' });
    expect(secondView.fields).not.toContainEqual(
      expect.objectContaining({ field: `lead.custom.${kit.budgetId}` }),
    );

    const uploaded = await uploadFile(
      t.url,
      admin.token,
      'two.csv',
      `Телефон;Город;Бюджет\n${phone(70)};Москва;5\n${phone(71)};Тула;6`,
    );
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id as string;
    const base = {
      kind: 'leads',
      target: 'lptracker',
      columns: { Телефон: 'contact.phone', Город: `lead.custom.${cityId}` },
      dedupe: 'update',
    };
    const put = (body: unknown) =>
      call(`${t.url}/api/v1/imports/${id}/mapping`, { method: 'PUT', token: admin.token, body });
    const refused = async (body: unknown, field: string) => {
      const res = await put(body);
      expect([res.status, JSON.stringify(res.body)]).toEqual([400, expect.stringContaining(field)]);
      return res.body.errors as { field: string; code: string }[];
    };
    // several projects enabled: projectId is required
    expect(await refused(base, 'projectId')).toEqual([
      expect.objectContaining({ field: 'projectId', code: 'required' }),
    ]);
    // unknown or disabled project
    expect(await refused({ ...base, projectId: 987_654 }, 'projectId')).toEqual([
      expect.objectContaining({ field: 'projectId', code: 'unknownProject' }),
    ]);
    // wrong types and sizes
    for (const bad of ['1', 1.5, 0, -3, 2 ** 60, true, [second.id], { id: second.id }])
      await refused({ ...base, projectId: bad }, 'projectId');
    // only for target lptracker
    await refused(
      { ...base, target: 'amocrm', columns: { Телефон: 'contact.phone' }, projectId: second.id },
      'projectId',
    );
    // a prototype key beside it
    const proto = await put(
      JSON.parse(
        `{"kind":"leads","target":"lptracker","projectId":${second.id},"columns":{},"dedupe":"skip","__proto__":{"x":1}}`,
      ),
    );
    expect(proto.status).toBe(400);
    // a custom field of the other project
    expect(
      await refused(
        {
          ...base,
          columns: { ...base.columns, Бюджет: `lead.custom.${kit.budgetId}` },
          projectId: second.id,
        },
        'columns.Бюджет',
      ),
    ).toEqual([expect.objectContaining({ field: 'columns.Бюджет', code: 'unknownField' })]);
    expect((await put({ ...base, projectId: second.id })).status).toBe(200);
    const saved = await call(`${t.url}/api/v1/imports/${id}`, { token: admin.token });
    expect(saved.body.mapping).toMatchObject({ projectId: second.id });

    const leadsBefore = lp().leads().length;
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    const progress = await waitForProgress(t.url, admin.token, id, finished);
    expect(progress).toMatchObject({ status: 'done', created: 2, failed: 0 });
    const made = lp().leads().slice(leadsBefore);
    expect(made.map((lead) => [lead.project_id, lead.custom])).toEqual(
      expect.arrayContaining([
        [second.id, [expect.objectContaining({ id: cityId, value: 'Москва' })]],
        [second.id, [expect.objectContaining({ id: cityId, value: 'Тула' })]],
      ]),
    );
    expect(made).toHaveLength(2);

    // a project disabled after the mapping was saved: start answers 400 naming projectId
    const later = await uploadMapped(t.url, admin.token, `Телефон\n${phone(72)}`, {
      kind: 'leads',
      target: 'lptracker',
      columns: { Телефон: 'contact.phone' },
      dedupe: 'update',
      projectId: second.id,
    });
    const disabled = await call(`${t.url}/api/v1/connections/lptracker/projects/${second.id}`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(disabled.status).toBe(204);
    const start = await runAction(t.url, admin.token, later, 'start');
    expect([start.status, JSON.stringify(start.body)]).toEqual([400, expect.stringContaining('projectId')]);
  });
});

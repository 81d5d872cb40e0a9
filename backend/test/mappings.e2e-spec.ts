import type { AmoAccountHandle, AmoSandbox } from '../sandbox/amocrm';
import type { LpAccountCredentials, LpTrackerSandbox } from '../sandbox/lptracker';
import { MappingsService } from '../src/sync/mappings/mappings.service';
import { appQuery } from './support/amocrm';
import { userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import {
  fieldErrors,
  mappingDoc as doc,
  mappingLine as line,
  startMappingsWorld,
  type MappingsWorld,
} from './support/mappings-world';
import type { TestApp } from './support/test-app';

/**
 * Field mappings against both sandboxes, real MariaDB and Redis: the default made on connect, saves as versions
 * that bump the settings version, validation naming the path, broken lines after a field is deleted in either
 * CRM, restore, and bad input (the preview: mappings-preview.e2e-spec.ts).
 */
describe('LPTracker field mappings', () => {
  let world: MappingsWorld;
  let amoSandbox: AmoSandbox;
  let lpSandbox: LpTrackerSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let amo: AmoAccountHandle;
  let lpAccount: LpAccountCredentials;
  let projectId: number;
  let sourceField: number;
  let campaignField: number;
  let lpCityField: number;

  const url = (path = '') => `${t.url}/api/v1/mappings${path}`;
  const forward = () => url(`/${projectId}/lptracker_to_amocrm`);
  const put = (body: unknown, token = admin.token) => call(forward(), { method: 'PUT', token, body });
  const get = async (path: string) => (await call(url(path), { token: admin.token })).body;
  const settingsVersion = async () =>
    Number(
      (
        await appQuery(t, 'SELECT version FROM workspace_settings_versions WHERE workspace_id = ?', [
          admin.user.workspaceId,
        ])
      )[0]?.version ?? 0,
    );

  beforeAll(async () => {
    world = await startMappingsWorld();
    ({ amoSandbox, lpSandbox, t, admin, amo, lpAccount, projectId, sourceField, campaignField, lpCityField } =
      world);
  });

  afterAll(async () => {
    await world?.close();
  });

  it('makes a default mapping on connect: name, phones, e-mails, view fields into the matching amoCRM fields, first stage, stage and user maps', async () => {
    // made by the project listener while connecting, not by the read below
    const rows = await appQuery(
      t,
      'SELECT direction, version, origin FROM lptracker_mappings WHERE workspace_id = ? ORDER BY direction',
      [admin.user.workspaceId],
    );
    expect(rows).toEqual([
      { direction: 'amocrm_to_lptracker', version: 1, origin: 'default' },
      { direction: 'lptracker_to_amocrm', version: 1, origin: 'default' },
    ]);
    const mapping = await get(`/${projectId}/lptracker_to_amocrm`);
    const main = amo.pipelines().find((pipeline) => pipeline.isMain)!;
    const firstStage = main.statuses.find((status) => status.name === 'Первичный контакт')!;
    const talks = main.statuses.find((status) => status.name === 'Переговоры')!;
    const lpTalks = lpSandbox
      .account(lpAccount.key)
      .firstProject.stages.find((s) => s.name === 'Переговоры')!;
    const olga = amo.users().find((user) => user.name === 'Ольга Смирнова')!;
    const lpOlga = lpSandbox
      .account(lpAccount.key)
      .staff()
      .find((s) => s.name === 'Ольга Смирнова')!;
    expect(mapping).toMatchObject({ version: 1, origin: 'default', createdBy: null, problems: [] });
    expect(mapping.document).toEqual({
      lines: [
        line('contact.name', 'contact.name', { type: 'trim' }),
        line('contact.phone', 'contact.phone', { type: 'phone' }),
        line('contact.email', 'contact.email', { type: 'lowercase' }),
        line('lead.name', 'lead.name', { type: 'trim' }),
        line('view.source', `lead.custom.${sourceField}`, { type: 'trim' }),
        line('view.campaign', `lead.custom.${campaignField}`, { type: 'trim' }),
      ],
      pipelineId: main.id,
      statusId: firstStage.id,
      createAs: 'lead',
      stageMap: [{ lptrackerStageId: lpTalks.id, amocrmPipelineId: main.id, amocrmStatusId: talks.id }],
      userMap: [{ lptrackerOwnerId: lpOlga.id, amocrmUserId: olga.id }],
    });
    const list = await get('');
    expect(list.items.map((item: any) => [item.projectId, item.direction, item.version])).toEqual([
      [projectId, 'lptracker_to_amocrm', 1],
      [projectId, 'amocrm_to_lptracker', 1],
    ]);
  });

  it('saves a valid mapping as version 2 and bumps the settings version in the same save', async () => {
    const before = await settingsVersion();
    const res = await put(
      doc({ lines: [line('view.keyword', `lead.custom.${sourceField}`, { type: 'trim' })] }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      origin: 'save',
      createdBy: admin.user.email,
      settingsVersion: before + 1,
    });
    expect(await settingsVersion()).toBe(before + 1);
    const versions = await get(`/${projectId}/lptracker_to_amocrm/versions`);
    expect(versions.items.map((item: any) => item.version)).toEqual([2, 1]);
    expect(versions.total).toBe(2);
  });

  it('loads the LPTracker metadata when a save finds none cached, rather than refusing its fields', async () => {
    await appQuery(t, 'DELETE FROM lptracker_metadata WHERE workspace_id = ?', [admin.user.workspaceId]);
    const budget = lpSandbox.account(lpAccount.key).firstProject.customs.find((f) => f.name === 'Бюджет')!.id;
    const res = await put(doc({ lines: [line(`lead.custom.${budget}`, 'lead.price', { type: 'number' })] }));
    expect(res.status).toBe(200);
  });

  it.each([
    [
      'an unknown target field',
      doc({ lines: [line('contact.name', 'lead.bogus')] }),
      'lines[0].target',
      'unknownField',
    ],
    [
      'an amoCRM field id not in the cache',
      doc({ lines: [line('contact.name', 'lead.custom.999999')] }),
      'lines[0].target',
      'fieldMissing',
    ],
    [
      'an LPTracker field id not in the cache',
      doc({ lines: [line('lead.custom.999999', 'lead.name')] }),
      'lines[0].source',
      'fieldMissing',
    ],
    ['text into a number field without a number transform', null, 'lines[1].transform', 'typeMismatch'],
    ['an enum option that does not exist', null, 'lines[0].transform.map[0].to', 'enumOptionMissing'],
    ['a stage map status that does not exist', null, 'stageMap[0].amocrmStatusId', 'statusMissing'],
  ])('refuses %s: 400 naming the path', async (_name, given, field, code) => {
    const numeric = amo.leadFields().find((f) => f.name === 'Количество мест')!.id;
    const select = amo.leadFields().find((f) => f.name === 'Источник заявки')!.id;
    const main = amo.pipelines().find((pipeline) => pipeline.isMain)!;
    const lpStage = lpSandbox.account(lpAccount.key).firstProject.stages[0].id;
    const body =
      given ??
      {
        'lines[1].transform': doc({
          lines: [line('contact.name', 'contact.name'), line('view.source', `lead.custom.${numeric}`)],
        }),
        'lines[0].transform.map[0].to': doc({
          lines: [
            line('view.source', `lead.custom.${select}`, {
              type: 'enum_map',
              map: [{ from: 'yandex', to: 123456 }],
            }),
          ],
        }),
        'stageMap[0].amocrmStatusId': doc({
          stageMap: [{ lptrackerStageId: lpStage, amocrmPipelineId: main.id, amocrmStatusId: 424242 }],
        }),
      }[field];
    const before = await settingsVersion();
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(fieldErrors(res.body)).toContainEqual([field, code]);
    expect(await settingsVersion()).toBe(before);
  });

  it.each([
    ['lines not an array', '{"lines":"x"}', 'lines'],
    [
      '201 lines',
      JSON.stringify(doc({ lines: Array.from({ length: 201 }, () => line('contact.name', 'contact.name')) })),
      'lines',
    ],
    [
      'a transform of unknown type',
      JSON.stringify(doc({ lines: [line('contact.name', 'contact.name', { type: 'eval' })] })),
      'lines[0].transform.type',
    ],
    [
      'a template over 1000 characters',
      JSON.stringify(
        doc({ lines: [line(null, 'lead.name', { type: 'template', template: 'x'.repeat(1001) })] }),
      ),
      'lines[0].transform.template',
    ],
    [
      'a __proto__ key',
      '{"lines":[{"source":"contact.name","target":"contact.name","transform":{"type":"none"},"__proto__":{"admin":true}}]}',
      'lines[0].__proto__',
    ],
    ['a constructor key', '{"lines":[],"constructor":{"prototype":{}}}', 'constructor'],
    ['an unknown key', '{"lines":[],"extra":1}', 'extra'],
    [
      'a stage id that is not a number',
      '{"lines":[],"stageMap":[{"lptrackerStageId":"1","amocrmPipelineId":1,"amocrmStatusId":1}]}',
      'stageMap[0].lptrackerStageId',
    ],
  ])('refuses a body with %s: 400 naming the field, never 500', async (_name, raw, field) => {
    const res = await call(forward(), { method: 'PUT', token: admin.token, body: raw });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body).map(([name]: string[]) => name)).toContain(field);
    if (field.endsWith('__proto__') || field === 'constructor')
      expect(fieldErrors(res.body)).toEqual([[field, 'forbiddenKey']]);
  });

  it('refuses 10,000 lines and deep nesting with 400, and a bad project or direction naming it', async () => {
    const many = JSON.stringify(
      doc({ lines: Array.from({ length: 10_000 }, () => line('contact.name', 'contact.name')) }),
    );
    const deep = `{"lines":${'['.repeat(40)}${']'.repeat(40)}}`;
    for (const raw of [many, deep]) {
      const res = await call(forward(), { method: 'PUT', token: admin.token, body: raw });
      expect(res.status).toBe(400);
    }
    const badProject = await call(url('/abc/lptracker_to_amocrm'), { token: admin.token });
    expect([badProject.status, fieldErrors(badProject.body)]).toEqual([400, [['projectId', 'isPositive']]]);
    const badDirection = await call(url(`/${projectId}/sideways`), { token: admin.token });
    expect([badDirection.status, fieldErrors(badDirection.body)]).toEqual([400, [['direction', 'isIn']]]);
    const notEnabled = await call(url('/424242/lptracker_to_amocrm'), { token: admin.token });
    expect(notEnabled.status).toBe(404);
  });

  it('makes the default for a project enabled later, its stages matched to amoCRM statuses by name', async () => {
    const second = lpSandbox
      .account(lpAccount.key)
      .addProject({ name: 'Лендинг', stages: ['Новый', 'Переговоры'] });
    const enabled = await call(`${t.url}/api/v1/connections/lptracker/projects`, {
      token: admin.token,
      body: { projectId: second.id },
    });
    expect(enabled.status).toBeLessThan(300);
    const rows = await appQuery(
      t,
      'SELECT direction, version, origin FROM lptracker_mappings WHERE workspace_id = ? AND project_id = ? ORDER BY direction',
      [admin.user.workspaceId, second.id],
    );
    expect(rows.map((row: any) => [row.direction, row.version, row.origin])).toEqual([
      ['amocrm_to_lptracker', 1, 'default'],
      ['lptracker_to_amocrm', 1, 'default'],
    ]);
    const talks = amo
      .pipelines()
      .find((pipeline) => pipeline.isMain)!
      .statuses.find((s) => s.name === 'Переговоры')!;
    const mapping = await get(`/${second.id}/amocrm_to_lptracker`);
    expect(mapping.document.stageMap).toEqual([
      { lptrackerStageId: second.stages[1].id, amocrmPipelineId: talks.pipelineId, amocrmStatusId: talks.id },
    ]);
  });

  it('lets a manager and a viewer read the mapping but not save it', async () => {
    for (const role of ['manager', 'viewer'] as const) {
      const user = await userWithRole(t.url, admin, role);
      expect((await call(forward(), { token: user.token })).status).toBe(200);
      expect((await put(doc(), user.token)).status).toBe(403);
    }
  });

  it('shows the mapping as broken after a field is deleted in amoCRM or in LPTracker (after a metadata refresh)', async () => {
    const saved = await put(
      doc({
        lines: [
          line('contact.name', 'contact.name'),
          line('view.source', `lead.custom.${sourceField}`),
          line(`lead.custom.${lpCityField}`, `lead.custom.${campaignField}`),
        ],
      }),
    );
    expect(saved.status).toBe(200);
    expect((await get(`/${projectId}/lptracker_to_amocrm`)).problems).toEqual([]);
    const deleted = await fetch(
      `${amoSandbox.url}/__sandbox/accounts/${amo.subdomain}/fields/leads/${sourceField}`,
      {
        method: 'DELETE',
      },
    );
    expect(deleted.status).toBe(204);
    lpSandbox.account(lpAccount.key).removeCustomField(projectId, lpCityField);
    for (const system of ['amocrm', 'lptracker'])
      expect(
        (
          await call(`${t.url}/api/v1/connections/${system}/metadata/refresh`, {
            method: 'POST',
            token: admin.token,
          })
        ).status,
      ).toBe(200);
    const mapping = await get(`/${projectId}/lptracker_to_amocrm`);
    expect(mapping.problems.map((problem: any) => [problem.path, problem.code])).toEqual([
      ['lines[1].target', 'fieldMissing'],
      ['lines[2].source', 'fieldMissing'],
    ]);
    const listed = (await get('')).items.find(
      (item: any) => item.projectId === projectId && item.direction === 'lptracker_to_amocrm',
    );
    expect(listed.problems).toHaveLength(2);
    expect(
      await t.app.get(MappingsService).problems(admin.user.workspaceId, projectId, 'lptracker_to_amocrm'),
    ).toHaveLength(2);
  });

  it('restores an older version as a new version with the same document, and runs pick the version of their settings version', async () => {
    const v1 = (await get(`/${projectId}/lptracker_to_amocrm/versions?limit=100`)).items.at(-1);
    expect(v1.version).toBe(1);
    const restored = await call(`${forward()}/versions/1/restore`, { method: 'POST', token: admin.token });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({
      origin: 'restore:1',
      createdBy: admin.user.email,
      document: v1.document,
    });
    const current = await get(`/${projectId}/lptracker_to_amocrm`);
    expect(current.version).toBe(restored.body.version);
    const missing = await call(`${forward()}/versions/999/restore`, { method: 'POST', token: admin.token });
    expect(missing.status).toBe(404);

    const mappings = t.app.get(MappingsService);
    const run = (settings: number) =>
      mappings.forRun(admin.user.workspaceId, projectId, 'lptracker_to_amocrm', settings);
    expect((await run(v1.settingsVersion))?.version).toBe(1);
    expect((await run(0))?.version).toBe(1); // received before the first mapping: the oldest
    expect((await run(1_000_000))?.version).toBe(restored.body.version);
    expect(await mappings.forRun(admin.user.workspaceId, 424242, 'lptracker_to_amocrm', 1)).toBeNull();
  });

  it('answers the field catalog of both systems for the editor', async () => {
    const catalog = await get(`/${projectId}/fields`);
    expect(catalog.lptracker.map((field: any) => field.ref)).toEqual(
      expect.arrayContaining(['view.source', 'contact.phone']),
    );
    expect(catalog.amocrm).toContainEqual(
      expect.objectContaining({ ref: `lead.custom.${campaignField}`, name: 'utm_campaign', entity: 'lead' }),
    );
    expect(catalog.amocrmPipelines.length).toBe(2);
    expect(catalog.lptrackerStages.map((stage: any) => stage.name)).toContain('Переговоры');
    expect(catalog.amocrmUsers.map((user: any) => user.name)).toContain('Ольга Смирнова');
  });
});

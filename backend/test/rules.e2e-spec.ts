import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { startLpTrackerSandbox, type LpTrackerSandbox } from '../sandbox/lptracker';
import type { AmocrmMetadata } from '../src/amocrm/metadata/amocrm-metadata.types';
import type { LptrackerProjectMetadata } from '../src/lptracker/metadata/lptracker-metadata.types';
import { LptrackerMetadataService } from '../src/lptracker/metadata/lptracker-metadata.service';
import { SettingsVersionService } from '../src/settings/settings-version.service';
import { RulesService } from '../src/sync/rules/rules.service';
import { SyncMetadataService } from '../src/sync/sync-metadata.service';
import { appQuery, connectLongLived } from './support/amocrm';
import { loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call, type JsonResponse } from './support/http';
import { connectLptracker } from './support/lptracker';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Rules (issue #13 §1) against real MariaDB and Redis, with the amoCRM and LPTracker sandboxes connected so that
 * validation reads real metadata caches: CRUD, versions with diff and restore, the settings version on each
 * version and `forRun`, validation paths, import/export round trip, reorder, duplicate, roles, bad input.
 */
describe('rules', () => {
  let amo: AmoSandbox;
  let lp: LpTrackerSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let amoMeta: AmocrmMetadata;
  let lpMeta: LptrackerProjectMetadata;

  const rules = (
    path = '',
    init: { method?: string; body?: unknown; token?: string } = {},
  ): Promise<JsonResponse> => call(`${t.url}/api/v1/rules${path}`, { token: admin.token, ...init });
  const ok = async (res: Promise<JsonResponse>, status = 200): Promise<any> => {
    const answer = await res;
    if (answer.status !== status) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const fieldsOf = (res: JsonResponse) => (res.body.errors ?? []).map((e: { field: string }) => e.field);

  /** The example with ids from the sandbox account. */
  const vip = (name = 'VIP из Яндекса', extra: Record<string, unknown> = {}) => {
    const pipeline = amoMeta.pipelines.find((p) => !p.isMain) ?? amoMeta.pipelines[0];
    return {
      name,
      enabled: true,
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: {
        all: [
          { field: 'lead.price', op: 'gt', value: 100000 },
          {
            any: [
              { field: 'view.source', op: 'contains', value: 'yandex' },
              { not: { field: 'contact.email', op: 'empty' } },
            ],
          },
        ],
      },
      actions: [
        { type: 'move_stage', system: 'amocrm', pipelineId: pipeline.id, statusId: pipeline.statuses[0].id },
        { type: 'add_tags', tags: ['VIP'] },
        { type: 'stop' },
      ],
      ...extra,
    };
  };

  beforeAll(async () => {
    amo = await startAmoSandbox({ rps: 1000 });
    lp = await startLpTrackerSandbox();
    t = await startTestApp({
      env: { AMOCRM_BASE_URL_TEMPLATE: amo.baseUrlTemplate, AMOCRM_RPS: '50', LPTRACKER_BASE_URL: lp.url },
    });
    admin = await loginAdmin(t.url);
    await connectLongLived(t, admin, amo.createAccount());
    const lpAccount = lp.createAccount({ seed: true });
    await connectLptracker(t, admin, lpAccount, lp.account(lpAccount.key).firstProject.id);
    amoMeta = await t.app.get(SyncMetadataService).current(admin.user.workspaceId);
    [lpMeta] = await t.app.get(LptrackerMetadataService).getMetadata(admin.user.workspaceId);
  });

  afterAll(async () => {
    await t?.close();
    await lp?.close();
    await amo?.close();
  });

  it('lists the fields rules can read, from both metadata caches', async () => {
    const catalog = await ok(rules('/fields'));
    const refs = catalog.fields.map((field: { ref: string }) => field.ref);
    expect(refs).toEqual(
      expect.arrayContaining([
        'lead.price',
        'lead.status',
        `lead.custom.${amoMeta.leadFields[0].id}`,
        'lptracker.stage',
        `lptracker.custom.${lpMeta.customs[0].id}`,
      ]),
    );
    const stage = catalog.fields.find((field: { ref: string }) => field.ref === 'lptracker.stage');
    expect(stage.options).toEqual(lpMeta.funnel.map((s) => ({ id: s.id, name: s.name })));
    expect(catalog.operators.date).toContain('between');
  });

  it('creates, reads, lists in priority order, updates and deletes a rule', async () => {
    const first = await ok(rules('', { body: vip('Первое') }), 201);
    expect(first).toMatchObject({
      name: 'Первое',
      enabled: true,
      priority: 10,
      version: 1,
      schemaVersion: 1,
    });
    expect(first.conditions).toEqual(vip().conditions);
    const second = await ok(rules('', { body: vip('Второе', { priority: 5 }) }), 201);
    expect((await ok(rules(`/${first.id}`))).name).toBe('Первое');
    expect((await ok(rules())).items.map((r: { name: string }) => r.name)).toEqual(['Второе', 'Первое']);

    const updated = await ok(rules(`/${first.id}`, { method: 'PUT', body: vip('Первое, исправлено') }));
    expect(updated).toMatchObject({ name: 'Первое, исправлено', version: 2, priority: 10 });

    expect((await rules(`/${second.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await rules(`/${second.id}`)).status).toBe(404);
    expect((await rules(`/${second.id}`, { method: 'PUT', body: vip() })).status).toBe(404);
    await ok(rules(`/${first.id}`, { method: 'DELETE' }), 204);
  });

  it('keeps every change as a version with who, the settings version it bumped to, a diff, and restore', async () => {
    const settings = t.app.get(SettingsVersionService);
    const before = await settings.currentSettingsVersion(admin.user.workspaceId);
    const rule = await ok(rules('', { body: vip('Версии') }), 201);
    await ok(
      rules(`/${rule.id}`, {
        method: 'PUT',
        body: vip('Версии', { conditions: { all: [{ field: 'lead.price', op: 'gt', value: 200000 }] } }),
      }),
    );
    await ok(rules(`/${rule.id}/disable`, { method: 'POST' }));
    await ok(rules(`/${rule.id}/disable`, { method: 'POST' })); // already disabled: no new version
    const versions = await ok(rules(`/${rule.id}/versions`));
    expect(versions.total).toBe(3);
    expect(versions.items.map((v: any) => [v.version, v.origin, v.createdBy, v.settingsVersion])).toEqual([
      [3, 'disable', admin.user.email, before + 3],
      [2, 'update', admin.user.email, before + 2],
      [1, 'create', admin.user.email, before + 1],
    ]);
    expect(await settings.currentSettingsVersion(admin.user.workspaceId)).toBe(before + 3);

    const diff = await ok(rules(`/${rule.id}/diff?from=1&to=2`));
    expect(diff.changes).toEqual([
      { path: 'conditions.all[0].value', before: 100000, after: 200000 },
      { path: 'conditions.all[1]', before: vip().conditions.all[1] },
    ]);

    const restored = await ok(rules(`/${rule.id}/versions/1/restore`, { method: 'POST' }));
    expect(restored).toMatchObject({ version: 4, enabled: true, conditions: vip().conditions });
    expect((await ok(rules(`/${rule.id}/versions/4`))).origin).toBe('restore:1');
    expect((await rules(`/${rule.id}/versions/9/restore`, { method: 'POST' })).status).toBe(404);

    // forRun: the versions in force at each settings version (disabled at before+3, so absent there)
    const service = t.app.get(RulesService);
    const at = async (version: number) =>
      (await service.forRun(admin.user.workspaceId, version))
        .filter((r) => r.ruleId === rule.id)
        .map((r) => r.version);
    expect(await at(before)).toEqual([]);
    expect(await at(before + 1)).toEqual([1]);
    expect(await at(before + 2)).toEqual([2]);
    expect(await at(before + 3)).toEqual([]);
    expect(await at(before + 4)).toEqual([4]);
    await ok(rules(`/${rule.id}`, { method: 'DELETE' }), 204);
    expect(await at(before + 4)).toEqual([4]); // an event received before the deletion still runs with it
    expect(await at(before + 5)).toEqual([]);
  });

  it('names the path of every invalid part, against the real metadata, and stores nothing', async () => {
    const select = amoMeta.leadFields.find((f) => f.type === 'select' && (f.enums ?? []).length > 0)!;
    const bad = vip('Плохое', {
      conditions: {
        all: [
          { field: 'lead.price', op: 'gt', value: 1 },
          {
            any: [
              { field: 'view.source', op: 'gt', value: 1 },
              { all: [{ field: `lead.custom.${select.id}`, op: 'eq', value: 1 }] },
            ],
          },
          { field: 'lead.custom.999999', op: 'empty' },
          { field: `lptracker.custom.${lpMeta.customs[0].id}`, op: 'regex', value: '(a' },
        ],
      },
      actions: [
        { type: 'move_stage', system: 'amocrm', pipelineId: amoMeta.pipelines[0].id, statusId: 1 },
        { type: 'move_stage', system: 'lptracker', stageId: 1 },
        { type: 'create_task', text: 'Позвонить', dueInHours: 2, responsibleUserId: 1 },
      ],
    });
    const settings = t.app.get(SettingsVersionService);
    const before = await settings.currentSettingsVersion(admin.user.workspaceId);
    const res = await rules('', { body: bad });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(fieldsOf(res)).toEqual([
      'conditions.all[1].any[0].op',
      'conditions.all[1].any[1].all[0].value',
      'conditions.all[2].field',
      'conditions.all[3].value',
      'actions[0].statusId',
      'actions[1].stageId',
      'actions[2].responsibleUserId',
    ]);
    expect(await settings.currentSettingsVersion(admin.user.workspaceId)).toBe(before);
    const good = vip('Хорошее', {
      conditions: { field: `lead.custom.${select.id}`, op: 'in', value: [select.enums![0].id] },
      actions: [
        { type: 'move_stage', system: 'lptracker', stageId: lpMeta.funnel[1].id },
        { type: 'create_task', text: 'Позвонить', dueInHours: 2, responsibleUserId: amoMeta.users[0].id },
      ],
    });
    const created = await ok(rules('', { body: good }), 201);
    await ok(rules(`/${created.id}`, { method: 'DELETE' }), 204);
  });

  it.each<[string, unknown, string]>([
    ['an empty body', {}, 'name'],
    ['a wrong type', { ...{ name: 1 } }, 'name'],
    ['an unknown property', { isAdmin: true }, 'isAdmin'],
    ['a list for a body', [1, 2], 'body'],
    ['a huge name', { name: 'x'.repeat(201) }, 'name'],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    const res = await rules('', { body });
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toContain(field);
  });

  it('refuses prototype keys and too deep or too large rules with 400, never 500', async () => {
    const proto = await rules('', {
      body: `{"name":"x","trigger":{"source":"api","events":["lead.created"]},"actions":[{"type":"stop"}],"__proto__":{"isAdmin":true}}`,
    });
    expect(proto.status).toBe(400);
    expect(fieldsOf(proto)).toEqual(['__proto__']);
    const ctor = await rules('', {
      body: vip('x', { conditions: { all: [{ field: 'lead.name', op: 'empty', constructor: { a: 1 } }] } }),
    });
    expect(fieldsOf(ctor)).toEqual(['conditions.all[0].constructor']);
    let deep: unknown = { field: 'lead.name', op: 'empty' };
    for (let i = 0; i < 11; i += 1) deep = { any: [deep] };
    const tooDeep = await rules('', { body: vip('x', { conditions: deep }) });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors[0].code).toBe('maxDepth');
    const many = Array.from({ length: 51 }, () => ({ field: 'lead.name', op: 'not_empty' }));
    const tooMany = await rules('', {
      body: vip('x', { conditions: { all: [{ any: many }, { any: many }] } }),
    });
    expect(fieldsOf(tooMany)).toEqual(['conditions']);
    const actions = await rules('', {
      body: vip('x', { actions: Array.from({ length: 51 }, () => ({ type: 'stop' })) }),
    });
    expect(fieldsOf(actions)).toEqual(['actions']);
    expect((await rules('/not-an-id')).status).toBe(400);
    expect((await rules('/0190a0a0-0000-7000-8000-000000000000/versions/x')).status).toBe(400);
    expect((await rules('/0190a0a0-0000-7000-8000-000000000000/diff?from=1&to=x')).status).toBe(400);
  });

  it('reorders, duplicates right after the original (disabled), and refuses an incomplete order', async () => {
    const names = ['A', 'B', 'C'];
    const made: any[] = [];
    for (const name of names) made.push(await ok(rules('', { body: vip(name) }), 201));
    const [a, b, c] = made;
    const others = (await ok(rules('?limit=100'))).items
      .map((r: any) => r.id)
      .filter((id: string) => !made.some((m) => m.id === id));
    const order = await ok(rules('/reorder', { body: { ids: [c.id, a.id, b.id, ...others] } }));
    expect(order.slice(0, 3).map((r: any) => [r.name, r.priority])).toEqual([
      ['C', 10],
      ['A', 20],
      ['B', 30],
    ]);
    const settings = t.app.get(SettingsVersionService);
    const before = await settings.currentSettingsVersion(admin.user.workspaceId);
    const incomplete = await rules('/reorder', { body: { ids: [c.id, a.id] } });
    expect(incomplete.status).toBe(400);
    expect(await settings.currentSettingsVersion(admin.user.workspaceId)).toBe(before); // rolled back with it
    expect(fieldsOf(incomplete)).toEqual(['ids']);
    const twice = await rules('/reorder', { body: { ids: [c.id, a.id, a.id, ...others] } });
    expect(fieldsOf(twice)).toEqual(['ids[2]']);
    expect(fieldsOf(await rules('/reorder', { body: { ids: ['x'] } }))).toEqual(['ids']);

    const copy = await ok(rules(`/${c.id}/duplicate`, { method: 'POST' }), 201);
    expect(copy).toMatchObject({ name: 'C (копия)', enabled: false, priority: 11, version: 1 });
    expect((await ok(rules(`/${copy.id}/versions/1`))).origin).toBe(`duplicate:${c.id}`);
    expect((await ok(rules())).items.slice(0, 4).map((r: any) => r.name)).toEqual([
      'C',
      'C (копия)',
      'A',
      'B',
    ]);
    const enabled = await ok(rules(`/${copy.id}/enable`, { method: 'POST' }));
    expect(enabled).toMatchObject({ enabled: true, version: 2 });
  });

  it('exports the rule set and imports it back (replace), all or nothing with paths like rules[1].…', async () => {
    const exported = await ok(rules('/export'));
    expect(exported.schemaVersion).toBe(1);
    const count = exported.rules.length;
    expect(count).toBeGreaterThan(0);

    const broken = {
      ...exported,
      mode: 'replace',
      rules: [
        exported.rules[0],
        { ...exported.rules[0], conditions: { any: [{ field: 'lead.nope', op: 'empty' }] } },
      ],
    };
    const refused = await rules('/import', { body: broken });
    expect(refused.status).toBe(400);
    expect(fieldsOf(refused)).toEqual(['rules[1].conditions.any[0].field']);
    expect((await ok(rules('/export'))).rules).toEqual(exported.rules); // nothing changed

    const replaced = await ok(rules('/import', { body: { ...exported, mode: 'replace' } }));
    expect(replaced).toMatchObject({ mode: 'replace', deleted: count });
    expect(replaced.created).toHaveLength(count);
    const again = await ok(rules('/export'));
    expect(again.rules).toEqual(exported.rules);

    const appended = await ok(rules('/import', { body: { rules: [vip('Добавленное')] } }));
    expect(appended.created[0].priority).toBeGreaterThan(
      Math.max(...exported.rules.map((r: any) => r.priority)),
    );
    expect((await rules('/import', { body: { rules: {} } })).status).toBe(400);
    expect(fieldsOf(await rules('/import', { body: { rules: [], mode: 'merge' } }))).toEqual(['mode']);
  });

  it('lets every role read and only admins change; another workspace sees nothing', async () => {
    const rule = await ok(rules('', { body: vip('Роли') }), 201);
    const manager = await userWithRole(t.url, admin, 'manager');
    const viewer = await userWithRole(t.url, admin, 'viewer');
    for (const reader of [manager, viewer]) {
      expect((await rules(`/${rule.id}`, { token: reader.token })).status).toBe(200);
      expect((await rules(`/${rule.id}/versions`, { token: reader.token })).status).toBe(200);
      expect((await rules('/export', { token: reader.token })).status).toBe(200);
      expect((await rules('', { body: vip(), token: reader.token })).status).toBe(403);
      expect((await rules(`/${rule.id}/disable`, { method: 'POST', token: reader.token })).status).toBe(403);
      expect((await rules(`/${rule.id}`, { method: 'DELETE', token: reader.token })).status).toBe(403);
    }
    const other = await secondWorkspace(t.url, admin);
    expect((await rules(`/${rule.id}`, { token: other.token })).status).toBe(404);
    expect((await rules(`/${rule.id}/versions`, { token: other.token })).status).toBe(404);
    expect((await rules('', { token: other.token })).body.items).toEqual([]);
    expect((await rules('/export', { token: other.token })).body.rules).toEqual([]);
    expect((await rules(`/${rule.id}`, { method: 'DELETE', token: other.token })).status).toBe(404);
    expect(
      (await rules(`/${rule.id}/versions/1/restore`, { method: 'POST', token: other.token })).status,
    ).toBe(404);
    // B has no CRM connected: a rule naming amoCRM statuses cannot be checked (503), one on the visit's fields can
    const amoRule = await rules('', { body: vip('Нужен amoCRM'), token: other.token });
    expect(amoRule.status).toBe(503);
    expect(amoRule.headers.get('content-type')).toContain('application/problem+json');
    const plain = vip('Без CRM', {
      conditions: { field: 'view.source', op: 'regex', value: '(?i)yandex' },
      actions: [{ type: 'add_tags', tags: ['Яндекс'] }],
    });
    expect((await rules('', { body: plain, token: other.token })).status).toBe(201);
    const lpRule = await rules('', {
      body: { ...plain, conditions: { field: 'lptracker.stage', op: 'eq', value: lpMeta.funnel[0].id } },
      token: other.token,
    });
    expect(fieldsOf(lpRule)).toEqual(['conditions.value']); // no enabled LPTracker project there
    const rows = await appQuery(t, 'SELECT COUNT(*) AS n FROM rule_versions WHERE rule_id = ?', [rule.id]);
    expect(Number(rows[0].n)).toBe(1);
  });
});

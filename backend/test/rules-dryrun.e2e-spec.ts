import { appQuery } from './support/amocrm';
import { amoForm, postHook, subscribe } from './support/amocrm-inbound';
import { secondWorkspace, userWithRole } from './support/auth';
import { call, type JsonResponse } from './support/http';
import { waitFor } from './support/inbox';
import { fieldErrors, startMappingsWorld, type MappingsWorld } from './support/mappings-world';

/**
 * Rule dry runs and backtests (issue #13 §2) on real stored events: LPTracker callbacks from the sandbox and an
 * amoCRM webhook, with both sandboxes connected. Nothing is sent to either sandbox and no row of the database
 * changes (every table counted before and after).
 */
describe('rules: dry runs and backtests', () => {
  let w: MappingsWorld;
  let workspaceId: string;
  let hookUrl: string;
  let yandexEventId: string;
  let googleEventId: string;
  let amoEventId: string;
  let echoEventId: string;
  let amoLeadId: number;
  let pipeline: { id: number; statuses: { id: number; name: string }[] };
  let lpStageId: number;

  const rules = (path: string, body: unknown, token = w.admin.token): Promise<JsonResponse> =>
    call(`${w.t.url}/api/v1/rules${path}`, { method: 'POST', token, body });
  const lpRule = () => ({
    name: 'VIP из Яндекса',
    trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
    conditions: {
      all: [
        { field: 'view.source', op: 'contains', value: 'yandex' },
        {
          any: [
            { field: 'contact.name', op: 'eq', value: 'Пётр' },
            { not: { field: 'contact.phone', op: 'empty' } },
          ],
        },
      ],
    },
    actions: [
      { type: 'move_stage', system: 'amocrm', pipelineId: pipeline.id, statusId: pipeline.statuses[1].id },
      { type: 'add_tags', tags: ['VIP'] },
      { type: 'stop' },
      { type: 'add_note', text: 'after stop: never' },
    ],
  });
  const amoRule = () => ({
    name: 'Оплачено → Продажа',
    trigger: { source: 'amocrm', events: ['lead.stage_changed'], changedFields: [] },
    conditions: { all: [{ field: 'lead.status', op: 'changed_to', value: pipeline.statuses[2].id }] },
    actions: [{ type: 'move_stage', system: 'lptracker', stageId: lpStageId }],
  });

  /** Rows of every table of the test database, and the requests both sandboxes received. */
  const footprint = async () => {
    const tables: { name: string }[] = await appQuery(
      w.t,
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
    );
    const rows: Record<string, number> = {};
    for (const { name } of tables)
      rows[name] = Number((await appQuery(w.t, `SELECT COUNT(*) AS n FROM \`${name}\``))[0].n);
    const touched = await appQuery(w.t, 'SELECT MAX(updated_at) AS at FROM inbox_events');
    return {
      rows,
      eventsTouched: String(touched[0].at),
      amocrm: w.amo.requests().length,
      lptracker: w.lpSandbox.account(w.lpAccount.key).requests().length,
    };
  };
  const unfinished = async () =>
    Number(
      (
        await appQuery(
          w.t,
          "SELECT COUNT(*) AS n FROM inbox_events WHERE workspace_id = ? AND status IN ('received', 'queued', 'processing')",
          [workspaceId],
        )
      )[0].n,
    );

  beforeAll(async () => {
    w = await startMappingsWorld();
    workspaceId = w.admin.user.workspaceId;
    pipeline = w.amo.pipelines().find((candidate) => candidate.isMain)!;
    const lp = w.lpSandbox.account(w.lpAccount.key);
    lpStageId = lp.firstProject.stages[1].id;
    const registered = await call(`${w.t.url}/api/v1/connections/lptracker/webhook`, {
      method: 'POST',
      token: w.admin.token,
    });
    expect(registered.status).toBe(200);
    const lead = (name: string, source: string) =>
      lp.manager.createLead({
        name,
        view: { source, campaign: 'зима', keyword: 'окна' },
        contact: { project_id: w.projectId, name, details: [{ type: 'phone', data: '8 (916) 555-12-34' }] },
      });
    lead('Пётр', 'yandex.direct');
    await waitFor(async () => (await stored('lptracker')).length === 1, 20_000, 'the first callback stored');
    lead('Анна', 'google');
    await waitFor(async () => (await stored('lptracker')).length === 2, 20_000, 'both callbacks stored');
    [googleEventId, yandexEventId] = (await stored('lptracker')).map((row: { id: string }) => row.id);
    await waitFor(async () => (await unfinished()) === 0, 30_000, 'the callbacks processed');
    const [link] = await appQuery(
      w.t,
      'SELECT amocrm_lead_id AS id FROM lptracker_links ORDER BY created_at',
    );
    amoLeadId = Number(link.id);
    hookUrl = (await subscribe(w.t, w.admin, ['status_lead'])).url;
    const posted = await postHook(
      hookUrl,
      amoForm(w.amo, [
        ['leads[status][0][id]', amoLeadId],
        ['leads[status][0][name]', 'Пётр'],
        ['leads[status][0][status_id]', pipeline.statuses[2].id],
        ['leads[status][0][old_status_id]', pipeline.statuses[1].id],
        ['leads[status][0][pipeline_id]', pipeline.id],
        ['leads[status][0][responsible_user_id]', w.amo.users()[0].id],
        ['leads[status][0][updated_at]', Math.floor(Date.now() / 1000)],
      ]),
    );
    expect(posted.status).toBeLessThan(300);
    await waitFor(async () => (await stored('amocrm')).length === 1, 20_000, 'the amoCRM webhook stored');
    amoEventId = (await stored('amocrm'))[0].id;
    // the back-flow moves the LPTracker lead (stages matched by name); its callback comes back as an echo
    await waitFor(async () => (await stored('lptracker')).length === 3, 20_000, 'the echo callback stored');
    await waitFor(async () => (await unfinished()) === 0, 30_000, 'every event processed');
    [echoEventId] = (await stored('lptracker')).map((row: { id: string }) => row.id);
  });

  const stored = (source: string) =>
    appQuery(
      w.t,
      'SELECT id FROM inbox_events WHERE workspace_id = ? AND source = ? ORDER BY created_at DESC, id DESC',
      [workspaceId, source],
    );

  afterAll(async () => {
    await w?.close();
  });

  it('tries a draft and a saved rule on stored events and payloads: explanation and requests, nothing sent or stored', async () => {
    const saved = await rules('', amoRule());
    expect(saved.status).toBe(201);
    const before = await footprint();

    const yes = await rules('/test', { rule: lpRule(), eventId: yandexEventId });
    expect(yes.status).toBe(200);
    expect(yes.body.eventId).toBe(yandexEventId);
    expect(yes.body.explanations).toHaveLength(1);
    const [explained] = yes.body.explanations;
    expect(explained).toMatchObject({
      ruleId: null,
      version: null,
      name: 'VIP из Яндекса',
      outcome: 'matched',
    });
    expect(explained.conditions[0]).toMatchObject({
      path: 'conditions.all[0]',
      field: 'view.source',
      actual: 'yandex.direct',
      matched: true,
    });
    expect(explained.actions.map((action: { type: string }) => action.type)).toEqual([
      'move_stage',
      'add_tags',
      'stop',
    ]);
    // the linked amoCRM lead the sync made of this callback is the one the requests address
    const [link] = await appQuery(
      w.t,
      'SELECT amocrm_lead_id AS id FROM lptracker_links WHERE amocrm_lead_id = ?',
      [amoLeadId],
    );
    expect(yes.body.requests).toEqual([
      {
        system: 'amocrm',
        method: 'PATCH',
        path: '/api/v4/leads',
        body: [{ id: Number(link.id), pipeline_id: pipeline.id, status_id: pipeline.statuses[1].id }],
      },
      { system: 'amocrm', method: 'GET', path: `/api/v4/leads/${amoLeadId}`, body: null },
      {
        system: 'amocrm',
        method: 'PATCH',
        path: '/api/v4/leads',
        body: [{ id: amoLeadId, _embedded: { tags: [{ name: 'VIP' }] } }],
      },
    ]);

    const no = await rules('/test', { rule: lpRule(), eventId: googleEventId });
    expect(no.body.explanations[0]).toMatchObject({ outcome: 'conditions', actions: [] });
    expect(no.body.explanations[0].conditions[0]).toMatchObject({ actual: 'google', matched: false });
    expect(no.body.requests).toEqual([]);

    // the saved amoCRM rule on the stored amoCRM webhook: the LPTracker lead of the link moves
    const amo = await rules(`/${saved.body.id}/test`, { eventId: amoEventId });
    expect(amo.status).toBe(200);
    expect(amo.body.explanations[0]).toMatchObject({ ruleId: saved.body.id, version: 1, outcome: 'matched' });
    expect(amo.body.explanations[0].conditions[0]).toMatchObject({
      actual: pipeline.statuses[2].id,
      matched: true,
    });
    const lpLeadId = Number(
      (
        await appQuery(w.t, 'SELECT lptracker_lead_id AS id FROM lptracker_links WHERE amocrm_lead_id = ?', [
          amoLeadId,
        ])
      )[0].id,
    );
    expect(amo.body.requests).toEqual([
      { system: 'lptracker', method: 'PUT', path: `/lead/${lpLeadId}/funnel`, body: { funnel: lpStageId } },
    ]);
    // the LPTracker event is another source: the trigger does not fit
    const other = await rules(`/${saved.body.id}/test`, { eventId: yandexEventId });
    expect(other.body.explanations[0]).toMatchObject({ outcome: 'trigger', conditions: [] });

    // payloads as the webhooks carry them: an amoCRM form as an object, an LPTracker callback
    const form = await rules(`/${saved.body.id}/test`, {
      source: 'amocrm',
      payload: {
        leads: {
          status: [
            {
              id: 999_001,
              status_id: pipeline.statuses[2].id,
              old_status_id: pipeline.statuses[0].id,
              pipeline_id: pipeline.id,
            },
          ],
        },
        account: { id: w.amo.id, subdomain: w.amo.subdomain },
      },
    });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ eventId: null, explanations: [{ outcome: 'matched' }], requests: [] });
    expect(form.body.planned).toEqual([
      { requests: [], missing: 'no LPTracker lead is linked to this event' },
    ]);
    const callback = await rules('/test', {
      rule: lpRule(),
      payload: {
        action: 'create',
        id: 777,
        project_id: w.projectId,
        name: 'Сайт',
        view: { source: 'yandex' },
        contact: { id: 1, name: 'Пётр', details: [] },
      },
    });
    expect(callback.status).toBe(200);
    expect(callback.body.explanations[0].outcome).toBe('matched');

    const after = await footprint();
    expect(after).toEqual(before);
  });

  it('backtests over the stored events: counts by outcome, matched samples first, nothing sent or stored', async () => {
    const before = await footprint();
    const all = await rules('/backtest', { rule: lpRule(), last: 1000 });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      scanned: 4,
      matched: 1,
      byOutcome: { matched: 1, conditions: 1, trigger: 2 },
      truncated: false,
    });
    expect(all.body.samples.map((sample: { eventId: string }) => sample.eventId)).toEqual([
      yandexEventId,
      echoEventId,
      amoEventId,
      googleEventId,
    ]);
    expect(all.body.samples[0]).toMatchObject({ source: 'lptracker', outcome: 'matched' });
    expect(all.body.samples[0].requests).toHaveLength(3);
    expect(all.body.samples[2]).toMatchObject({ source: 'amocrm', outcome: 'trigger', requests: [] });

    const newest = await rules('/backtest', { rule: lpRule(), last: 1 });
    expect(newest.body).toMatchObject({ scanned: 1, matched: 0, byOutcome: { trigger: 1 } });
    const range = await rules('/backtest', {
      rule: lpRule(),
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(range.body).toMatchObject({ scanned: 4, matched: 1 });
    const empty = await rules('/backtest', { rule: lpRule(), from: '2020-01-01', to: '2020-01-02' });
    expect(empty.body).toMatchObject({ scanned: 0, matched: 0, samples: [] });

    const saved = await rules('', amoRule());
    const amo = await rules(`/${saved.body.id}/backtest`, { last: 20 });
    expect(amo.body).toMatchObject({
      scanned: 4,
      matched: 1,
      byOutcome: { matched: 1, trigger: 3, conditions: 0 },
    });
    expect(amo.body.samples[0]).toMatchObject({ eventId: amoEventId, outcome: 'matched' });
    expect(amo.body.samples[0].requests).toHaveLength(1);

    const after = await footprint();
    expect({
      ...after,
      rows: {
        ...after.rows,
        rules: before.rows.rules,
        rule_versions: before.rows.rule_versions,
        audit_log: before.rows.audit_log,
      },
    }).toEqual(before);
    // only the rule saved above, and its audit entry
    expect([after.rows.rules, after.rows.audit_log]).toEqual([
      before.rows.rules + 1,
      before.rows.audit_log + 1,
    ]);
  });

  it('answers bad input with 400 naming the field, unknown and other workspaces’ events and rules with 404', async () => {
    const invalid = { ...lpRule(), conditions: { all: [{ field: 'lead.price', op: 'gt', value: 'много' }] } };
    const draft = await rules('/test', { rule: invalid, eventId: yandexEventId });
    expect([draft.status, fieldErrors(draft.body).map(([field]) => field)]).toEqual([
      400,
      ['rule.conditions.all[0].value'],
    ]);
    const backtestDraft = await rules('/backtest', { rule: invalid, last: 5 });
    expect(fieldErrors(backtestDraft.body).map(([field]) => field)).toEqual(['rule.conditions.all[0].value']);
    const cases: [string, unknown, string][] = [
      ['/test', [], 'body'],
      ['/test', { eventId: yandexEventId }, 'rule'],
      ['/test', { rule: lpRule() }, 'eventId'],
      ['/test', { rule: lpRule(), eventId: yandexEventId, payload: {} }, 'eventId'],
      ['/test', { rule: lpRule(), eventId: 42 }, 'eventId'],
      ['/test', { rule: lpRule(), eventId: 'nope' }, 'eventId'],
      ['/test', { rule: lpRule(), payload: 'x', source: 'bitrix' }, 'source'],
      ['/test', { rule: lpRule(), payload: [1] }, 'payload'],
      ['/test', { rule: lpRule(), payload: { id: 'x' } }, 'payload'],
      ['/test', { rule: lpRule(), payload: JSON.parse('{"__proto__": {"x": 1}}') }, 'payload.__proto__'],
      ['/test', { rule: lpRule(), payload: { constructor: { prototype: 1 } } }, 'payload.constructor'],
      ['/test', { rule: lpRule(), payload: deep(30) }, `payload${'.next'.repeat(20)}`],
      ['/test', { rule: lpRule(), payload: { a: 'x'.repeat(1_000_001) } }, 'payload'],
      ['/test', { rule: lpRule(), eventId: yandexEventId, extra: 1 }, 'extra'],
      [
        '/test',
        { rule: { ...lpRule(), __proto__: null, constructor: 1 }, eventId: yandexEventId },
        'rule.constructor',
      ],
      ['/backtest', { rule: lpRule() }, 'last'],
      ['/backtest', { rule: lpRule(), last: 1001 }, 'last'],
      ['/backtest', { rule: lpRule(), last: 0 }, 'last'],
      ['/backtest', { rule: lpRule(), last: '5' }, 'last'],
      ['/backtest', { rule: lpRule(), last: 5, from: '2026-01-01' }, 'last'],
      ['/backtest', { rule: lpRule(), from: 'yesterday' }, 'from'],
      ['/backtest', { rule: lpRule(), from: '2026-02-01', to: '2026-01-01' }, 'to'],
    ];
    const answers = [];
    for (const [path, body] of cases) {
      const res = await rules(path, body);
      answers.push([path, res.status, res.headers.get('content-type'), fieldErrors(res.body)[0]?.[0]]);
    }
    expect(answers).toEqual(
      cases.map(([path, , field]) => [path, 400, expect.stringContaining('problem'), field]),
    );
    const unknownEvent = await rules('/test', {
      rule: lpRule(),
      eventId: '00000000-0000-7000-8000-000000000000',
    });
    expect(unknownEvent.status).toBe(404);
    const unknownRule = await rules('/00000000-0000-7000-8000-000000000000/test', { eventId: yandexEventId });
    expect(unknownRule.status).toBe(404);
    expect((await rules('/not-an-id/backtest', { last: 5 })).status).toBe(400);

    // another workspace: this workspace's event and rule are not found there
    const other = await secondWorkspace(w.t.url, w.admin);
    const plain = { ...lpRule(), actions: [{ type: 'add_tags', tags: ['x'] }] };
    const foreign = await rules('/test', { rule: plain, eventId: yandexEventId }, other.token);
    expect(foreign.status).toBe(404);
    const saved = await rules('', plain);
    expect((await rules(`/${saved.body.id}/test`, { eventId: yandexEventId }, other.token)).status).toBe(404);
    expect((await rules(`/${saved.body.id}/backtest`, { last: 5 }, other.token)).status).toBe(404);
    const theirs = await rules('/backtest', { rule: plain, last: 1000 }, other.token);
    expect(theirs.body).toMatchObject({ scanned: 0, samples: [] });

    // managers and viewers do not run rules, even dry
    const manager = await userWithRole(w.t.url, w.admin, 'manager');
    expect((await rules('/backtest', { rule: plain, last: 5 }, manager.token)).status).toBe(403);
  });
});

function deep(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < levels; i++) value = { next: value };
  return value;
}

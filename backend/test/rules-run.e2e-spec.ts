import { appQuery } from './support/amocrm';
import { call } from './support/http';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';

/**
 * Rules run live on LPTracker events (issue #13 §1), end to end with both sandboxes, real MariaDB and Redis: a lead
 * made in the LPTracker sandbox reaches our callback, the sync makes the amoCRM lead, then the enabled rules of the
 * event's settings version run in priority order (nested conditions, `stop`), their actions go to amoCRM and
 * LPTracker, and the event records each rule version with its outcome. `call_back` sends exactly one LPTracker
 * request with `callback: true`, and a retry of the event after a later action failed does not send it again.
 * Notes and tasks land in the amoCRM sandbox.
 */
describe('Rules run on LPTracker events', () => {
  let kit: SyncKit;

  const rule = async (body: Record<string, unknown>): Promise<{ id: string; version: number }> => {
    const res = await call(`${kit.t.url}/api/v1/rules`, { token: kit.admin.token, body });
    if (res.status !== 201) throw new Error(`rule not saved: ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  const changesOf = async (eventId: string): Promise<any[]> => {
    const [row] = await appQuery(kit.t, 'SELECT changes FROM inbox_events WHERE id = ?', [eventId]);
    return JSON.parse(row.changes);
  };
  /** Our requests creating an LPTracker lead: only call_back sends one. */
  const callbacksSent = () => kit.lp().requests({ route: 'POST /lead' });

  beforeAll(async () => {
    kit = await startSyncKit();
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('a rule on lead.created with a nested condition moves the amoCRM stage and adds tags; priority and stop; versions recorded', async () => {
    const main = kit.ws.amo.pipelines().find((pipeline) => pipeline.isMain)!;
    const target = main.statuses.filter((status) => status.type === 0 && ![142, 143].includes(status.id))[2];
    const vip = await rule({
      name: 'VIP',
      enabled: true,
      priority: 10,
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: {
        all: [
          { field: 'lptracker.name', op: 'contains', value: 'VIP' },
          {
            any: [
              { field: 'view.source', op: 'contains', value: 'yandex' },
              { not: { field: 'contact.email', op: 'empty' } },
            ],
          },
        ],
      },
      actions: [
        { type: 'move_stage', system: 'amocrm', pipelineId: main.id, statusId: target.id },
        { type: 'add_tags', tags: ['VIP', 'Яндекс'] },
        { type: 'stop' },
      ],
    });
    const later = await rule({
      name: 'After the stop',
      enabled: true,
      priority: 20,
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lptracker.name', op: 'not_empty' }] },
      actions: [{ type: 'add_tags', tags: ['never'] }],
    });
    const other = await rule({
      name: 'Another name',
      enabled: true,
      priority: 5,
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lptracker.name', op: 'contains', value: 'Оптом' }] },
      actions: [{ type: 'add_tags', tags: ['опт'] }],
    });

    const lead = kit.newLead('Окна VIP', '+7 916 700-00-01');
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    const [event] = await kit.aboutLead(lead.id);
    expect(event.status).toBe('done');
    const [amoLead] = kit.ws.amo.leads().filter((candidate) => candidate.name === 'Окна VIP');
    expect(amoLead.status_id).toBe(target.id);
    const tags = ((amoLead as any)._embedded?.tags ?? []).map((tag: { name: string }) => tag.name);
    expect(tags).toEqual(expect.arrayContaining(['VIP', 'Яндекс']));
    expect(tags).not.toContain('never');
    expect(tags).not.toContain('опт');

    const [change] = await changesOf(event.id);
    expect(change.rules.map((r: any) => [r.ruleId, r.version, r.outcome])).toEqual([
      [other.id, other.version, 'conditions'],
      [vip.id, vip.version, 'matched'],
      [later.id, later.version, 'stopped'],
    ]);
    expect(change.rules[1].actions.map((a: any) => [a.type, a.outcome])).toEqual([
      ['move_stage', 'done'],
      ['add_tags', 'done'],
      ['stop', 'done'],
    ]);
    const steps = (await kit.detail(event.id)).history
      .at(-1)
      .steps.map((step: { name: string }) => step.name);
    expect(steps).toEqual(expect.arrayContaining(['rules: explained', 'rules: ran']));
    for (const id of [vip.id, later.id, other.id])
      await call(`${kit.t.url}/api/v1/rules/${id}/disable`, { method: 'POST', token: kit.admin.token });
  });

  it('call_back sends one LPTracker request with callback: true; a retry after a later action failed repeats neither it nor the actions done', async () => {
    const lead = kit.newLead('Перезвонить', '+7 916 700-00-02');
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    expect(callbacksSent()).toHaveLength(0);
    const leaving = kit.ws.amo
      .users()
      .find((user) => user.id !== kit.ws.amo.currentUserId && user.id !== kit.ws.amo.managerUserId)!;
    await rule({
      name: 'Call back',
      enabled: true,
      priority: 30,
      trigger: {
        source: 'lptracker',
        events: ['lead.updated'],
        changedFields: [`lptracker.custom.${kit.unmappedId}`],
      },
      conditions: { all: [{ field: `lptracker.custom.${kit.unmappedId}`, op: 'eq', value: 'перезвонить' }] },
      // the task's responsible user leaves amoCRM after the rule is saved: amoCRM refuses the task (400), a
      // failing action after the call
      actions: [
        { type: 'add_tags', tags: ['Перезвон'] },
        { type: 'call_back' },
        { type: 'create_task', text: 'Перезвонить клиенту', dueInHours: 2, responsibleUserId: leaving.id },
      ],
    });
    expect(kit.ws.amo.removeUser(leaving.id)).toBe(true);
    kit.lp().clearRequests();
    kit.ws.amo.clearRequests();
    kit.lp().manager.updateLead(lead.id, { custom: { [kit.unmappedId]: 'перезвонить' } });
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    const event = (await kit.aboutLead(lead.id)).at(-1);
    expect(event.status).toBe('failed');
    expect(event.lastError).toContain('amoCRM refused the data: responsible_user_id');
    expect(kit.ws.amo.tasks()).toEqual([]);
    expect(callbacksSent()).toHaveLength(1);
    expect(kit.lp().callbackCalls()).toHaveLength(1);
    const tagWrites = () => kit.amoWrites().filter((write) => write === 'PATCH /api/v4/leads');
    expect(tagWrites()).toHaveLength(1);

    const replay = await call(`${kit.t.url}/api/v1/events/${event.id}/replay`, {
      token: kit.admin.token,
      body: { mode: 'as_received' },
    });
    expect(replay.status).toBeLessThan(300);
    await kit.finished();
    const [row] = await appQuery(kit.t, 'SELECT status, attempts FROM inbox_events WHERE id = ?', [event.id]);
    expect(row.status).toBe('failed');
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(callbacksSent()).toHaveLength(1);
    expect(kit.lp().callbackCalls()).toHaveLength(1);
    expect(tagWrites()).toHaveLength(1);
    const steps = (await kit.detail(event.id)).history
      .at(-1)
      .steps.map((step: { name: string }) => step.name);
    expect(steps).toEqual(
      expect.arrayContaining([
        'rules: action 0 (add_tags) already done',
        'rules: action 1 (call_back) already done',
      ]),
    );
    const [amoLink] = (await kit.links(`?lptrackerLeadId=${lead.id}`)).body.items;
    const amoLead = kit.ws.amo.lead(amoLink.amocrmLeadId) as any;
    expect(amoLead._embedded.tags.map((tag: { name: string }) => tag.name)).toContain('Перезвон');
  });

  it('add_note and create_task land on the amoCRM lead (note text, task text, deadline, responsible user)', async () => {
    const manager = kit.ws.amo.managerUserId;
    const notes = await rule({
      name: 'Note and task',
      enabled: true,
      priority: 40,
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lptracker.name', op: 'contains', value: 'Заметка' }] },
      actions: [
        { type: 'add_note', text: 'Клиент с сайта' },
        { type: 'create_task', text: 'Позвонить до обеда', dueInHours: 3, responsibleUserId: manager },
      ],
    });
    const before = Math.floor(Date.now() / 1000);
    const lead = kit.newLead('Заметка и задача', '+7 916 700-00-04');
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    const event = (await kit.aboutLead(lead.id)).at(-1);
    expect(event.status).toBe('done');
    const [amoLink] = (await kit.links(`?lptrackerLeadId=${lead.id}`)).body.items;
    const amoLeadId = Number(amoLink.amocrmLeadId);
    expect(kit.ws.amo.notes('leads', amoLeadId).map((note) => [note.noteType, note.params.text])).toEqual([
      ['common', 'Клиент с сайта'],
    ]);
    const tasks = kit.ws.amo.tasks().filter((task) => task.entityId === amoLeadId);
    expect(tasks.map((task) => [task.entityType, task.text, task.responsibleUserId])).toEqual([
      ['leads', 'Позвонить до обеда', manager],
    ]);
    expect(tasks[0].completeTill).toBeGreaterThanOrEqual(before + 3 * 3600);
    const [change] = await changesOf(event.id);
    const ran = change.rules.find((r: any) => r.ruleId === notes.id);
    expect(ran.actions.map((a: any) => [a.type, a.outcome])).toEqual([
      ['add_note', 'done'],
      ['create_task', 'done'],
    ]);
    await call(`${kit.t.url}/api/v1/rules/${notes.id}/disable`, { method: 'POST', token: kit.admin.token });
  });

  it('an update that no rule or mapping watches is skipped as filtered, with no request to either system', async () => {
    const lead = kit.newLead('Тихо', '+7 916 700-00-03');
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    kit.ws.amo.clearRequests();
    kit.lp().clearRequests();
    kit.lp().manager.updateLead(lead.id, { custom: { [kit.unmappedId]: 'просто заметка' } });
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    const about = await kit.aboutLead(lead.id);
    expect(about[about.length - 1].skipReason).toBe('filtered');
    expect(kit.amoWrites()).toEqual([]);
    expect(
      kit
        .lp()
        .requests()
        .filter((request) => request.method !== 'GET' && request.route !== 'POST /login'),
    ).toEqual([]);
  });
  it('update_lead with useMapping writes the mapped fields again (the whole mapping), explicit values on top', async () => {
    const lead = kit.newLead('Маппинг правилом', '+7 916 700-00-09', { [kit.budgetId]: '300 000 ₽' });
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    const [link] = (await kit.links(`?lptrackerLeadId=${lead.id}`)).body.items;
    const amoLeadId = link.amocrmLeadId as number;
    const mapped = kit.commentOf(amoLeadId);
    expect(mapped).toBeTruthy();
    // a manager overwrites the mapped comment in amoCRM; the rename below does not touch the budget, so the sync
    // leaves the comment alone: only the rule applying the whole mapping writes it back
    kit.ws.amo.manager.updateLead(amoLeadId, {
      custom_fields_values: [{ field_id: kit.commentId, values: [{ value: 'вручную' }] }],
    });
    expect(kit.commentOf(amoLeadId)).toBe('вручную');
    const saved = await rule({
      name: 'Маппинг заново',
      enabled: true,
      priority: 40,
      trigger: { source: 'lptracker', events: ['lead.updated'], changedFields: [] },
      conditions: { all: [{ field: 'lptracker.name', op: 'contains', value: 'Маппинг' }] },
      actions: [{ type: 'update_lead', useMapping: true, values: [{ field: 'lead.price', value: 777 }] }],
    });
    kit.lp().manager.updateLead(lead.id, { name: 'Маппинг правилом (2)' });
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    expect(kit.commentOf(amoLeadId)).toBe(mapped);
    expect((kit.ws.amo.lead(amoLeadId) as any).price).toBe(777);
    const [event] = (await kit.aboutLead(lead.id)).slice(-1);
    const steps = (await kit.detail(event.id)).history
      .at(-1)
      .steps.map((step: { name: string }) => step.name);
    expect(steps.some((name: string) => name.startsWith('rules: mapping of project'))).toBe(true);
    await call(`${kit.t.url}/api/v1/rules/${saved.id}/disable`, { method: 'POST', token: kit.admin.token });
  });
  it('a call_back whose request failed is never sent again: the automatic retry records it as unknown and runs the rest', async () => {
    const lead = kit.newLead('Звонок без ответа', '+7 916 700-00-11');
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    const saved = await rule({
      name: 'Call back once',
      enabled: true,
      priority: 50,
      trigger: {
        source: 'lptracker',
        events: ['lead.updated'],
        changedFields: [`lptracker.custom.${kit.unmappedId}`],
      },
      conditions: { all: [{ field: `lptracker.custom.${kit.unmappedId}`, op: 'eq', value: 'позвоните' }] },
      actions: [{ type: 'call_back' }, { type: 'add_tags', tags: ['Звонок'] }],
    });
    kit.lp().clearRequests();
    kit.ws.amo.clearRequests();
    // LPTracker forgets our token: the call-back's POST /lead is refused (401), and a request with callback: true is
    // never sent again (not by the client after a new login, not by the event's retry)
    const callsBefore = kit.lp().callbackCalls().length;
    expect(kit.lp().expireTokens()).toBeGreaterThan(0);
    kit.lp().manager.updateLead(lead.id, { custom: { [kit.unmappedId]: 'позвоните' } });
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    const event = (await kit.aboutLead(lead.id)).at(-1);
    const [row] = await appQuery(kit.t, 'SELECT status, attempts FROM inbox_events WHERE id = ?', [event.id]);
    expect([row.status, row.attempts >= 2]).toEqual(['done', true]);
    const posts = kit
      .lp()
      .requests()
      .filter((request) => request.method === 'POST' && request.path === '/lead');
    expect(posts.map((request) => request.errorCode)).toEqual([401]);
    expect(kit.lp().callbackCalls()).toHaveLength(callsBefore);
    expect(kit.amoWrites().filter((write) => write === 'PATCH /api/v4/leads')).toHaveLength(1);
    const [change] = await changesOf(event.id);
    const ran = change.rules.find((r: any) => r.ruleId === saved.id);
    expect(ran.actions.map((a: any) => [a.type, a.outcome])).toEqual([
      ['call_back', 'unknown'],
      ['add_tags', 'done'],
    ]);
    await call(`${kit.t.url}/api/v1/rules/${saved.id}/disable`, { method: 'POST', token: kit.admin.token });
  });
  it('the list says when each rule last fired on a live event and how many times in the last 24 hours', async () => {
    const counted = await rule({
      name: 'Counted',
      enabled: true,
      priority: 60,
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lptracker.name', op: 'starts_with', value: 'Счётчик' }] },
      actions: [
        { type: 'add_tags', tags: ['Счёт'] },
        { type: 'add_note', text: 'Посчитано' },
      ],
    });
    const idle = await rule({
      name: 'Never fires',
      enabled: true,
      priority: 61,
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lptracker.name', op: 'eq', value: 'нет такой' }] },
      actions: [{ type: 'add_tags', tags: ['никогда'] }],
    });
    const before = Date.now() - 1000;
    const [first] = [1, 2, 3].map((n) => kit.newLead(`Счётчик ${n}`, `+7 916 700-00-2${n}`));
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    // the first lead's run is made 25 hours old: it no longer counts in the last 24 hours
    const [aged] = await kit.aboutLead(first.id);
    await appQuery(
      kit.t,
      'UPDATE rule_action_runs SET created_at = NOW(3) - INTERVAL 25 HOUR WHERE rule_id = ? AND event_id = ?',
      [counted.id, aged.id],
    );
    const listed = await call(`${kit.t.url}/api/v1/rules?limit=100`, { token: kit.admin.token });
    expect(listed.status).toBe(200);
    const item = (id: string) => listed.body.items.find((candidate: { id: string }) => candidate.id === id);
    expect(item(counted.id).matches24h).toBe(2);
    expect(Date.parse(item(counted.id).lastFiredAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(item(counted.id).lastFiredAt)).toBeLessThanOrEqual(Date.now());
    expect([item(idle.id).lastFiredAt, item(idle.id).matches24h]).toEqual([null, 0]);
    for (const id of [counted.id, idle.id])
      await call(`${kit.t.url}/api/v1/rules/${id}/disable`, { method: 'POST', token: kit.admin.token });
  });
  it('update_lptracker_lead moves the LPTracker stage and writes a custom field once; its echo runs no rule', async () => {
    const stage = kit.lp().firstProject.stages[2];
    const saved = await rule({
      name: 'LPTracker update',
      enabled: true,
      priority: 70,
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lptracker.name', op: 'starts_with', value: 'Обновить' }] },
      actions: [
        {
          type: 'update_lptracker_lead',
          stageId: stage.id,
          custom: [{ fieldId: kit.unmappedId, value: 'от правила' }],
        },
      ],
    });
    kit.lp().clearRequests();
    const lead = kit.newLead('Обновить в LPTracker', '+7 916 700-00-31');
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    const written = kit.lp().lead(lead.id) as any;
    expect(written.stage_id).toBe(stage.id);
    expect(written.custom.find((field: { id: number }) => field.id === kit.unmappedId)?.value).toBe(
      'от правила',
    );
    const writes = kit
      .lp()
      .requests()
      .filter((request) => request.method === 'PUT' && request.errorCode === null)
      .map((request) => request.route);
    expect(writes.sort()).toEqual(['PUT /lead/{id}', 'PUT /lead/{id}/funnel']);
    const events = await kit.aboutLead(lead.id);
    const [change] = await changesOf(events[0].id);
    const ran = change.rules.find((r: any) => r.ruleId === saved.id);
    expect(ran.actions.map((a: any) => [a.type, a.outcome])).toEqual([['update_lptracker_lead', 'done']]);
    // LPTracker's callbacks of our two writes are echoes: skipped, no rule answers them
    expect(events.length).toBeGreaterThan(1);
    for (const echo of events.slice(1)) expect([echo.status, echo.skipReason]).toEqual(['skipped', 'echo']);
    await call(`${kit.t.url}/api/v1/rules/${saved.id}/disable`, { method: 'POST', token: kit.admin.token });
  });
});

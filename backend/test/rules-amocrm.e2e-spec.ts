import { MIRROR_EVENTS, nextSecond, subscribe } from './support/amocrm-inbound';
import { appQuery } from './support/amocrm';
import { call } from './support/http';
import { waitFor } from './support/inbox';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';

/**
 * Rules on amoCRM contact events and on amoCRM changes found by reconciliation (issue #13 §1), and
 * `find_or_create_lead` really finding or creating through the engine: both sandboxes, real MariaDB and Redis. A
 * contact made in amoCRM gets a lead by rule (the rule's pipeline, stage, responsible and name template); the dry
 * run of the rule on that stored event shows the request the live run sent; a replay creates nothing again. A stage
 * change whose webhook never came runs the rules when reconciliation reads it back.
 */
const BUSY = "SELECT COUNT(*) AS n FROM inbox_events WHERE status IN ('received', 'queued', 'processing')";

describe('Rules on amoCRM contacts and reconciliation; find_or_create_lead', () => {
  let kit: SyncKit;
  const settle = async (): Promise<void> => {
    for (let round = 0; round < 3; round += 1) {
      await kit.ws.amo.whenDeliveriesIdle();
      await waitFor(
        async () => Number((await appQuery(kit.t, BUSY, []))[0].n) === 0,
        30_000,
        'every event finished',
      );
    }
  };
  const rule = async (body: Record<string, unknown>): Promise<{ id: string; version: number }> => {
    const res = await call(`${kit.t.url}/api/v1/rules`, { token: kit.admin.token, body });
    if (res.status !== 201) throw new Error(`rule not saved: ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  const eventsOfRule = async (ruleId: string): Promise<string[]> =>
    (
      await appQuery(kit.t, 'SELECT DISTINCT event_id AS id FROM rule_action_runs WHERE rule_id = ?', [
        ruleId,
      ])
    ).map((row: { id: string }) => row.id);
  const leadsNamed = (name: string) => kit.ws.amo.leads().filter((lead) => lead.name === name);

  beforeAll(async () => {
    kit = await startSyncKit();
    await subscribe(kit.t, kit.admin, MIRROR_EVENTS);
  }, 120_000);

  afterAll(async () => {
    await kit?.close();
  });

  it('a contact made in amoCRM gets a lead by find_or_create_lead; the dry run shows what was sent; a replay makes nothing twice', async () => {
    const main = kit.ws.amo.pipelines().find((pipeline) => pipeline.isMain)!;
    const working = main.statuses.filter((status) => status.type === 0 && ![142, 143].includes(status.id));
    const responsible = kit.ws.amo.managerUserId;
    const saved = await rule({
      name: 'Новый контакт — сделка',
      enabled: true,
      priority: 10,
      trigger: { source: 'amocrm', events: ['contact.created'], changedFields: [] },
      conditions: { all: [{ field: 'contact.phone', op: 'not_empty' }] },
      actions: [
        {
          type: 'find_or_create_lead',
          pipelineId: main.id,
          statusId: working[1].id,
          responsibleUserId: responsible,
          nameTemplate: '{contact.name} — из правила',
        },
        { type: 'add_tags', tags: ['правило'] },
      ],
    });
    const contact = kit.ws.amo.manager.createContact({
      name: 'Олег',
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '89160000177', enum_code: 'MOB' }] }],
    });
    kit.ws.amo.manager.createContact({ name: 'Без телефона' });
    await settle();

    const made = leadsNamed('Олег — из правила');
    expect(made).toHaveLength(1);
    const lead = made[0] as any;
    expect(lead).toMatchObject({
      pipeline_id: main.id,
      status_id: working[1].id,
      responsible_user_id: responsible,
    });
    expect(lead._embedded.tags.map((tag: { name: string }) => tag.name)).toContain('правило');
    expect(kit.ws.amo.contact(contact.id)?._embedded?.leads?.map((l: { id: number }) => l.id)).toContain(
      lead.id,
    );
    expect(leadsNamed('Без телефона — из правила')).toHaveLength(0);
    const [eventId] = await eventsOfRule(saved.id);
    expect(eventId).toBeDefined();

    // the dry run of the same rule on the stored event: the create it plans is the one the sandbox received
    const dry = await call(`${kit.t.url}/api/v1/rules/${saved.id}/test`, {
      token: kit.admin.token,
      body: { eventId },
    });
    expect(dry.status).toBe(200);
    const create = dry.body.requests.find((request: any) => request.method === 'POST');
    expect(create).toMatchObject({ system: 'amocrm', path: '/api/v4/leads', when: 'none found' });
    const [body] = create.body;
    expect(body).toMatchObject({
      name: lead.name,
      pipeline_id: lead.pipeline_id,
      status_id: lead.status_id,
      responsible_user_id: lead.responsible_user_id,
      _embedded: { contacts: [{ id: contact.id, is_main: true }] },
    });

    kit.ws.amo.clearRequests();
    const replay = await call(`${kit.t.url}/api/v1/events/${eventId}/replay`, {
      token: kit.admin.token,
      body: { mode: 'as_received' },
    });
    expect(replay.status).toBeLessThan(300);
    await settle();
    expect(leadsNamed('Олег — из правила')).toHaveLength(1);
    expect(kit.amoWrites()).toEqual([]);
    const steps = (await kit.detail(eventId)).history.at(-1).steps.map((step: { name: string }) => step.name);
    expect(steps).toEqual(
      expect.arrayContaining([
        'rules: action 0 (find_or_create_lead) already done',
        'rules: action 1 (add_tags) already done',
      ]),
    );
    await call(`${kit.t.url}/api/v1/rules/${saved.id}/disable`, { method: 'POST', token: kit.admin.token });
  });

  it('a stage change whose webhook never came runs the amoCRM rules when reconciliation reads it back (as source amocrm)', async () => {
    const main = kit.ws.amo.pipelines().find((pipeline) => pipeline.isMain)!;
    const working = main.statuses.filter((status) => status.type === 0 && ![142, 143].includes(status.id));
    const [lead] = leadsNamed('Олег — из правила');
    const saved = await rule({
      name: 'Сверка: этап',
      enabled: true,
      priority: 20,
      trigger: { source: 'amocrm', events: ['lead.stage_changed'], changedFields: [] },
      conditions: {
        all: [
          { field: 'lead.status', op: 'eq', value: working[3].id },
          { field: 'old.lead.status', op: 'eq', value: working[1].id },
        ],
      },
      actions: [{ type: 'add_note', text: 'Этап сменился (найдено сверкой)' }],
    });
    const off = await call(`${kit.t.url}/api/v1/connections/amocrm/webhook`, {
      method: 'DELETE',
      token: kit.admin.token,
    });
    expect(off.status).toBe(200);
    await nextSecond();
    kit.ws.amo.manager.changeLeadStatus(lead.id, working[3].id);
    await kit.ws.amo.whenDeliveriesIdle();
    expect(kit.ws.amo.notes('leads', lead.id)).toEqual([]);

    const status = async () =>
      (await call(`${kit.t.url}/api/v1/connections/amocrm/reconcile`, { token: kit.admin.token })).body;
    const before = (await status()).lastRunAt;
    const asked = await call(`${kit.t.url}/api/v1/connections/amocrm/reconcile`, {
      token: kit.admin.token,
      body: {},
    });
    expect(asked.status).toBe(202);
    await waitFor(async () => {
      const current = await status();
      return current.lastRunAt !== before && !current.running ? current : undefined;
    });
    await settle();
    expect(kit.ws.amo.notes('leads', lead.id).map((note: any) => note.params?.text ?? note.text)).toEqual([
      'Этап сменился (найдено сверкой)',
    ]);
    const [eventId] = await eventsOfRule(saved.id);
    const [row] = await appQuery(kit.t, 'SELECT source FROM inbox_events WHERE id = ?', [eventId]);
    expect(row.source).toBe('reconcile');

    // a dry run can be tried on the stored reconciliation event (read as an update: the mirror it was compared
    // with then is not known any more), and backtests scan such events
    const draft = {
      name: 'Сверка: черновик',
      trigger: { source: 'amocrm', events: ['lead.updated'], changedFields: [] },
      conditions: { all: [{ field: 'lead.status', op: 'eq', value: working[3].id }] },
      actions: [{ type: 'add_note', text: 'черновик' }],
    };
    const sentBefore = kit.ws.amo.requests().length;
    const dry = await call(`${kit.t.url}/api/v1/rules/test`, {
      token: kit.admin.token,
      body: { rule: draft, eventId },
    });
    expect(dry.status).toBe(200);
    expect(dry.body.explanations[0].outcome).toBe('matched');
    expect(dry.body.requests).toEqual([
      expect.objectContaining({ system: 'amocrm', method: 'POST', path: `/api/v4/leads/${lead.id}/notes` }),
    ]);
    const back = await call(`${kit.t.url}/api/v1/rules/backtest`, {
      token: kit.admin.token,
      body: { rule: draft, last: 200 },
    });
    expect(back.status).toBe(200);
    expect(back.body.samples.map((sample: any) => [sample.eventId, sample.outcome])).toContainEqual([
      eventId,
      'matched',
    ]);
    expect(kit.ws.amo.requests().length).toBe(sentBefore);
  });
});

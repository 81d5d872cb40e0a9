import { appQuery } from './support/amocrm';
import { call } from './support/http';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';

/**
 * Call results from LPTracker (issue #14 §4) end to end with both sandboxes, real MariaDB and Redis: a manager's
 * calls on a lead arrive as lead callbacks carrying every call so far (`calls_records`); each call is stored once
 * (repeats across deliveries skipped), linked to the amoCRM lead the sync made, and runs the rules of source
 * `lptracker` with `call.finished` — "three unanswered calls in a row → a task" fires once. A delivery that says
 * the calls changed but carries none reads `GET /lead/{id}/calls` once; other updates read nothing. A replayed
 * event stores nothing twice and repeats no action.
 */
describe('call results from LPTracker', () => {
  let kit: SyncKit;
  let leadId: number;
  let amoLeadId: number;

  const callsOf = (lpLeadId: number): Promise<any[]> =>
    appQuery(
      kit.t,
      'SELECT id, phone, result, direction, duration_seconds AS duration, operator, source, source_id AS sourceId, amocrm_lead_id AS amoLead, lptracker_lead_id AS lpLead FROM call_results WHERE lptracker_lead_id = ? ORDER BY started_at, source_id',
      [lpLeadId],
    );
  const settle = async () => {
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
  };
  const tasksOn = (id: number) => kit.ws.amo.tasks().filter((task) => task.entityId === id);

  beforeAll(async () => {
    kit = await startSyncKit();
    const rule = await call(`${kit.t.url}/api/v1/rules`, {
      token: kit.admin.token,
      body: {
        name: 'Три пропущенных',
        enabled: true,
        priority: 10,
        trigger: { source: 'lptracker', events: ['call.finished'], changedFields: [] },
        conditions: {
          all: [
            { field: 'call.result', op: 'in', value: ['missed', 'busy', 'failed'] },
            { field: 'call.missedCount', op: 'gte', value: 3 },
          ],
        },
        actions: [
          {
            type: 'create_task',
            text: 'Три звонка без ответа — перезвонить',
            dueInHours: 1,
            responsibleUserId: kit.ws.amo.managerUserId,
          },
        ],
      },
    });
    if (rule.status !== 201) throw new Error(`rule not saved: ${JSON.stringify(rule.body)}`);
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('stores each call of a lead once, linked to its amoCRM lead, and the third unanswered call makes one task', async () => {
    const lead = kit.newLead('Звонки', '+7 916 800-00-01');
    await settle();
    leadId = lead.id;
    amoLeadId = Number((await kit.links(`?lptrackerLeadId=${leadId}`)).body.items[0].amocrmLeadId);
    const staff = kit.lp().staff()[0];

    kit.lp().manager.finishCall(leadId, { duration: 0, disposition: 'NO ANSWER' });
    await settle();
    kit.lp().manager.finishCall(leadId, { duration: 0, disposition: 'NO ANSWER' });
    await settle();
    expect(await callsOf(leadId)).toHaveLength(2);
    expect(tasksOn(amoLeadId)).toEqual([]);

    const third = kit.lp().manager.finishCall(leadId, { duration: 0, disposition: 'BUSY', type: 'in' });
    await settle();
    const stored = await callsOf(leadId);
    expect(stored.map((row) => [row.result, row.direction])).toEqual([
      ['missed', 'out'],
      ['missed', 'out'],
      ['busy', 'in'],
    ]);
    expect(stored[2]).toMatchObject({
      phone: '+79168000001',
      source: 'lptracker',
      sourceId: String(third.id),
      operator: staff.name,
      amoLead: String(amoLeadId),
      lpLead: String(leadId),
    });
    expect(tasksOn(amoLeadId).map((task) => task.text)).toEqual(['Три звонка без ответа — перезвонить']);
    const [event] = (await kit.aboutLead(leadId)).slice(-1);
    expect(event.status).toBe('done');
    const [row] = await appQuery(kit.t, 'SELECT changes FROM inbox_events WHERE id = ?', [event.id]);
    expect(JSON.parse(row.changes)[0].calls).toEqual({
      created: 1,
      duplicates: 2,
      invalid: 0,
      notFinished: 0,
    });

    kit.lp().manager.finishCall(leadId, {
      duration: 95,
      disposition: 'ANSWERED',
      record: 'https://rec.example/4.mp3',
    });
    await settle();
    expect((await callsOf(leadId)).map((r) => r.result)).toEqual(['missed', 'missed', 'busy', 'answered']);
    expect(tasksOn(amoLeadId)).toHaveLength(1);

    // the third call's event replayed: nothing stored twice, the task not made again
    const events = await kit.aboutLead(leadId);
    const replay = await call(`${kit.t.url}/api/v1/events/${events[events.length - 2].id}/replay`, {
      token: kit.admin.token,
      body: { mode: 'as_received' },
    });
    expect(replay.status).toBeLessThan(300);
    await kit.finished();
    expect(await callsOf(leadId)).toHaveLength(4);
    expect(tasksOn(amoLeadId)).toHaveLength(1);
  });

  it('reads GET /lead/{id}/calls once when a delivery says the calls changed but carries none; other updates read nothing', async () => {
    kit.lp().setSettings({ callsInWebhook: false });
    try {
      kit.lp().clearRequests();
      kit.lp().manager.finishCall(leadId, { duration: 12, disposition: 'FAILED' });
      await settle();
      const route = `GET /lead/{id}/calls`;
      expect(kit.lp().requestCounts()[route]).toBe(1);
      expect((await callsOf(leadId)).map((r) => r.result)).toEqual([
        'missed',
        'missed',
        'busy',
        'answered',
        'failed',
      ]);

      kit.lp().clearRequests();
      kit.lp().manager.updateLead(leadId, { name: 'Звонки (переименован)' });
      await settle();
      expect(kit.lp().requestCounts()[route]).toBeUndefined();
      expect(await callsOf(leadId)).toHaveLength(5);
    } finally {
      kit.lp().setSettings({ callsInWebhook: true });
    }
  });

  it('lists the LPTracker calls through the API with their totals', async () => {
    const res = await call(`${kit.t.url}/api/v1/call-results?source=lptracker`, { token: kit.admin.token });
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ count: 5, answered: 1, missed: 4, durationSeconds: 107 });
    expect(res.body.items[0]).toMatchObject({
      source: 'lptracker',
      result: 'failed',
      amocrmLeadId: amoLeadId,
    });
  });
});

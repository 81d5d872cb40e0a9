import { appQuery } from './support/amocrm';
import { call } from './support/http';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';

/**
 * LPTracker refusing the data of our write fails the event at once (end to end, both sandboxes, real MariaDB and
 * Redis): a rule's update_lptracker_lead moves the lead to a stage LPTracker no longer has (removed after our
 * metadata was read) → LPTracker answers error 400 → the event is `failed` after ONE attempt, LPTracker's answer in
 * its error. A token LPTracker keeps refusing is not a refusal of the data: the event is retried through the whole
 * backoff (WEBHOOK_RETRY_DELAYS, two delays here: three attempts).
 */
describe('LPTracker refusals of the data', () => {
  let kit: SyncKit;

  const rule = async (name: string, prefix: string, stageId: number): Promise<string> => {
    const res = await call(`${kit.t.url}/api/v1/rules`, {
      token: kit.admin.token,
      body: {
        name,
        enabled: true,
        priority: 10,
        trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
        conditions: { all: [{ field: 'lptracker.name', op: 'starts_with', value: prefix }] },
        actions: [{ type: 'update_lptracker_lead', stageId }],
      },
    });
    if (res.status !== 201) throw new Error(`rule not saved: ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  };
  const disable = (id: string) =>
    call(`${kit.t.url}/api/v1/rules/${id}/disable`, { method: 'POST', token: kit.admin.token });
  const eventOf = async (
    leadId: number,
  ): Promise<{ status: string; attempts: number; lastError: string }> => {
    const [first] = await kit.aboutLead(leadId);
    const [row] = await appQuery(
      kit.t,
      'SELECT status, attempts, last_error AS lastError FROM inbox_events WHERE id = ?',
      [first.id],
    );
    return row;
  };

  beforeAll(async () => {
    kit = await startSyncKit();
  }, 120_000);

  afterAll(async () => {
    await kit?.close();
  });

  it('a stage LPTracker refuses (error 400) fails the event after one attempt, with the reason', async () => {
    const stage = kit.lp().firstProject.stages[2];
    const ruleId = await rule('Stage gone', 'Нет этапа', stage.id);
    kit.lp().removeStage(kit.projectId, stage.id); // our metadata still lists it
    kit.lp().clearRequests();
    const lead = kit.newLead('Нет этапа в LPTracker', '+7 916 800-00-01');
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();

    const event = await eventOf(lead.id);
    expect([event.status, event.attempts]).toEqual(['failed', 1]);
    expect(event.lastError).toContain(`LPTracker answered 400 to /lead/${lead.id}/funnel`);
    expect(event.lastError).toContain(`funnel ${stage.id} is not a stage`);
    const moves = kit.lp().requests({ route: 'PUT /lead/{id}/funnel' });
    expect(moves.map((request) => request.errorCode)).toEqual([400]);
    await disable(ruleId);
  }, 60_000);

  it('a token LPTracker keeps refusing is retried through the whole backoff (three attempts)', async () => {
    const stage = kit.lp().firstProject.stages[1];
    const ruleId = await rule('Token refused', 'Токен', stage.id);
    kit.lp().setSettings({ tokenIdleSec: -1 }); // every token dies at once, a fresh one too
    try {
      const lead = kit.newLead('Токен не принят', '+7 916 800-00-02');
      await kit.lp().whenDeliveriesIdle();
      await kit.finished();
      const event = await eventOf(lead.id);
      expect([event.status, event.attempts]).toEqual(['failed', 3]);
      expect(event.lastError).toContain('refused the token');
    } finally {
      kit.lp().setSettings({ tokenIdleSec: 86_400 });
    }
    await disable(ruleId);
  }, 60_000);
});

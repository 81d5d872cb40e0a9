import { MIRROR_EVENTS, subscribe } from './support/amocrm-inbound';
import { appQuery } from './support/amocrm';
import { call } from './support/http';
import { waitFor } from './support/inbox';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';

/**
 * Rules on both sides with no echo loop (issue #13 §1), both sandboxes, real MariaDB and Redis: a rule moving the
 * amoCRM stage on an LPTracker stage change and a rule moving the LPTracker stage on an amoCRM stage change. Each
 * side's own writes are recorded in that side's echo guard, so the change coming back runs no rule: the requests on
 * both sandboxes are counted and stop at the ones the first change caused.
 */
const BUSY = "SELECT COUNT(*) AS n FROM inbox_events WHERE status IN ('received', 'queued', 'processing')";

describe('Rules on both sides: no ping-pong', () => {
  let kit: SyncKit;
  const lpWrites = () =>
    kit
      .lp()
      .requests()
      .filter((request) => request.method !== 'GET' && request.route !== 'POST /login')
      .map((request) => request.route);
  const settle = async (): Promise<void> => {
    for (let round = 0; round < 4; round += 1) {
      await kit.ws.amo.whenDeliveriesIdle();
      await kit.lp().whenDeliveriesIdle();
      await waitFor(
        async () => Number((await appQuery(kit.t, BUSY, []))[0].n) === 0,
        30_000,
        'every event of both sources finished',
      );
    }
  };
  const rule = async (body: Record<string, unknown>): Promise<void> => {
    const res = await call(`${kit.t.url}/api/v1/rules`, { token: kit.admin.token, body });
    if (res.status !== 201) throw new Error(`rule not saved: ${JSON.stringify(res.body)}`);
  };

  beforeAll(async () => {
    kit = await startSyncKit();
    await subscribe(kit.t, kit.admin, MIRROR_EVENTS);
  }, 120_000);

  afterAll(async () => {
    await kit?.close();
  });

  it('an LPTracker stage change moves the amoCRM stage by rule and an amoCRM stage change moves the LPTracker stage, each once', async () => {
    const lead = kit.newLead('Петля', '+7 916 800-00-01');
    await settle();
    const [linked] = (await kit.links(`?lptrackerLeadId=${lead.id}`)).body.items;
    const amoLeadId = linked.amocrmLeadId as number;
    const main = kit.ws.amo.pipelines().find((pipeline) => pipeline.isMain)!;
    const working = main.statuses.filter((status) => status.type === 0 && ![142, 143].includes(status.id));
    const stages = kit.lp().project(kit.projectId).stages;
    await rule({
      name: 'LPTracker stage -> amoCRM',
      enabled: true,
      priority: 10,
      trigger: { source: 'lptracker', events: ['lead.stage_changed'], changedFields: [] },
      conditions: { all: [{ field: 'lptracker.stage', op: 'eq', value: stages[2].id }] },
      actions: [{ type: 'move_stage', system: 'amocrm', pipelineId: main.id, statusId: working[3].id }],
    });
    await rule({
      name: 'amoCRM stage -> LPTracker',
      enabled: true,
      priority: 20,
      trigger: { source: 'amocrm', events: ['lead.stage_changed'], changedFields: [] },
      conditions: { all: [{ field: 'lead.status', op: 'eq', value: working[2].id }] },
      actions: [{ type: 'move_stage', system: 'lptracker', stageId: stages[3].id }],
    });

    kit.ws.amo.clearRequests();
    kit.lp().clearRequests();
    kit.lp().manager.moveLead(lead.id, stages[2].id);
    await settle();
    // the sync's stage map may also write the status; the rule's move is last; nothing comes back
    expect(kit.ws.amo.lead(amoLeadId)?.status_id).toBe(working[3].id);
    const amoAfterFirst = kit.amoWrites();
    expect(amoAfterFirst.length).toBeGreaterThanOrEqual(1);
    expect(amoAfterFirst.length).toBeLessThanOrEqual(2);
    expect(amoAfterFirst.every((write) => write === 'PATCH /api/v4/leads')).toBe(true);
    // our own amoCRM write coming back is an echo: the amoCRM rule (on another status) is not even asked
    expect(lpWrites()).toEqual([]);
    expect((kit.lp().lead(lead.id) as any).stage_id).toBe(stages[2].id);

    kit.ws.amo.clearRequests();
    kit.lp().clearRequests();
    kit.ws.amo.manager.changeLeadStatus(amoLeadId, working[2].id);
    await settle();
    // the rule moved the LPTracker lead; its callback is an echo: no LPTracker rule, no amoCRM request
    expect((kit.lp().lead(lead.id) as any).stage_id).toBe(stages[3].id);
    const lp = lpWrites();
    expect(lp.filter((route) => route === 'PUT /lead/{id}/funnel').length).toBeGreaterThanOrEqual(1);
    expect(lp.length).toBeLessThanOrEqual(2);
    expect(kit.amoWrites()).toEqual([]);
    const lpEvents = (await kit.aboutLead(lead.id)).slice(-lp.length);
    expect(lpEvents.every((event) => event.skipReason === 'echo')).toBe(true);
  });
});

import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import {
  startLpTrackerSandbox,
  type LpAccountCredentials,
  type LpTrackerSandbox,
} from '../sandbox/lptracker';
import { AmocrmClient } from '../src/amocrm/client/amocrm-client';
import { LptrackerLinksService } from '../src/sync/lptracker/lptracker-links.service';
import { appQuery } from './support/amocrm';
import { MIRROR_EVENTS, subscribe } from './support/amocrm-inbound';
import { loginAdmin, type LoggedIn } from './support/auth';
import { connectWorkspace, fieldId, type ConnectedWorkspace } from './support/contacts';
import { call } from './support/http';
import { waitFor } from './support/inbox';
import { connectLptracker, lptrackerApi } from './support/lptracker';
import { lptrackerWebhook } from './support/lptracker-inbound';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * amoCRM → LPTracker back-flow end to end (both sandboxes, real MariaDB and Redis, no mocks): a manager moves a
 * linked deal in amoCRM → the LPTracker lead's stage moves; the callback LPTracker sends for our write is skipped as
 * an echo and makes no amoCRM request (requests counted on both sandboxes: no loop); a mapped field goes back the
 * same way; an unlinked deal makes no LPTracker request; the client re-logs in once for 20 concurrent calls after
 * the token expired and backs off on error 503; an incoming lead («Неразобранное») keeps its id when accepted.
 */
describe('amoCRM → LPTracker back-flow', () => {
  let amoSandbox: AmoSandbox;
  let lpSandbox: LpTrackerSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;
  let account: LpAccountCredentials;
  let projectId: number;
  let noteId: number;
  let commentId: number;
  let pipelineId: number;
  /** amoCRM status «S» mapped to LPTracker stage «В работе» (the second stage). */
  let mappedStatusId: number;
  let workStageId: number;
  /** A second pair: amoCRM status → LPTracker stage «Продажа» (the third stage). */
  let saleStatusId: number;
  let saleStageId: number;
  let linked: { lpLeadId: number; amoLeadId: number };

  const lp = () => lpSandbox.account(account.key);
  const workspaceId = (): string => admin.user.workspaceId;
  const events = async (): Promise<any[]> =>
    appQuery(
      t,
      'SELECT id, source, status, skip_reason AS skipReason, summary, last_error AS lastError FROM inbox_events WHERE workspace_id = ? ORDER BY id',
      [workspaceId()],
    );
  const finished = (): Promise<boolean> =>
    waitFor(
      async () =>
        (await events()).every((event) => !['received', 'queued', 'processing'].includes(event.status)),
      30_000,
      'every event finished',
    );
  /** Until both sandboxes have sent everything and every event they caused is processed. */
  const settle = async (): Promise<void> => {
    for (let round = 0; round < 3; round += 1) {
      await ws.amo.whenDeliveriesIdle();
      await lp().whenDeliveriesIdle();
      await finished();
    }
  };
  const lpWrites = () =>
    lp()
      .requests()
      .filter((request) => request.method !== 'GET' && request.route !== 'POST /login')
      .map((request) => request.route);
  const amoWrites = () =>
    ws.amo
      .requests()
      .filter((request) => request.method !== 'GET')
      .map((request) => `${request.method} ${request.path.split('?')[0]}`);
  const detail = async (id: string): Promise<any> =>
    (await call(`${t.url}/api/v1/events/${id}`, { token: admin.token })).body;
  const link = async (lpLeadId: number) =>
    t.app.get(LptrackerLinksService).findByLptrackerLead(workspaceId(), lpLeadId);
  const lpLead = (id: number): any => lp().lead(id);
  const customOf = (id: number, field: number): unknown =>
    lpLead(id)?.custom?.find((value: any) => value.id === field)?.value;
  const mapping = (direction: string) => `${t.url}/api/v1/mappings/${projectId}/${direction}`;

  beforeAll(async () => {
    amoSandbox = await startAmoSandbox({ rps: 1000 });
    lpSandbox = await startLpTrackerSandbox();
    t = await startTestApp({
      env: {
        AMOCRM_BASE_URL_TEMPLATE: amoSandbox.baseUrlTemplate,
        AMOCRM_RPS: '50',
        LPTRACKER_BASE_URL: lpSandbox.url,
        WEBHOOK_RETRY_DELAYS: '100ms,200ms',
      },
    });
    admin = await loginAdmin(t.url);
    ws = await connectWorkspace(t, admin, amoSandbox);
    await subscribe(t, admin, MIRROR_EVENTS);
    commentId = fieldId(ws.amo, 'leads', 'Комментарий');
    const pipeline = ws.amo.pipelines().find((candidate) => candidate.isMain)!;
    pipelineId = pipeline.id;
    const working = pipeline.statuses.filter(
      (status) => status.type === 0 && status.id !== 142 && status.id !== 143,
    );
    mappedStatusId = working[1].id;
    saleStatusId = working[2].id;
    account = lpSandbox.createAccount({ seed: true });
    projectId = lp().firstProject.id;
    workStageId = lp().firstProject.stages[1].id;
    saleStageId = lp().firstProject.stages[2].id;
    noteId = lp().addCustomField(projectId, { name: 'Комментарий менеджера', type: 'text' }).id;
    await connectLptracker(t, admin, account, projectId);
    expect((await lptrackerWebhook(t.url, admin.token, 'POST')).status).toBe(200);
    await call(`${t.url}/api/v1/connections/lptracker/metadata/refresh`, {
      method: 'POST',
      token: admin.token,
    });
    // amoCRM → LPTracker: status S → stage «В работе», «Комментарий» → «Комментарий менеджера»
    const current = await call(mapping('amocrm_to_lptracker'), { token: admin.token });
    expect(current.status).toBe(200);
    const document = current.body.document;
    document.stageMap = [
      { lptrackerStageId: workStageId, amocrmPipelineId: pipelineId, amocrmStatusId: mappedStatusId },
      { lptrackerStageId: saleStageId, amocrmPipelineId: pipelineId, amocrmStatusId: saleStatusId },
    ];
    document.lines = [
      { source: `lead.custom.${commentId}`, target: `lead.custom.${noteId}`, transform: { type: 'trim' } },
    ];
    const saved = await call(mapping('amocrm_to_lptracker'), {
      method: 'PUT',
      token: admin.token,
      body: document,
    });
    expect(saved.status).toBe(200);
    // a lead made by a manager in LPTracker arrives in amoCRM (the LPTracker → amoCRM sync) and is linked
    const lead = lp().manager.createLead({
      name: 'Кухня на заказ',
      contact: {
        project_id: projectId,
        name: 'Мария',
        details: [{ type: 'phone', data: '+7 916 200-30-40' }],
      },
    }) as { id: number };
    await settle();
    const made = await link(lead.id);
    expect(made).not.toBeNull();
    linked = { lpLeadId: lead.id, amoLeadId: made!.amocrmLeadId };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await lpSandbox?.close();
    await amoSandbox?.close();
  });

  it('a stage move in amoCRM moves the LPTracker lead; its callback is an echo with no amoCRM request (no loop)', async () => {
    const before = (await events()).length;
    ws.amo.clearRequests();
    lp().clearRequests();
    ws.amo.manager.changeLeadStatus(linked.amoLeadId, mappedStatusId);
    await settle();

    expect(lpLead(linked.lpLeadId).stage_id).toBe(workStageId);
    expect(lpWrites()).toEqual(['PUT /lead/{id}/funnel']);
    expect(amoWrites()).toEqual([]);
    const after = (await events()).slice(before);
    const amoEvents = after.filter((event) => event.source === 'amocrm');
    expect(amoEvents.length).toBeGreaterThan(0);
    expect(amoEvents.every((event) => event.status === 'done')).toBe(true);
    const lpEvents = after.filter((event) => event.source === 'lptracker');
    expect(lpEvents).toHaveLength(1);
    expect(lpEvents[0]).toEqual(expect.objectContaining({ status: 'skipped', skipReason: 'echo' }));

    const steps = (
      await Promise.all(amoEvents.map(async (event) => (await detail(event.id)).history.at(-1).steps))
    ).flat();
    expect(steps.map((step: { name: string }) => step.name)).toContain(
      `LPTracker: PUT /lead/${linked.lpLeadId}/funnel`,
    );
    const row = await link(linked.lpLeadId);
    expect(row).toEqual(
      expect.objectContaining({
        lptrackerStageId: workStageId,
        amocrmStatusId: mappedStatusId,
        lastDirection: 'amocrm_to_lptracker',
      }),
    );
    // nothing moves afterwards: both sandboxes stay quiet
    await settle();
    expect(lpWrites()).toEqual(['PUT /lead/{id}/funnel']);
    expect(amoWrites()).toEqual([]);
  });

  it('a mapped field changed in amoCRM is written to the LPTracker lead once (one PUT), its callback an echo', async () => {
    ws.amo.clearRequests();
    lp().clearRequests();
    ws.amo.manager.updateLead(linked.amoLeadId, {
      custom_fields_values: [{ field_id: commentId, values: [{ value: 'перезвонить в пятницу' }] }],
    });
    await settle();
    expect(customOf(linked.lpLeadId, noteId)).toBe('перезвонить в пятницу');
    expect(lpWrites()).toEqual(['PUT /lead/{id}']);
    expect(amoWrites()).toEqual([]);
    const last = (await events()).filter((event) => event.source === 'lptracker').at(-1);
    expect(last).toEqual(expect.objectContaining({ status: 'skipped', skipReason: 'echo' }));
  });

  it('an amoCRM change of an unmapped field makes no LPTracker request', async () => {
    lp().clearRequests();
    ws.amo.manager.updateLead(linked.amoLeadId, { price: 125_000 });
    await settle();
    expect(lpWrites()).toEqual([]);
  });

  it('a stage move of a deal not linked to LPTracker makes no LPTracker request', async () => {
    const deal = ws.amo.manager.createLead({ name: 'Сделка без LPTracker' });
    await settle();
    lp().clearRequests();
    ws.amo.manager.changeLeadStatus(deal.id, mappedStatusId);
    await settle();
    expect(
      lp()
        .requests()
        .filter((request) => request.route !== 'POST /login'),
    ).toEqual([]);
    const last = (await events()).filter((event) => event.source === 'amocrm').at(-1);
    expect(last.status).toBe('done');
  });

  it('a stage move whose amoCRM webhook was lost is written back by reconciliation', async () => {
    const hook = `${t.url}/api/v1/connections/amocrm/webhook`;
    expect((await call(hook, { method: 'DELETE', token: admin.token })).status).toBe(200);
    try {
      ws.amo.manager.changeLeadStatus(linked.amoLeadId, saleStatusId);
      await settle();
      expect(lpLead(linked.lpLeadId).stage_id).toBe(workStageId); // nothing arrived
      lp().clearRequests();
      const reconcile = `${t.url}/api/v1/connections/amocrm/reconcile`;
      const before = (await call(reconcile, { token: admin.token })).body.lastRunAt;
      expect((await call(reconcile, { token: admin.token, body: {} })).status).toBe(202);
      await waitFor(async () => {
        const state = (await call(reconcile, { token: admin.token })).body;
        return state.lastRunAt !== before && !state.running && state.lastSuccessAt !== null;
      }, 30_000);
      await settle();
      expect(lpLead(linked.lpLeadId).stage_id).toBe(saleStageId);
      expect(lpWrites()).toEqual(['PUT /lead/{id}/funnel']);
      const last = (await events()).filter((event) => event.source === 'lptracker').at(-1);
      expect(last).toEqual(expect.objectContaining({ status: 'skipped', skipReason: 'echo' }));
    } finally {
      await subscribe(t, admin, MIRROR_EVENTS);
    }
  }, 60_000);

  it('after the token expired, 20 concurrent lead calls log in again exactly once', async () => {
    expect(lp().expireTokens()).toBeGreaterThan(0);
    lp().clearRequests();
    const api = lptrackerApi(t, workspaceId(), 'sync');
    const answers = await Promise.all(Array.from({ length: 20 }, () => api.getLead(linked.lpLeadId)));
    expect(answers.every((lead) => lead.stageId === lpLead(linked.lpLeadId).stage_id)).toBe(true);
    expect(lp().requestCounts({ route: 'POST /login' })).toEqual({ 'POST /login': 1 });
    const reads = lp().requests({ route: 'GET /lead/{id}' });
    expect(reads.filter((entry) => entry.errorCode === null)).toHaveLength(20);
  }, 60_000);

  it('backs off after error 503 and then succeeds', async () => {
    lp().setSettings({ rps: 1 }); // stricter than our 3 per second
    lp().clearRequests();
    try {
      const api = lptrackerApi(t, workspaceId(), 'sync');
      const answers = await Promise.all(Array.from({ length: 4 }, () => api.getLead(linked.lpLeadId)));
      expect(answers.every((lead) => lead.id === linked.lpLeadId)).toBe(true);
      const reads = lp().requests({ route: 'GET /lead/{id}' });
      expect(reads.filter((entry) => entry.errorCode === 503).length).toBeGreaterThan(0);
      expect(reads.filter((entry) => entry.errorCode === null)).toHaveLength(4);
    } finally {
      lp().setSettings({ rps: 3 });
    }
  }, 90_000);

  it('an incoming lead («Неразобранное») keeps its id when a manager accepts it; the link and the back-flow follow it', async () => {
    // an LPTracker lead our callback does not see (removed meanwhile), linked to an incoming amoCRM lead
    expect((await lptrackerWebhook(t.url, admin.token, 'DELETE')).status).toBe(200);
    const lead = lp().manager.createLead({
      name: 'Заявка с формы',
      contact: {
        project_id: projectId,
        name: 'Олег',
        details: [{ type: 'phone', data: '+7 916 300-40-50' }],
      },
    }) as { id: number };
    await settle();
    expect((await lptrackerWebhook(t.url, admin.token, 'POST')).status).toBe(200);
    const amo = t.app.get(AmocrmClient).forWorkspace(workspaceId(), 'interactive');
    const [created] = await amo.unsorted.createForms([
      {
        source_uid: `lptracker-${lead.id}`,
        source_name: 'LPTracker: Сайт',
        pipeline_id: pipelineId,
        metadata: {
          form_id: 'lptracker',
          form_name: 'Заявка',
          form_page: 'romashka-demo.ru',
          form_sent_at: 1,
        },
        _embedded: { leads: [{ name: 'Заявка с формы' }], contacts: [{ name: 'Олег' }] },
      },
    ]);
    const incoming = ws.amo.lead(created.leadId)!;
    expect(
      ws.amo
        .pipelines()
        .find((p) => p.id === pipelineId)!
        .statuses.find((s) => s.id === incoming.status_id)!.type,
    ).toBe(1);
    expect((await amo.unsorted.list()).map((item) => item.uid)).toContain(created.uid);
    await t.app.get(LptrackerLinksService).insert({
      workspaceId: workspaceId(),
      projectId,
      lptrackerLeadId: lead.id,
      amocrmLeadId: created.leadId,
      createdAs: 'unsorted',
      amocrmPipelineId: pipelineId,
      amocrmStatusId: incoming.status_id,
      lptrackerStageId: lpLead(lead.id).stage_id,
    });
    await settle();
    lp().clearRequests();

    const accepted = await call(
      `${amoSandbox.url}/__sandbox/accounts/${ws.account.subdomain}/manager/unsorted/${created.uid}/accept`,
      { method: 'POST', body: { status_id: mappedStatusId } },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.id).toBe(created.leadId);
    await settle();
    expect(ws.amo.lead(created.leadId)!.status_id).toBe(mappedStatusId);
    expect(lpLead(lead.id).stage_id).toBe(workStageId);
    expect(lpWrites()).toEqual(['PUT /lead/{id}/funnel']);
    const row = await link(lead.id);
    expect(row).toEqual(expect.objectContaining({ amocrmLeadId: created.leadId, createdAs: 'unsorted' }));
    expect((await amo.unsorted.list()).map((item) => item.uid)).not.toContain(created.uid);
  }, 60_000);

  // last: it disconnects LPTracker
  it('with LPTracker disconnected, a stage move of a linked deal makes no LPTracker request and the event is done', async () => {
    const disconnected = await call(`${t.url}/api/v1/connections/lptracker`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(disconnected.status).toBeLessThan(300);
    lp().clearRequests();
    ws.amo.manager.changeLeadStatus(linked.amoLeadId, mappedStatusId);
    await settle();
    expect(lp().requests()).toEqual([]);
    const last = (await events()).filter((event) => event.source === 'amocrm').at(-1);
    expect(last.status).toBe('done');
    const page = await detail(last.id);
    expect(JSON.stringify(page.history.at(-1).steps)).toContain('LPTracker is not connected');
    expect(JSON.stringify(page)).toContain('LPTracker is not usable');
  });
});

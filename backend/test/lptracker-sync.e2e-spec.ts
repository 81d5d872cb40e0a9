import { LptrackerEchoGuardService } from '../src/sync/lptracker/lptracker-echo-guard.service';
import { appQuery } from './support/amocrm';
import { type LoggedIn } from './support/auth';
import { type ConnectedWorkspace } from './support/contacts';
import { call } from './support/http';
import { deliver } from './support/inbox';
import { lptrackerWebhook, type CustomerHook } from './support/lptracker-inbound';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';
import type { TestApp } from './support/test-app';

/**
 * LPTracker → amoCRM sync end to end: leads made by a manager in the LPTracker sandbox arrive through our callback
 * and the inbox, and land in the amoCRM sandbox (real MariaDB and Redis, no mocks): contact + lead with the mapped
 * custom field, the link and the mirror rows; updates write only the mapped fields they touch (custom field, stage
 * map, user map) on the existing deal; unmapped changes, echoes, older replays and deletes write nothing; two
 * deliveries of one new lead at once make one amoCRM lead; «Неразобранное»; retries. The links API has its own
 * spec (lptracker-sync-links).
 */
describe('LPTracker → amoCRM sync', () => {
  let kit: SyncKit;
  let t: TestApp;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;
  let projectId: number;
  let customer: CustomerHook;
  let hookUrl: string;
  let budgetId: number;
  let unmappedId: number;

  const lp = () => kit.lp();
  const finished = () => kit.finished();
  const aboutLead = (leadId: number) => kit.aboutLead(leadId);
  const detail = (id: string) => kit.detail(id);
  const links = (query: string) => kit.links(query);
  const newLead = (name: string, phone: string, custom: Record<string, unknown> = {}) =>
    kit.newLead(name, phone, custom);
  const commentOf = (amoLeadId: number) => kit.commentOf(amoLeadId);
  const amoWrites = () => kit.amoWrites();

  beforeAll(async () => {
    kit = await startSyncKit();
    ({ t, admin, ws, projectId, customer, hookUrl, budgetId, unmappedId } = kit);
  });

  afterAll(async () => {
    await kit?.close();
  });

  let first: { lpLeadId: number; amoLeadId: number };
  let updateEventId: string;

  it('a new LPTracker lead makes one amoCRM contact and lead (mapped field, link, mirror rows) in one leads/complex request', async () => {
    ws.amo.clearRequests();
    const lead = newLead('Окна в дом', '8 (916) 555-12-34', { [budgetId]: '  150 000 ₽ ' });
    await lp().whenDeliveriesIdle();
    await finished();
    const [event] = await aboutLead(lead.id);
    expect(event.status).toBe('done');

    const amoLeads = ws.amo.leads().filter((candidate) => candidate.name === 'Окна в дом');
    expect(amoLeads).toHaveLength(1);
    expect(commentOf(amoLeads[0].id)).toBe('150 000 ₽');
    const contacts = ws.amo
      .contacts()
      .filter((contact) => JSON.stringify(contact.custom_fields_values).includes('+79165551234'));
    expect(contacts).toHaveLength(1);
    expect((amoLeads[0] as any)._embedded?.contacts?.[0]?.id ?? contacts[0].id).toBe(contacts[0].id);
    // requests for one new lead: the contact looked up by phone and by e-mail, then one leads/complex
    const requests = ws.amo.requests().map((request) => `${request.method} ${request.path.split('?')[0]}`);
    expect(requests.filter((request) => request === 'POST /api/v4/leads/complex')).toHaveLength(1);
    expect(amoWrites()).toHaveLength(1);
    expect(requests.length).toBeLessThanOrEqual(3);

    const found = await links(`?lptrackerLeadId=${lead.id}`);
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(1);
    const link = found.body.items[0];
    expect(link).toEqual(
      expect.objectContaining({
        projectId,
        lptrackerLeadId: lead.id,
        amocrmLeadId: amoLeads[0].id,
        leadName: 'Окна в дом',
        contactName: 'Пётр Иванов',
        phone: '+79165551234',
        createdAs: 'lead',
        lastDirection: 'lptracker_to_amocrm',
      }),
    );
    expect(link.amocrmStatus).toEqual(expect.objectContaining({ statusId: amoLeads[0].status_id }));
    const mirrorLead = await appQuery(
      t,
      'SELECT id, contact_id AS contactId FROM leads WHERE amocrm_id = ?',
      [amoLeads[0].id],
    );
    expect(mirrorLead).toEqual([{ id: link.leadId, contactId: link.contactId }]);
    const mirrorContact = await appQuery(t, 'SELECT amocrm_id AS amocrmId FROM contacts WHERE id = ?', [
      link.contactId,
    ]);
    expect(mirrorContact).toEqual([{ amocrmId: String(contacts[0].id) }]);

    const trace = await detail(event.id);
    const names = trace.history[trace.history.length - 1].steps.map((step: { name: string }) => step.name);
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mapping: version \d+$/),
        'contact: none found, created with the lead',
        'amoCRM: create the contact and lead (leads/complex)',
        'link: save',
      ]),
    );
    first = { lpLeadId: lead.id, amoLeadId: amoLeads[0].id };
  });

  it('an update of the mapped field writes it to the existing amoCRM deal (one PATCH), the link remembers it', async () => {
    ws.amo.clearRequests();
    lp().manager.updateLead(first.lpLeadId, { custom: { [budgetId]: '200 000 ₽' } });
    await lp().whenDeliveriesIdle();
    await finished();
    const about = await aboutLead(first.lpLeadId);
    expect(about[about.length - 1].status).toBe('done');
    updateEventId = about[about.length - 1].id;
    expect(commentOf(first.amoLeadId)).toBe('200 000 ₽');
    expect(amoWrites()).toEqual(['PATCH /api/v4/leads']);
    expect(ws.amo.leads().filter((candidate) => candidate.name === 'Окна в дом')).toHaveLength(1);
  });

  it('a stage change in LPTracker moves the amoCRM lead to the status the stage map names', async () => {
    const path = kit.mappingUrl;
    const current = (await call(path, { token: admin.token })).body.document;
    const stage = lp().project(projectId).stages[1];
    const main = ws.amo.pipelines().find((pipeline) => pipeline.isMain)!;
    const target = main.statuses.filter((status) => status.type === 0 && ![142, 143].includes(status.id))[1];
    const stageMap = [
      ...current.stageMap.filter((row: { lptrackerStageId: number }) => row.lptrackerStageId !== stage.id),
      { lptrackerStageId: stage.id, amocrmPipelineId: main.id, amocrmStatusId: target.id },
    ];
    expect(
      (await call(path, { method: 'PUT', token: admin.token, body: { ...current, stageMap } })).status,
    ).toBe(200);
    ws.amo.clearRequests();
    lp().manager.moveLead(first.lpLeadId, stage.id);
    await lp().whenDeliveriesIdle();
    await finished();
    const about = await aboutLead(first.lpLeadId);
    expect(about[about.length - 1].status).toBe('done');
    expect(ws.amo.lead(first.amoLeadId)!.status_id).toBe(target.id);
    const link = (await links(`?lptrackerLeadId=${first.lpLeadId}`)).body.items[0];
    expect(link.lptrackerStage.id).toBe(stage.id);
    expect(link.amocrmStatus).toEqual(expect.objectContaining({ pipelineId: main.id, statusId: target.id }));
    expect(amoWrites()).toEqual(['PATCH /api/v4/leads']);
  });

  it('an owner change in LPTracker sets the amoCRM responsible user the user map names', async () => {
    const path = kit.mappingUrl;
    const current = (await call(path, { token: admin.token })).body.document;
    const person = lp().staff()[0];
    const userMap = [{ lptrackerOwnerId: person.id, amocrmUserId: ws.amo.managerUserId }];
    expect(
      (await call(path, { method: 'PUT', token: admin.token, body: { ...current, userMap } })).status,
    ).toBe(200);
    expect(ws.amo.lead(first.amoLeadId)!.responsible_user_id).not.toBe(ws.amo.managerUserId);
    ws.amo.clearRequests();
    lp().manager.updateLead(first.lpLeadId, { owner: person.id });
    await lp().whenDeliveriesIdle();
    await finished();
    const about = await aboutLead(first.lpLeadId);
    expect(about[about.length - 1].status).toBe('done');
    expect(ws.amo.lead(first.amoLeadId)!.responsible_user_id).toBe(ws.amo.managerUserId);
    const [mirror] = await appQuery(
      t,
      'SELECT responsible_user_id AS userId FROM leads WHERE amocrm_id = ?',
      [first.amoLeadId],
    );
    expect(Number(mirror.userId)).toBe(ws.amo.managerUserId);
    expect(amoWrites()).toEqual(['PATCH /api/v4/leads']);
  });

  it('a change of an unmapped field is skipped as filtered with no amoCRM request', async () => {
    ws.amo.clearRequests();
    lp().manager.updateLead(first.lpLeadId, { custom: { [unmappedId]: 'позвонить завтра' } });
    await lp().whenDeliveriesIdle();
    await finished();
    const about = await aboutLead(first.lpLeadId);
    const last = about[about.length - 1];
    expect(last.status).toBe('skipped');
    expect(last.skipReason).toBe('filtered');
    const run = (await detail(last.id)).history.at(-1);
    expect(run.skipped).toEqual([
      expect.objectContaining({
        reason: 'filtered',
        detail: expect.stringContaining('No mapped field changed'),
      }),
    ]);
    expect(ws.amo.requests()).toEqual([]);
  });

  it('our own write to LPTracker coming back (recorded in the LPTracker echo guard) is skipped as echo, no amoCRM request', async () => {
    // as the back-flow does after writing the lead in LPTracker
    await t.app
      .get(LptrackerEchoGuardService)
      .recordWrite(admin.user.workspaceId, first.lpLeadId, { custom: { [budgetId]: '300 000 ₽' } });
    ws.amo.clearRequests();
    lp().manager.updateLead(first.lpLeadId, { custom: { [budgetId]: '300 000 ₽' } });
    await lp().whenDeliveriesIdle();
    await finished();
    const about = await aboutLead(first.lpLeadId);
    expect(about[about.length - 1].skipReason).toBe('echo');
    expect(commentOf(first.amoLeadId)).toBe('200 000 ₽');
    expect(ws.amo.requests()).toEqual([]);
  });

  it('replaying an older change (as received) after newer ones were applied writes nothing', async () => {
    ws.amo.clearRequests();
    const replay = await call(`${t.url}/api/v1/events/${updateEventId}/replay`, {
      method: 'POST',
      token: admin.token,
      body: { mode: 'as_received' },
    });
    expect(replay.status).toBe(202);
    await finished();
    const run = (await detail(updateEventId)).history.at(-1);
    expect(run.skipped).toEqual([
      expect.objectContaining({ reason: 'filtered', detail: expect.stringContaining('older change') }),
    ]);
    expect(ws.amo.requests()).toEqual([]);
    expect(commentOf(first.amoLeadId)).toBe('200 000 ₽');
  });

  it('a second LPTracker lead of the same phone gets a new amoCRM lead on the existing contact, with the mapped field', async () => {
    ws.amo.clearRequests();
    const lead = newLead('Балкон', '+7 916 555 12 34', { [budgetId]: '90 000 ₽' });
    await lp().whenDeliveriesIdle();
    await finished();
    expect((await aboutLead(lead.id))[0].status).toBe('done');
    const [amoLead] = ws.amo.leads().filter((candidate) => candidate.name === 'Балкон');
    expect(commentOf(amoLead.id)).toBe('90 000 ₽');
    const link = (await links(`?amocrmLeadId=${amoLead.id}`)).body.items[0];
    const firstLink = (await links(`?lptrackerLeadId=${first.lpLeadId}`)).body.items[0];
    expect(link.lptrackerLeadId).toBe(lead.id);
    expect(link.contactId).toBe(firstLink.contactId);
    expect(amoWrites()).toEqual(['POST /api/v4/leads']);
  });

  it('two deliveries of one new lead processed at once (two events) make one amoCRM lead', async () => {
    // our callback off, so the lead reaches only the customer's URL; then its payload arrives twice at once
    expect((await lptrackerWebhook(t.url, admin.token, 'DELETE')).status).toBe(200);
    const lead = newLead('Дверь', '+7 916 777 00 11', { [budgetId]: '10 000 ₽' });
    await lp().whenDeliveriesIdle();
    const [sent] = lp()
      .deliveries()
      .filter((delivery) => delivery.leadId === lead.id && delivery.url === customer.url);
    const body = JSON.parse(sent.payload);
    const at = Number(body.action_timestamp);
    const answers = await Promise.all(
      [at, at + 1].map((stamp) => deliver(hookUrl, { ...body, action_timestamp: stamp })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await finished();
    const about = await aboutLead(lead.id);
    expect(about).toHaveLength(2);
    expect(about.map((event) => event.status).sort()).toEqual(['done', 'skipped']);
    expect(ws.amo.leads().filter((candidate) => candidate.name === 'Дверь')).toHaveLength(1);
    expect((await links(`?lptrackerLeadId=${lead.id}`)).body.total).toBe(1);
    expect((await lptrackerWebhook(t.url, admin.token, 'POST')).status).toBe(200);
  });

  it('with createAs unsorted a new lead goes to amoCRM «Неразобранное» (one leads/unsorted/forms), linked as unsorted', async () => {
    const path = kit.mappingUrl;
    const current = (await call(path, { token: admin.token })).body.document;
    expect(
      (await call(path, { method: 'PUT', token: admin.token, body: { ...current, createAs: 'unsorted' } }))
        .status,
    ).toBe(200);
    ws.amo.clearRequests();
    const lead = newLead('Кухня', '+7 916 333 22 11', { [budgetId]: '5 000 ₽' });
    await lp().whenDeliveriesIdle();
    await finished();
    expect((await aboutLead(lead.id))[0].status).toBe('done');
    const link = (await links(`?lptrackerLeadId=${lead.id}`)).body.items[0];
    expect(link.createdAs).toBe('unsorted');
    const unsorted = await call(`${kit.amoSandbox.url}/__sandbox/accounts/${ws.account.subdomain}/unsorted`);
    const record = unsorted.body.items.find(
      (item: any) => item.source_uid === `lptracker:${projectId}:${lead.id}`,
    );
    expect(record._embedded.leads.map((item: { id: number }) => item.id)).toEqual([link.amocrmLeadId]);
    expect(commentOf(link.amocrmLeadId)).toBe('5 000 ₽');
    const amoLead = ws.amo.lead(link.amocrmLeadId)!;
    const incoming = ws.amo
      .pipelines()
      .flatMap((pipeline) => pipeline.statuses)
      .find((status) => status.id === amoLead.status_id);
    expect(incoming?.type).toBe(1);
    expect(link.amocrmStatus.statusId).toBe(amoLead.status_id);
    expect(amoWrites()).toEqual(['POST /api/v4/leads/unsorted/forms']);
    expect((await call(path, { method: 'PUT', token: admin.token, body: current })).status).toBe(200);
  });

  it('a lead without a usable phone or e-mail gets a new contact (nothing to match on), said in the trace', async () => {
    const res = await deliver(hookUrl, {
      id: 990_001,
      project_id: projectId,
      action: 'create',
      action_timestamp: Date.now(),
      name: 'Без телефона',
      contact: { name: 'Аноним', contacts: [{ type: 'phone', data: '12' }] },
    });
    expect(res.status).toBe(200);
    await finished();
    const [event] = await aboutLead(990_001);
    expect(event.status).toBe('done');
    expect(ws.amo.leads().filter((lead) => lead.name === 'Без телефона')).toHaveLength(1);
    const names = (await detail(event.id)).history.at(-1).steps.map((step: { name: string }) => step.name);
    expect(names).toContain('contact: no valid phone or e-mail to match on: a new contact is made');
  });

  it('amoCRM failing for a moment is retried: one lead in the end', async () => {
    // more failures in a row than the client retries within one call: the event itself is retried
    ws.amo.injectFault({ kind: 503, count: 4 });
    const lead = newLead('Сбой', '+7 916 444 55 66');
    await lp().whenDeliveriesIdle();
    await finished();
    const [event] = await appQuery(t, 'SELECT status, attempts FROM inbox_events WHERE id = ?', [
      (await aboutLead(lead.id))[0].id,
    ]);
    expect(event).toEqual({ status: 'done', attempts: 2 });
    expect(ws.amo.leads().filter((candidate) => candidate.name === 'Сбой')).toHaveLength(1);
  });

  it('a delete in LPTracker is recorded and skipped; the amoCRM lead stays', async () => {
    ws.amo.clearRequests();
    lp().manager.deleteLead(first.lpLeadId);
    await lp().whenDeliveriesIdle();
    await finished();
    const about = await aboutLead(first.lpLeadId);
    expect(about[about.length - 1].skipReason).toBe('filtered');
    expect(ws.amo.lead(first.amoLeadId)).toBeDefined();
    expect(amoWrites()).toEqual([]);
  });

  it('the sync never asks LPTracker to place a call (no lead written to LPTracker, no callback)', () => {
    expect(lp().callbackCalls()).toEqual([]);
    const writes = lp()
      .requests()
      .filter((request) => request.method !== 'GET' && !['POST /login'].includes(request.route));
    expect(writes.filter((request) => /lead/.test(request.route))).toEqual([]);
  });
});

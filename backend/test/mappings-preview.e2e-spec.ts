import { appQuery } from './support/amocrm';
import { call } from './support/http';
import { waitFor } from './support/inbox';
import {
  fieldErrors,
  mappingDoc as doc,
  mappingLine as line,
  startMappingsWorld,
  type MappingsWorld,
} from './support/mappings-world';

/** The mapping editor's live preview on a real LPTracker callback from the sandbox (nothing written). */
describe('LPTracker field mappings: preview', () => {
  let w: MappingsWorld;
  const url = (path = '') => `${w.t.url}/api/v1/mappings${path}`;
  const get = async (path: string) => (await call(url(path), { token: w.admin.token })).body;

  beforeAll(async () => {
    w = await startMappingsWorld();
  });

  afterAll(async () => {
    await w?.close();
  });

  it('previews an unsaved mapping on the newest real LPTracker event of the project, in both directions', async () => {
    const preview = (direction: string, body: unknown) =>
      call(url(`/${w.projectId}/${direction}/preview`), { method: 'POST', token: w.admin.token, body });
    const document = doc({
      lines: [
        line('contact.phone', 'contact.phone', { type: 'phone' }),
        line('view.campaign', `lead.custom.${w.campaignField}`, { type: 'trim' }),
        line(null, 'lead.name', { type: 'template', template: 'LP: {contact.name} / {view.campaign}' }),
      ],
    });
    expect((await preview('lptracker_to_amocrm', { document })).status).toBe(404); // no event yet
    const registered = await call(`${w.t.url}/api/v1/connections/lptracker/webhook`, {
      method: 'POST',
      token: w.admin.token,
    });
    expect(registered.status).toBe(200);
    const lead = w.lpSandbox.account(w.lpAccount.key).manager.createLead({
      name: 'Окна',
      view: { source: 'yandex', campaign: 'зима-2026', keyword: 'окна' },
      contact: {
        project_id: w.projectId,
        name: 'Пётр',
        details: [{ type: 'phone', data: '8 (916) 555-12-34' }],
      },
    }) as { id: number };
    const stored = () =>
      appQuery(w.t, "SELECT id FROM inbox_events WHERE workspace_id = ? AND source = 'lptracker'", [
        w.admin.user.workspaceId,
      ]);
    await waitFor(async () => (await stored()).length > 0, 20_000, 'the LPTracker callback stored');

    const res = await preview('lptracker_to_amocrm', { document });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ eventId: (await stored())[0].id, leadId: lead.id });
    expect(res.body.plan).toMatchObject({
      contact: { phones: ['+79165551234'] },
      lead: {
        name: 'LP: Пётр / зима-2026',
        customFields: [{ fieldId: w.campaignField, values: [{ value: 'зима-2026' }] }],
      },
      problems: [],
    });
    const named = await preview('lptracker_to_amocrm', { document, eventId: res.body.eventId });
    expect([named.status, named.body.leadId]).toEqual([200, lead.id]);
    const unknown = await preview('lptracker_to_amocrm', {
      document,
      eventId: '00000000-0000-7000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
    // the unsaved document was not saved
    expect((await get(`/${w.projectId}/lptracker_to_amocrm`)).document).not.toEqual(document);

    const main = w.amo.pipelines().find((pipeline) => pipeline.isMain)!;
    const firstStage = main.statuses.find((status) => status.name === 'Первичный контакт')!;
    const lpStage = w.lpSandbox.account(w.lpAccount.key).firstProject.stages[1];
    const back = await preview('amocrm_to_lptracker', {
      document: doc({
        lines: [line('contact.name', 'lead.name')],
        stageMap: [
          { lptrackerStageId: lpStage.id, amocrmPipelineId: main.id, amocrmStatusId: firstStage.id },
        ],
      }),
    });
    expect(back.status).toBe(200);
    // the amoCRM lead the current mapping makes of the event starts in the first stage: mapped back to lpStage
    expect(back.body.plan).toMatchObject({ stageId: lpStage.id, name: 'Пётр', problems: [] });

    const bad = await preview('lptracker_to_amocrm', { document: { lines: 'x' }, eventId: 'nope' });
    expect([bad.status, fieldErrors(bad.body)]).toEqual([400, [['eventId', 'isUuid']]]);
    const badDocument = await preview('lptracker_to_amocrm', { document: { lines: 'x' } });
    expect([badDocument.status, fieldErrors(badDocument.body)]).toEqual([
      400,
      [['document.lines', 'isArray']],
    ]);
  });
});

import type { Pipeline } from '../sandbox/amocrm';
import { appQuery } from './support/amocrm';
import { api, fieldId, sandboxContactsWithPhone, type ConnectedWorkspace } from './support/contacts';
import { startLeadsWorld, type LeadsWorld } from './support/leads-world';
import type { TestApp } from './support/test-app';

/** Refusals (bad input, amoCRM refusing a write), PATCH and a paused amoCRM: leads-refusals-updates.e2e-spec.ts. */
describe('leads API: find-or-create with reuse of open leads, leads/complex, listing', () => {
  let world: LeadsWorld;
  let t: TestApp;
  let ws: ConnectedWorkspace;
  let main: Pipeline;
  let second: Pipeline;
  const post = (body: unknown, key = ws.managerKey) => api(t, key, '/api/v1/leads', { body });
  const ageMirror = (leadId: string) =>
    appQuery(t, 'UPDATE leads SET synced_at = NOW(3) - INTERVAL 1 HOUR WHERE id = ?', [leadId]);

  beforeAll(async () => {
    world = await startLeadsWorld();
    ({ t, ws, main, second } = world);
  });

  afterAll(async () => {
    await world?.close();
  });

  it('creates a new contact and its lead in one leads/complex call, then reuses the open lead', async () => {
    ws.amo.clearRequests();
    const created = await post({
      name: 'Заявка с сайта',
      contact: { name: 'Пётр', phone: '+7 916 111-00-01' },
      price: 1500,
      tags: ['сайт'],
    });
    expect(created.status).toBe(201);
    const firstStage = main.statuses.filter((status) => status.type === 0).sort((a, b) => a.sort - b.sort)[0];
    expect(created.body).toMatchObject({
      name: 'Заявка с сайта',
      created: true,
      pipelineId: main.id,
      pipeline: main.name,
      statusId: firstStage.id,
      status: firstStage.name,
      isOpen: true,
      price: 1500,
      tags: ['сайт'],
      source: 'api',
      contact: { name: 'Пётр', phone: '+79161110001', created: true, source: 'api' },
    });
    expect(created.body.contactId).toBe(created.body.contact.id);
    const writes = ws.amo.requests({ method: 'POST' });
    expect(writes.map((entry) => entry.path)).toEqual(['/api/v4/leads/complex']);
    const lead = ws.amo.lead(created.body.amocrmId)!;
    expect(lead._embedded.contacts?.map((contact) => contact.id)).toEqual([created.body.contact.amocrmId]);
    expect(lead.price).toBe(1500);

    const again = await post({ name: '  заявка С САЙТА ', contact: { name: 'Пётр', phone: '89161110001' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: created.body.id,
      created: false,
      contact: { id: created.body.contact.id, created: false },
    });
    expect(ws.amo.leads().filter((candidate) => candidate.name === 'Заявка с сайта')).toHaveLength(1);
  });

  it('serialises concurrent identical lead calls: one lead, one contact', async () => {
    const answers = await Promise.all(
      Array.from({ length: 15 }, () =>
        post({ name: 'Звонок', contact: { name: 'Гость', phone: '+79161110009' } }),
      ),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
    expect(ws.amo.leads().filter((lead) => lead.name === 'Звонок')).toHaveLength(1);
    expect(sandboxContactsWithPhone(ws.amo, '+79161110009')).toHaveLength(1);
  });

  it('creates a new lead for another name, and for a won or lost lead with the same name', async () => {
    const base = await post({
      name: 'Повторная продажа',
      contact: { name: 'Ирина', email: 'irina@example.ru' },
    });
    expect(base.status).toBe(201);
    const contactId = base.body.contact.id;

    const otherName = await post({ name: 'Другая сделка', contactId });
    expect(otherName.status).toBe(201);
    expect(otherName.body.id).not.toBe(base.body.id);
    expect(ws.amo.requests({ method: 'POST', pathPrefix: '/api/v4/leads' }).at(-1)?.path).toBe(
      '/api/v4/leads',
    );
    expect(ws.amo.lead(otherName.body.amocrmId)!._embedded.contacts?.map((contact) => contact.id)).toEqual([
      base.body.contact.amocrmId,
    ]);

    // A manager wins the lead in amoCRM; the mirror still says open but is no longer trusted (older row).
    ws.amo.manager.changeLeadStatus(base.body.amocrmId, 142);
    await ageMirror(base.body.id);
    const afterWon = await post({ name: 'Повторная продажа', contactId });
    expect(afterWon.status).toBe(201);
    expect(afterWon.body.id).not.toBe(base.body.id);
    const refreshed = await api(t, ws.viewerKey, `/api/v1/leads/${base.body.id}`);
    expect(refreshed.body).toMatchObject({ statusId: 142, isOpen: false });

    // A lost lead with the name, created by a manager in amoCRM (the mirror never saw it), is not reused either.
    const name = 'Проигранная';
    ws.amo.manager.createLead({
      name,
      status_id: 143,
      pipeline_id: main.id,
      _embedded: { contacts: [{ id: base.body.contact.amocrmId }] },
    });
    const afterLost = await post({ name, contactId });
    expect(afterLost.status).toBe(201);
    expect(ws.amo.leads().filter((lead) => lead.name === name)).toHaveLength(2);
  });

  it('reuses an open lead that exists only in amoCRM (not in the mirror) and mirrors it', async () => {
    const contact = ws.amo.manager.createContact({
      name: 'Из amoCRM',
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '8 916 111-00-02' }] }],
    });
    const lead = ws.amo.manager.createLead({
      name: 'Ручная сделка',
      pipeline_id: second.id,
      _embedded: { contacts: [{ id: contact.id }] },
    });
    const res = await post({ name: 'Ручная сделка', contact: { name: 'x', phone: '+79161110002' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      amocrmId: lead.id,
      created: false,
      pipelineId: second.id,
      source: 'amocrm',
      contact: { amocrmId: contact.id, created: false },
    });
    expect(ws.amo.leads().filter((candidate) => candidate.name === 'Ручная сделка')).toHaveLength(1);
  });

  it('puts a lead in the pipeline and status asked for, with custom fields', async () => {
    const stage = second.statuses.find((status) => status.type === 0)!;
    const source = ws.amo.leadFields().find((field) => field.name === 'Источник заявки')!;
    const services = ws.amo.leadFields().find((field) => field.name === 'Услуги')!;
    const seats = fieldId(ws.amo, 'leads', 'Количество мест');
    const consent = fieldId(ws.amo, 'leads', 'Согласие на обработку ПД');
    const res = await post({
      name: 'С полями',
      contact: { name: 'Поля', phone: '+79161110003' },
      pipelineId: second.id,
      statusId: stage.id,
      customFields: [
        { fieldId: source.id, values: [{ enumId: source.enums![2].id }] },
        {
          fieldId: services.id,
          values: [{ enumId: services.enums![0].id }, { value: services.enums![1].value }],
        },
        { fieldId: seats, values: [{ value: '12' }] },
        { fieldId: consent, values: [{ value: true }] },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ pipelineId: second.id, statusId: stage.id, status: stage.name });
    const stored = ws.amo.lead(res.body.amocrmId)!;
    expect(stored.status_id).toBe(stage.id);
    const values = (id: number) =>
      stored.custom_fields_values!.find((field) => field.field_id === id)?.values;
    expect(values(source.id)?.map((item) => item.enum_id)).toEqual([source.enums![2].id]);
    expect(values(services.id)?.map((item) => item.enum_id)).toEqual([
      services.enums![0].id,
      services.enums![1].id,
    ]);
    expect(values(seats)).toEqual([{ value: '12' }]);
    expect(values(consent)).toEqual([{ value: true }]);
  });

  it('lists leads from the mirror by status, pipeline, contact and name; viewers read but cannot write', async () => {
    const list = await api(t, ws.viewerKey, `/api/v1/leads?pipelineId=${main.id}&limit=100`);
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((lead: { pipelineId: number }) => lead.pipelineId === main.id)).toBe(true);
    const won = await api(t, ws.viewerKey, '/api/v1/leads?statusId=142');
    expect(
      won.body.items.every(
        (lead: { statusId: number; status: string }) =>
          lead.statusId === 142 && lead.status === 'Успешно реализовано',
      ),
    ).toBe(true);
    const lead = list.body.items[0];
    const byContact = await api(t, ws.viewerKey, `/api/v1/leads?contactId=${lead.contactId}`);
    expect(
      byContact.body.items.every((item: { contactId: string }) => item.contactId === lead.contactId),
    ).toBe(true);
    const search = await api(t, ws.viewerKey, `/api/v1/leads?search=${encodeURIComponent('сайт')}`);
    expect(search.body.items.map((item: { name: string }) => item.name)).toContain('Заявка с сайта');
    expect((await api(t, ws.viewerKey, '/api/v1/leads?contactId=nope')).status).toBe(400);
    expect((await api(t, ws.viewerKey, `/api/v1/leads/${lead.id}`)).body.id).toBe(lead.id);
    expect((await post({ name: 'x', contactId: lead.contactId }, ws.viewerKey)).status).toBe(403);
    expect(
      (await api(t, ws.viewerKey, `/api/v1/leads/${lead.id}`, { method: 'PATCH', body: { name: 'x' } }))
        .status,
    ).toBe(403);
  });
});

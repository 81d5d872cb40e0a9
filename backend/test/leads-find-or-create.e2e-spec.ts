import { startAmoSandbox, type AmoSandbox, type Pipeline } from '../sandbox/amocrm';
import { AmocrmMetadataService } from '../src/amocrm/metadata/amocrm-metadata.service';
import { appQuery, startAmocrmTestApp } from './support/amocrm';
import { loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import {
  api,
  connectWorkspace,
  fieldId,
  sandboxContactsWithPhone,
  type ConnectedWorkspace,
} from './support/contacts';
import type { TestApp } from './support/test-app';

describe('leads API: find-or-create with reuse of open leads, leads/complex, validation, updates', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;
  let main: Pipeline;
  let second: Pipeline;
  const post = (body: unknown, key = ws.managerKey) => api(t, key, '/api/v1/leads', { body });
  const patch = (id: string, body: unknown) =>
    api(t, ws.managerKey, `/api/v1/leads/${id}`, { method: 'PATCH', body });
  const ageMirror = (leadId: string) =>
    appQuery(t, 'UPDATE leads SET synced_at = NOW(3) - INTERVAL 1 HOUR WHERE id = ?', [leadId]);

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    t = await startAmocrmTestApp(sandbox);
    admin = await loginAdmin(t.url);
    ws = await connectWorkspace(t, admin, sandbox);
    [main, second] = [
      ws.amo.pipelines().find((pipeline) => pipeline.isMain)!,
      ws.amo.pipelines().find((pipeline) => !pipeline.isMain)!,
    ];
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
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

  it('refuses invalid leads with a 400 naming the field, and another workspace’s contact with 404', async () => {
    const contact = (await post({ name: 'База', contact: { name: 'База', phone: '+79161110004' } })).body
      .contact;
    const source = ws.amo.leadFields().find((field) => field.name === 'Источник заявки')!;
    const seats = fieldId(ws.amo, 'leads', 'Количество мест');
    const before = ws.amo.leads().length;
    const expectField = async (body: Record<string, unknown>, field: string) => {
      const res = await post({ contactId: contact.id, ...body });
      expect([
        JSON.stringify(body),
        res.status,
        res.body.errors?.map((error: { field: string }) => error.field),
      ]).toEqual([JSON.stringify(body), 400, expect.arrayContaining([field])]);
    };
    await expectField({ name: '' }, 'name');
    await expectField({ name: 'x'.repeat(256) }, 'name');
    await expectField({ name: 'x', pipelineId: 1 }, 'pipelineId');
    await expectField({ name: 'x', statusId: 1 }, 'statusId');
    const otherStage = second.statuses.find((status) => status.type === 0)!;
    await expectField({ name: 'x', pipelineId: main.id, statusId: otherStage.id }, 'statusId');
    await expectField(
      { name: 'x', customFields: [{ fieldId: 42, values: [{ value: 'a' }] }] },
      'customFields[0].fieldId',
    );
    await expectField(
      { name: 'x', customFields: [{ fieldId: source.id, values: [{ enumId: 7 }] }] },
      'customFields[0].values[0].enumId',
    );
    await expectField(
      { name: 'x', customFields: [{ fieldId: seats, values: [{ value: 'много' }] }] },
      'customFields[0].values[0].value',
    );
    await expectField({ name: 'x', price: -1 }, 'price');
    const both = await post({
      name: 'x',
      contactId: contact.id,
      contact: { name: 'y', phone: '+79161110005' },
    });
    expect([both.status, both.body.errors[0].field]).toEqual([400, 'contactId']);
    const neither = await post({ name: 'x' });
    expect(neither.status).toBe(400);
    expect(neither.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'contactId',
      'contact',
    ]);
    const badPhone = await post({ name: 'x', statusId: 1, contact: { name: 'y', phone: '123' } });
    expect(badPhone.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'statusId',
      'contact.phone',
    ]);
    expect(ws.amo.leads()).toHaveLength(before);

    const other = await secondWorkspace(t.url, admin, 'Leads elsewhere');
    const foreign = await fetch(`${t.url}/api/v1/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Чужой контакт', contactId: contact.id }),
    });
    expect(foreign.status).toBe(404);
  });

  it('says the contact was saved when amoCRM refuses the lead after the contact was found there', async () => {
    const metadata = await t.app.get(AmocrmMetadataService).getMetadata(admin.user.workspaceId);
    metadata!.leadFields.push({
      id: 888_888,
      name: 'Удалённое поле',
      code: null,
      type: 'text',
      sort: 1,
      enums: null,
    });
    try {
      const contact = ws.amo.manager.createContact({
        name: 'Найден',
        custom_fields_values: [{ field_code: 'EMAIL', values: [{ value: 'found@example.ru' }] }],
      });
      const res = await post({
        name: 'Не создастся',
        contact: { name: 'x', email: 'found@example.ru' },
        customFields: [{ fieldId: 888_888, values: [{ value: 'a' }] }],
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        failed: 'lead',
        contact: { amocrmId: contact.id, email: 'found@example.ru' },
      });
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'customFields[0].fieldId' })]);
      expect(res.body.detail).toContain('saved');
      const mirrored = await api(t, ws.viewerKey, '/api/v1/contacts?email=found@example.ru');
      expect(mirrored.body.items[0].id).toBe(res.body.contact.id);

      // Both new: refused in leads/complex as a whole; nothing is written anywhere.
      ws.amo.clearRequests();
      const none = await post({
        name: 'Тоже нет',
        contact: { name: 'x', phone: '+79161110006' },
        customFields: [{ fieldId: 888_888, values: [{ value: 'a' }] }],
      });
      expect(none.status).toBe(422);
      expect(none.body.amocrmErrors[0].path).toBe('custom_fields_values.0.field_id');
      expect(ws.amo.requests({ method: 'POST' }).map((entry) => entry.path)).toEqual([
        '/api/v4/leads/complex',
      ]);
      expect(sandboxContactsWithPhone(ws.amo, '+79161110006')).toHaveLength(0);
      expect((await api(t, ws.viewerKey, '/api/v1/contacts?phone=%2B79161110006')).body.total).toBe(0);
    } finally {
      metadata!.leadFields.pop();
    }
  });

  it('maps amoCRM errors about the embedded contact of leads/complex to contact.* fields', async () => {
    const metadata = await t.app.get(AmocrmMetadataService).getMetadata(admin.user.workspaceId);
    metadata!.contactFields.push({
      id: 777_777,
      name: 'Нет в amoCRM',
      code: null,
      type: 'text',
      sort: 1,
      enums: null,
    });
    try {
      const res = await post({
        name: 'Сделка',
        contact: {
          name: 'x',
          phone: '+79161110007',
          customFields: [{ fieldId: 777_777, values: [{ value: 'a' }] }],
        },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((error: { field: string }) => error.field)).toEqual([
        'contact.customFields[0].fieldId',
      ]);
    } finally {
      metadata!.contactFields.pop();
    }
  });

  it('PATCH moves, renames and prices a lead, replaces tags or adds them with read-merge-write', async () => {
    const created = await post({
      name: 'Редактируемая',
      contact: { name: 'Ред', phone: '+79161110008' },
      tags: ['a'],
    });
    const stage = second.statuses.find((status) => status.type === 0)!;
    const source = ws.amo.leadFields().find((field) => field.name === 'Источник заявки')!;
    const moved = await patch(created.body.id, {
      name: 'Переименована',
      pipelineId: second.id,
      statusId: stage.id,
      price: 900,
      customFields: [{ fieldId: source.id, values: [{ enumId: source.enums![0].id }] }],
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      name: 'Переименована',
      pipelineId: second.id,
      statusId: stage.id,
      status: stage.name,
      price: 900,
    });
    expect(ws.amo.lead(created.body.amocrmId)).toMatchObject({
      name: 'Переименована',
      pipeline_id: second.id,
      status_id: stage.id,
      price: 900,
    });

    // a status of another pipeline than the lead's: 400
    const wrong = await patch(created.body.id, {
      statusId: main.statuses.find((status) => status.type === 0)!.id,
    });
    expect([wrong.status, wrong.body.errors[0].field]).toEqual([400, 'statusId']);
    expect((await patch(created.body.id, { statusId: 142 })).body).toMatchObject({
      statusId: 142,
      isOpen: false,
    });

    // a manager adds a tag in amoCRM; addTags keeps it
    ws.amo.manager.updateLead(created.body.amocrmId, {
      _embedded: { tags: [{ name: 'a' }, { name: 'от менеджера' }] },
    });
    const added = await patch(created.body.id, { addTags: ['b', 'A'] });
    expect(added.status).toBe(200);
    const tagNames = () =>
      ws.amo
        .lead(created.body.amocrmId)!
        ._embedded.tags.map((tag) => tag.name)
        .sort();
    expect(tagNames()).toEqual(['a', 'b', 'от менеджера']);
    expect(added.body.tags).toEqual(['a', 'от менеджера', 'b']);
    const replaced = await patch(created.body.id, { tags: ['только'] });
    expect(replaced.body.tags).toEqual(['только']);
    expect(tagNames()).toEqual(['только']);
    expect((await patch(created.body.id, { tags: ['x'], addTags: ['y'] })).status).toBe(400);
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

  it('while amoCRM is paused, lead writes answer 503 with Retry-After and write nothing; reads still work', async () => {
    const owner = await secondWorkspace(t.url, admin, 'Paused leads');
    const paused = await connectWorkspace(t, owner, sandbox);
    const before = await api(t, paused.managerKey, '/api/v1/leads', {
      body: { name: 'До', contact: { name: 'До', phone: '+79161110010' } },
    });
    expect(before.status).toBe(201);
    await appQuery(t, 'UPDATE leads SET synced_at = NOW(3) - INTERVAL 1 HOUR WHERE workspace_id = ?', [
      owner.user.workspaceId,
    ]);
    paused.amo.block();
    const blocked = await api(t, paused.managerKey, '/api/v1/leads', {
      body: { name: 'После', contactId: before.body.contact.id },
    });
    expect(blocked.status).toBe(503);
    expect(blocked.headers.get('retry-after')).toBeTruthy();
    const newContact = await api(t, paused.managerKey, '/api/v1/leads', {
      body: { name: 'После', contact: { name: 'Новый', phone: '+79161110011' } },
    });
    expect(newContact.status).toBe(503);
    const patched = await api(t, paused.managerKey, `/api/v1/leads/${before.body.id}`, {
      method: 'PATCH',
      body: { name: 'x' },
    });
    expect(patched.status).toBe(503);
    const [{ leads, contacts }] = await appQuery(
      t,
      'SELECT (SELECT COUNT(*) FROM leads WHERE workspace_id = ?) AS leads, (SELECT COUNT(*) FROM contacts WHERE workspace_id = ?) AS contacts',
      [owner.user.workspaceId, owner.user.workspaceId],
    );
    expect([Number(leads), Number(contacts)]).toEqual([1, 1]);
    const read = await api(t, paused.viewerKey, `/api/v1/leads/${before.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('До');
    expect((await api(t, paused.viewerKey, '/api/v1/leads')).body.total).toBe(1);
  });
});

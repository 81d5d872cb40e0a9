import type { AmoSandbox, Pipeline } from '../sandbox/amocrm';
import { AmocrmMetadataService } from '../src/amocrm/metadata/amocrm-metadata.service';
import { appQuery } from './support/amocrm';
import { secondWorkspace, type LoggedIn } from './support/auth';
import {
  api,
  connectWorkspace,
  fieldId,
  sandboxContactsWithPhone,
  type ConnectedWorkspace,
} from './support/contacts';
import { startLeadsWorld, type LeadsWorld } from './support/leads-world';
import type { TestApp } from './support/test-app';

/** Find-or-create, leads/complex and the list: leads-find-or-create.e2e-spec.ts. */
describe('leads API: validation, amoCRM refusing a write, updates, a paused amoCRM', () => {
  let world: LeadsWorld;
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;
  let main: Pipeline;
  let second: Pipeline;
  const post = (body: unknown, key = ws.managerKey) => api(t, key, '/api/v1/leads', { body });
  const patch = (id: string, body: unknown) =>
    api(t, ws.managerKey, `/api/v1/leads/${id}`, { method: 'PATCH', body });

  beforeAll(async () => {
    world = await startLeadsWorld();
    ({ sandbox, t, admin, ws, main, second } = world);
  });

  afterAll(async () => {
    await world?.close();
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

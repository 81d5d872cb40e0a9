import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { AmocrmMetadataService } from '../src/amocrm/metadata/amocrm-metadata.service';
import { appQuery, startAmocrmTestApp } from './support/amocrm';
import { loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import {
  api,
  connectWorkspace,
  fieldId,
  sandboxContactsWithPhone,
  sandboxValues,
  type ConnectedWorkspace,
} from './support/contacts';
import type { TestApp } from './support/test-app';

describe('contacts API: find-or-create without duplicates, mirror reads, read-merge-write updates', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;
  const post = (body: unknown, key = ws.managerKey) => api(t, key, '/api/v1/contacts', { body });

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    t = await startAmocrmTestApp(sandbox);
    admin = await loginAdmin(t.url);
    ws = await connectWorkspace(t, admin, sandbox);
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('creates exactly one amoCRM contact for 50 concurrent identical calls: one 201, the rest 200, all one id', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => post({ name: 'Иван Петров', phone: '+7 916 123-45-67' })),
    );
    expect(answers.map((res) => res.status).sort()).toEqual([...Array(49).fill(200), 201].sort());
    const ids = new Set(answers.map((res) => res.body.id));
    expect(ids.size).toBe(1);
    expect(new Set(answers.map((res) => res.body.amocrmId)).size).toBe(1);
    expect(answers.filter((res) => res.body.created === true)).toHaveLength(1);
    expect(sandboxContactsWithPhone(ws.amo, '+79161234567')).toHaveLength(1);
    const created = answers.find((res) => res.status === 201)!.body;
    expect(created).toMatchObject({
      name: 'Иван Петров',
      phone: '+79161234567',
      phones: ['+79161234567'],
      source: 'api',
      created: true,
    });
    expect(created.syncedAt).toBeTruthy();
    expect(ws.amo.contact(created.amocrmId)?.name).toBe('Иван Петров');
  });

  it('treats +7 916 123-45-67, 89161234567 and 9161234567 as one contact', async () => {
    const first = await post({ name: 'Анна', phone: '+7 916 200-00-01' });
    expect(first.status).toBe(201);
    for (const phone of ['89162000001', '9162000001', '8 (916) 200 00 01']) {
      const again = await post({ name: 'Анна', phone });
      expect([phone, again.status, again.body.id]).toEqual([phone, 200, first.body.id]);
    }
    expect(sandboxContactsWithPhone(ws.amo, '+79162000001')).toHaveLength(1);
  });

  it('finds a contact stored in amoCRM as "8 (916) 123-45-67", mirrors it and does not duplicate it', async () => {
    const existing = ws.amo.manager.createContact({
      name: 'Уже в amoCRM',
      custom_fields_values: [
        { field_code: 'PHONE', values: [{ value: '8 (916) 300-00-02', enum_code: 'MOB' }] },
      ],
    });
    const res = await post({ name: 'Другое имя', phone: '+79163000002' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      amocrmId: existing.id,
      name: 'Уже в amoCRM',
      phone: '+79163000002',
      source: 'amocrm',
      created: false,
    });
    expect(sandboxContactsWithPhone(ws.amo, '+79163000002')).toHaveLength(1);
    // now in the mirror: found again without asking amoCRM
    ws.amo.clearRequests();
    expect((await post({ name: 'x', phone: '89163000002' })).body.id).toBe(res.body.id);
    expect(ws.amo.requests({ pathPrefix: '/api/v4/contacts' })).toHaveLength(0);
  });

  it('does not reuse an amoCRM contact whose phone only fuzzy-matches the query (+791640000031)', async () => {
    const lookalike = ws.amo.manager.createContact({
      name: 'Похожий номер',
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+791640000031' }] }],
    });
    ws.amo.clearRequests();
    const res = await post({ name: 'Настоящий', phone: '+7 916 400-00-03' });
    expect(res.status).toBe(201);
    expect(res.body.amocrmId).not.toBe(lookalike.id);
    // the broad search did return the look-alike: it was compared and refused
    expect(
      ws.amo
        .requests({ method: 'GET', pathPrefix: '/api/v4/contacts?' })
        .some((entry) => entry.path.includes('9164000003')),
    ).toBe(true);
    expect(ws.amo.contact(lookalike.id)?.name).toBe('Похожий номер');
  });

  it('finds or creates by e-mail, ignoring case', async () => {
    const created = await post({ name: 'Мария', email: 'Maria.Ivanova@Example.RU' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'maria.ivanova@example.ru', phone: null, created: true });
    const again = await post({ name: 'Мария', email: 'maria.ivanova@example.ru' });
    expect([again.status, again.body.id]).toEqual([200, created.body.id]);
    expect(
      ws.amo
        .contacts()
        .filter((contact) => sandboxValues(contact, 'EMAIL').includes('maria.ivanova@example.ru')),
    ).toHaveLength(1);

    const inAmo = ws.amo.manager.createContact({
      name: 'Почта в amoCRM',
      custom_fields_values: [{ field_code: 'EMAIL', values: [{ value: 'Boss@Example.ru' }] }],
    });
    const found = await post({ name: 'x', email: 'boss@example.ru' });
    expect(found.status).toBe(200);
    expect(found.body.amocrmId).toBe(inAmo.id);
  });

  it('phone wins: a contact found by phone is the contact even when its e-mail differs; both keys serialised', async () => {
    const byPhone = await post({ name: 'Олег', phone: '+79165000005', email: 'oleg@example.ru' });
    expect(byPhone.status).toBe(201);
    const other = await post({ name: 'Олег', phone: '+7 916 500-00-05', email: 'another@example.ru' });
    expect([other.status, other.body.id, other.body.email]).toEqual([
      200,
      byPhone.body.id,
      'oleg@example.ru',
    ]);
    // Phone + e-mail, the phone alone and the e-mail alone at once: never two contacts with the phone or with
    // the e-mail (the e-mail-only call may create an e-mail-only contact first; find-or-create never edits it).
    const [both, phoneOnly, emailOnly] = await Promise.all([
      post({ name: 'A', phone: '+79165000006', email: 'shared@example.ru' }),
      post({ name: 'B', phone: '+79165000006' }),
      post({ name: 'C', email: 'shared@example.ru' }),
    ]);
    expect([both.body.id === phoneOnly.body.id, both.body.id === emailOnly.body.id]).toContain(true);
    expect(sandboxContactsWithPhone(ws.amo, '+79165000006')).toHaveLength(1);
    expect(
      ws.amo.contacts().filter((contact) => sandboxValues(contact, 'EMAIL').includes('shared@example.ru')),
    ).toHaveLength(1);
  });

  it('refuses invalid input with a 400 naming the field', async () => {
    const expectField = async (body: unknown, field: string) => {
      const res = await post(body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      return res;
    };
    const source = fieldId(ws.amo, 'contacts', 'Источник клиента');
    const date = fieldId(ws.amo, 'contacts', 'Дата первого обращения');
    const phoneField = fieldId(ws.amo, 'contacts', 'PHONE');
    await expectField({ name: '', phone: '+79160000000' }, 'name');
    await expectField({ name: 'x'.repeat(256), phone: '+79160000000' }, 'name');
    await expectField({ name: 'x', phone: '12345' }, 'phone');
    await expectField({ name: 'x', phone: '+7 916 123' }, 'phone');
    const neither = await expectField({ name: 'x' }, 'phone');
    expect(neither.body.errors.map((error: { field: string }) => error.field)).toEqual(['phone', 'email']);
    await expectField({ name: 'x', email: 'not-an-email' }, 'email');
    await expectField(
      { name: 'x', phone: '+79160000000', customFields: [{ fieldId: 123456789, values: [{ value: 'a' }] }] },
      'customFields[0].fieldId',
    );
    await expectField(
      { name: 'x', phone: '+79160000000', customFields: [{ fieldId: source, values: [{ enumId: 1 }] }] },
      'customFields[0].values[0].enumId',
    );
    await expectField(
      {
        name: 'x',
        phone: '+79160000000',
        customFields: [
          { fieldId: source, values: [{ enumId: 1 }] },
          { fieldId: date, values: [{ value: 'tomorrow' }] },
        ],
      },
      'customFields[1].values[0].value',
    );
    await expectField(
      {
        name: 'x',
        phone: '+79160000000',
        customFields: [{ fieldId: phoneField, values: [{ value: '+79160000001' }] }],
      },
      'customFields[0].fieldId',
    );
    expect(sandboxContactsWithPhone(ws.amo, '+79160000000')).toHaveLength(0);
  });

  it('sets custom fields (options by id, dates from ISO) on a contact it creates', async () => {
    const source = ws.amo.contactFields().find((field) => field.name === 'Источник клиента')!;
    const date = fieldId(ws.amo, 'contacts', 'Дата первого обращения');
    const position = fieldId(ws.amo, 'contacts', 'POSITION');
    const res = await post({
      name: 'С полями',
      phone: '+79166000007',
      customFields: [
        { fieldId: source.id, values: [{ enumId: source.enums![1].id }] },
        { fieldId: date, values: [{ value: '2025-03-01' }] },
        { fieldId: position, values: [{ value: 'Директор' }] },
      ],
    });
    expect(res.status).toBe(201);
    const stored = ws.amo.contact(res.body.amocrmId)!;
    const byId = (id: number) => stored.custom_fields_values!.find((field) => field.field_id === id)?.values;
    expect(byId(source.id)).toEqual([expect.objectContaining({ enum_id: source.enums![1].id })]);
    expect(byId(date)).toEqual([{ value: Date.UTC(2025, 2, 1) / 1000 }]);
    expect(byId(position)).toEqual([{ value: 'Директор' }]);
    expect(
      res.body.customFields.find((field: { fieldId: number }) => field.fieldId === source.id).values[0],
    ).toMatchObject({
      value: source.enums![1].value,
      enumId: source.enums![1].id,
    });
  });

  it('answers amoCRM’s validation errors as 422 naming our fields', async () => {
    // The cached metadata knows a field amoCRM no longer has: our check passes, amoCRM refuses it.
    const metadata = await t.app.get(AmocrmMetadataService).getMetadata(admin.user.workspaceId);
    metadata!.contactFields.push({
      id: 999_999,
      name: 'Удалённое поле',
      code: null,
      type: 'text',
      sort: 1,
      enums: null,
    });
    const res = await post({
      name: 'x',
      phone: '+79167000008',
      email: 'x8@example.ru',
      customFields: [{ fieldId: 999_999, values: [{ value: 'a' }] }],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'customFields[0].fieldId' })]);
    expect(res.body.amocrmErrors[0].path).toBe('custom_fields_values.2.field_id');
    expect(sandboxContactsWithPhone(ws.amo, '+79167000008')).toHaveLength(0);
    expect((await api(t, ws.viewerKey, '/api/v1/contacts?phone=%2B79167000008')).body.total).toBe(0);
    metadata!.contactFields.pop();
  });

  it('reads the mirror: exact phone in any format, e-mail, search, paging, one contact; invalid phone is a 400', async () => {
    const byPhone = await api(
      t,
      ws.viewerKey,
      `/api/v1/contacts?phone=${encodeURIComponent('8 (916) 123-45-67')}`,
    );
    expect(byPhone.status).toBe(200);
    expect(byPhone.body).toMatchObject({ total: 1, page: 1, limit: 20 });
    expect(byPhone.body.items[0]).toMatchObject({ phone: '+79161234567', name: 'Иван Петров' });
    const bad = await api(t, ws.viewerKey, '/api/v1/contacts?phone=123');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('phone');
    const byEmail = await api(t, ws.viewerKey, '/api/v1/contacts?email=MARIA.IVANOVA@example.ru');
    expect(byEmail.body.items.map((item: { email: string }) => item.email)).toEqual([
      'maria.ivanova@example.ru',
    ]);
    const search = await api(
      t,
      ws.viewerKey,
      `/api/v1/contacts?search=${encodeURIComponent('Петров')}&limit=1`,
    );
    expect(search.body.items).toHaveLength(1);
    expect((await api(t, ws.viewerKey, '/api/v1/contacts?limit=101')).status).toBe(400);
    const one = await api(t, ws.viewerKey, `/api/v1/contacts/${byPhone.body.items[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(byPhone.body.items[0].id);
  });

  it('lets a viewer key read (200) but not write (403)', async () => {
    expect((await post({ name: 'x', phone: '+79168000009' }, ws.viewerKey)).status).toBe(403);
    const list = await api(t, ws.viewerKey, '/api/v1/contacts');
    expect(list.status).toBe(200);
    const id = list.body.items[0].id;
    expect(
      (await api(t, ws.viewerKey, `/api/v1/contacts/${id}`, { method: 'PATCH', body: { name: 'x' } })).status,
    ).toBe(403);
  });

  it('PATCH adds a phone with read-merge-write: phones added in amoCRM meanwhile are kept', async () => {
    const created = await post({ name: 'Слияние', phone: '+79169000010' });
    // a manager adds a phone in amoCRM; our mirror does not know it
    ws.amo.manager.updateContact(created.body.amocrmId, {
      custom_fields_values: [
        {
          field_code: 'PHONE',
          values: [{ value: '+79169000010' }, { value: '8 916 900-00-11', enum_code: 'MOB' }],
        },
      ],
    });
    const patched = await api(t, ws.managerKey, `/api/v1/contacts/${created.body.id}`, {
      method: 'PATCH',
      body: { name: 'Слияние 2', phone: '8 916 900 00 12', email: 'merge@example.ru' },
    });
    expect(patched.status).toBe(200);
    expect(sandboxValues(ws.amo.contact(created.body.amocrmId), 'PHONE')).toEqual([
      '+79169000010',
      '8 916 900-00-11',
      '+79169000012',
    ]);
    expect(sandboxValues(ws.amo.contact(created.body.amocrmId), 'EMAIL')).toEqual(['merge@example.ru']);
    expect(patched.body).toMatchObject({
      name: 'Слияние 2',
      phone: '+79169000010',
      phones: ['+79169000010', '+79169000011', '+79169000012'],
      emails: ['merge@example.ru'],
    });
    // a phone it has already is not written again
    ws.amo.clearRequests();
    const same = await api(t, ws.managerKey, `/api/v1/contacts/${created.body.id}`, {
      method: 'PATCH',
      body: { phone: '+7 916 900-00-11' },
    });
    expect(same.status).toBe(200);
    expect(ws.amo.requests({ method: 'PATCH' })).toHaveLength(0);
    expect(sandboxValues(ws.amo.contact(created.body.amocrmId), 'PHONE')).toHaveLength(3);
    expect(
      (
        await api(t, ws.managerKey, `/api/v1/contacts/${created.body.id}`, {
          method: 'PATCH',
          body: { phone: 'abc' },
        })
      ).status,
    ).toBe(400);
  });

  it('answers 404 for another workspace’s contact', async () => {
    const other = await secondWorkspace(t.url, admin, 'Contacts elsewhere');
    const mine = (await api(t, ws.viewerKey, '/api/v1/contacts')).body.items[0];
    const res = await fetch(`${t.url}/api/v1/contacts/${mine.id}`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(res.status).toBe(404);
  });

  it('while amoCRM is paused (403 block), writes answer 503 with Retry-After and write nothing; reads still work', async () => {
    const owner = await secondWorkspace(t.url, admin, 'Paused team');
    const paused = await connectWorkspace(t, owner, sandbox);
    const before = await post({ name: 'До блокировки', phone: '+79161110001' }, paused.managerKey);
    expect(before.status).toBe(201);
    paused.amo.block();

    const blocked = await post({ name: 'Новый', phone: '+79161110002' }, paused.managerKey);
    expect(blocked.status).toBe(503);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('content-type')).toContain('application/problem+json');
    const again = await post(
      { name: 'Новый', phone: '+79161110003', email: 'p3@example.ru' },
      paused.managerKey,
    );
    expect(again.status).toBe(503);
    expect(again.body.type).toContain('amocrm-paused');
    const patch = await api(t, paused.managerKey, `/api/v1/contacts/${before.body.id}`, {
      method: 'PATCH',
      body: { phone: '+79161110004' },
    });
    expect(patch.status).toBe(503);
    expect(patch.headers.get('retry-after')).toBeTruthy();

    const [{ count }] = await appQuery(t, 'SELECT COUNT(*) AS count FROM contacts WHERE workspace_id = ?', [
      owner.user.workspaceId,
    ]);
    expect(Number(count)).toBe(1);
    const list = await api(t, paused.viewerKey, '/api/v1/contacts');
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([before.body.id]);
    expect((await api(t, paused.viewerKey, `/api/v1/contacts/${before.body.id}`)).status).toBe(200);
    // a contact already in the mirror is still found (no amoCRM call needed)
    expect((await post({ name: 'До блокировки', phone: '+79161110001' }, paused.managerKey)).status).toBe(
      200,
    );
  });
});

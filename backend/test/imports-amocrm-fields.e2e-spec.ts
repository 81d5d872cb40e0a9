import { startAmoSandbox, type AmoAccountHandle, type AmoSandbox } from '../sandbox/amocrm';
import { connectLongLived, startAmocrmTestApp } from './support/amocrm';
import { loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import { sandboxContactsWithPhone } from './support/contacts';
import { call } from './support/http';
import { finished, reportOf, runAction, uploadMapped, waitForProgress } from './support/import-runs';
import { uploadFile } from './support/imports';
import type { TestApp } from './support/test-app';

jest.setTimeout(180_000);

/**
 * Imports into amoCRM (issue #14 §1): the custom fields of contacts and leads from the amoCRM metadata cache are
 * offered (GET /imports/amocrm/fields), checked when the mapping is saved (400 naming `columns.<column>`), and
 * written typed as the mapping engine converts them: numbers, dates, options by their text, yes/no.
 */
describe('imports: amoCRM custom fields (e2e, amoCRM sandbox)', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let amo: AmoAccountHandle;
  const ids = { age: 0, since: 0, city: 0, vip: 0, note: 0, file: 0 };

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    t = await startAmocrmTestApp(sandbox);
    admin = await loginAdmin(t.url);
    const account = sandbox.createAccount();
    amo = sandbox.account(account.subdomain);
    ids.age = amo.addCustomField('contacts', { name: 'Возраст', type: 'numeric' }).id;
    ids.since = amo.addCustomField('contacts', { name: 'Клиент с', type: 'date' }).id;
    ids.city = amo.addCustomField('leads', {
      name: 'Город',
      type: 'select',
      options: ['Москва', 'Казань'],
    }).id;
    ids.vip = amo.addCustomField('leads', { name: 'VIP', type: 'checkbox' }).id;
    ids.note = amo.addCustomField('leads', { name: 'Заметка', type: 'text' }).id;
    await connectLongLived(t, admin, account);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('lists the custom fields of contacts and leads a column may feed (PHONE and EMAIL left out)', async () => {
    const res = await call(`${t.url}/api/v1/imports/amocrm/fields`, { token: admin.token });
    expect(res.status).toBe(200);
    const items = res.body.items as { field: string; name: string; type: string; options: unknown }[];
    expect(items).toEqual(
      expect.arrayContaining([
        {
          field: `contact.custom.${ids.age}`,
          name: 'Возраст',
          type: 'numeric',
          entity: 'contact',
          options: null,
        },
        expect.objectContaining({ field: `contact.custom.${ids.since}`, type: 'date' }),
        expect.objectContaining({
          field: `lead.custom.${ids.city}`,
          entity: 'lead',
          options: [
            expect.objectContaining({ value: 'Москва' }),
            expect.objectContaining({ value: 'Казань' }),
          ],
        }),
        expect.objectContaining({ field: `lead.custom.${ids.vip}`, type: 'checkbox' }),
      ]),
    );
    const phoneField = amo.contactFields().find((field) => field.code === 'PHONE');
    expect(items.map((item) => item.field)).not.toContain(`contact.custom.${String(phoneField?.id)}`);
  });

  it('refuses a custom field amoCRM does not have for that entity, naming the column', async () => {
    const uploaded = await uploadFile(
      t.url,
      admin.token,
      'f.csv',
      'Телефон;Город;Возраст\n+79161110000;Москва;30',
    );
    expect(uploaded.status).toBe(201);
    const put = (columns: Record<string, string>) =>
      call(`${t.url}/api/v1/imports/${String(uploaded.body.id)}/mapping`, {
        method: 'PUT',
        token: admin.token,
        body: {
          kind: 'leads',
          target: 'amocrm',
          columns: { Телефон: 'contact.phone', ...columns },
          dedupe: 'skip',
        },
      });
    const unknown = await put({ Город: 'lead.custom.987654321' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ field: 'columns.Город', code: 'unknownField' }),
    ]);
    // a lead field named as a contact's
    const wrongEntity = await put({ Возраст: `contact.custom.${ids.city}` });
    expect(wrongEntity.status).toBe(400);
    expect(wrongEntity.body.errors).toEqual([expect.objectContaining({ field: 'columns.Возраст' })]);
    const ok = await put({ Город: `lead.custom.${ids.city}`, Возраст: `contact.custom.${ids.age}` });
    expect(ok.status).toBe(200);
  });

  it('writes the values typed into the created contacts and leads; a value that does not fit fails its row', async () => {
    const lines = [
      'Имя;Телефон;Возраст;Клиент с;Город;VIP;Заметка',
      'Анна;+79162220001;1 200,5;07.12.2026;казань;да;первая',
      'Борис;+79162220002;42;2026-01-15;Москва;нет;',
      'Вера;+79162220003;сорок;07.12.2026;Москва;да;',
      'Глеб;+79162220004;5;07.12.2026;Пермь;да;',
    ];
    const id = await uploadMapped(t.url, admin.token, lines.join('\n'), {
      kind: 'leads',
      target: 'amocrm',
      columns: {
        Имя: 'contact.name',
        Телефон: 'contact.phone',
        Возраст: `contact.custom.${ids.age}`,
        'Клиент с': `contact.custom.${ids.since}`,
        Город: `lead.custom.${ids.city}`,
        VIP: `lead.custom.${ids.vip}`,
        Заметка: `lead.custom.${ids.note}`,
      },
      dedupe: 'skip',
    });
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    const progress = await waitForProgress(t.url, admin.token, id, finished);
    expect(progress).toMatchObject({ status: 'done', created: 2, failed: 2 });
    const values = (record: { custom_fields_values?: unknown } | undefined, fieldId: number) =>
      (
        (record?.custom_fields_values ?? []) as { field_id: number; values: Record<string, unknown>[] }[]
      ).find((field) => field.field_id === fieldId)?.values;
    const anna = sandboxContactsWithPhone(amo, '+79162220001')[0];
    // amoCRM answers numbers as texts
    expect(values(anna, ids.age)).toEqual([{ value: '1200.5' }]);
    // 07.12.2026 in Moscow time (UTC+3)
    expect(values(anna, ids.since)).toEqual([{ value: Date.UTC(2026, 11, 6, 21) / 1000 }]);
    const boris = sandboxContactsWithPhone(amo, '+79162220002')[0];
    expect(values(boris, ids.since)).toEqual([{ value: Date.UTC(2026, 0, 15) / 1000 }]);
    const leadOf = (contactId: number | undefined) =>
      amo.leads().find((lead) => lead._embedded?.contacts?.some((contact) => contact.id === contactId));
    const annaLead = leadOf(anna?.id);
    const kazan = amo.leadFields().find((field) => field.id === ids.city)?.enums?.[1];
    expect(values(annaLead, ids.city)).toEqual([
      expect.objectContaining({ enum_id: kazan?.id, value: 'Казань' }),
    ]);
    expect(values(annaLead, ids.vip)).toEqual([{ value: true }]);
    expect(values(annaLead, ids.note)).toEqual([{ value: 'первая' }]);
    expect(values(leadOf(boris?.id), ids.vip)).toEqual([{ value: false }]);
    expect(sandboxContactsWithPhone(amo, '+79162220003')).toEqual([]);
    const report = await reportOf(t.url, admin.token, id);
    const byRow = new Map(report.slice(1).map((row) => [row[0], String(row.at(-1))]));
    expect(byRow.get(4)).toBe('Поле amoCRM «Возраст»: нужно число, а не «сорок»');
    expect(byRow.get(5)).toBe('Поле amoCRM «Город»: нет такого варианта, а не «Пермь»');

    // dedupe update: the existing contact gets the typed values
    const update = await uploadMapped(
      t.url,
      admin.token,
      'Телефон;Возраст;Клиент с\n+79162220001;33;01.02.2025',
      {
        kind: 'contacts',
        target: 'amocrm',
        columns: {
          Телефон: 'contact.phone',
          Возраст: `contact.custom.${ids.age}`,
          'Клиент с': `contact.custom.${ids.since}`,
        },
        dedupe: 'update',
      },
    );
    expect((await runAction(t.url, admin.token, update, 'start')).status).toBe(200);
    expect(await waitForProgress(t.url, admin.token, update, finished)).toMatchObject({
      status: 'done',
      updated: 1,
    });
    const updated = sandboxContactsWithPhone(amo, '+79162220001');
    expect(updated).toHaveLength(1);
    expect(values(updated[0], ids.age)).toEqual([{ value: '33' }]);
    expect(values(updated[0], ids.since)).toEqual([{ value: Date.UTC(2025, 0, 31, 21) / 1000 }]);
  });

  it('while amoCRM is not connected, a custom-field column is refused with 409 naming it (never 503)', async () => {
    const notConnected = (res: { status: number; body: any; headers: Headers }) => {
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.body).toMatchObject({
        type: 'urn:problem-type:import-target-not-connected',
        detail: expect.stringMatching(/Connect amoCRM first.*«Возраст»/),
        errors: [expect.objectContaining({ field: 'columns.Возраст', code: 'amocrmNotConnected' })],
      });
    };
    // saving the mapping in a workspace that never connected amoCRM
    const other = await secondWorkspace(t.url, admin, 'No amoCRM yet');
    const uploaded = await uploadFile(t.url, other.token, 'f.csv', 'Телефон;Возраст\n+79161110000;30');
    expect(uploaded.status).toBe(201);
    const put = (columns: Record<string, string>) =>
      call(`${t.url}/api/v1/imports/${String(uploaded.body.id)}/mapping`, {
        method: 'PUT',
        token: other.token,
        body: {
          kind: 'contacts',
          target: 'amocrm',
          columns: { Телефон: 'contact.phone', ...columns },
          dedupe: 'skip',
        },
      });
    notConnected(await put({ Возраст: `contact.custom.${ids.age}` }));
    expect((await put({})).status).toBe(200);

    // starting a saved mapping after amoCRM was disconnected
    const id = await uploadMapped(t.url, admin.token, 'Телефон;Возраст\n+79163330001;30', {
      kind: 'contacts',
      target: 'amocrm',
      columns: { Телефон: 'contact.phone', Возраст: `contact.custom.${ids.age}` },
      dedupe: 'skip',
    });
    const disconnected = await call(`${t.url}/api/v1/connections/amocrm`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(disconnected.status).toBe(204);
    notConnected(await runAction(t.url, admin.token, id, 'start'));
  });
});

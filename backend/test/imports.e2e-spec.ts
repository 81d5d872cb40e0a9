import * as XLSX from 'xlsx';
import { loginAdmin, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { NOT_STARTED, uploadFile, win1251, xlsxOf, zipBomb } from './support/imports';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';

/** Uploads and previews (issue #14 §1) and the hostile-file checks (§2), through the HTTP API. */
describe('imports: upload, preview, mapping, templates', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await startTestApp({ env: { IMPORT_MAX_MB: '1' } });
    admin = await loginAdmin(t.url);
  });
  afterAll(() => t?.close());

  const get = (path: string) => call(`${t.url}/api/v1/imports${path}`, { token: admin.token });
  const put = (path: string, body: unknown) =>
    call(`${t.url}/api/v1/imports${path}`, { method: 'PUT', token: admin.token, body });

  const workbook = () =>
    xlsxOf({
      Лиды: [
        ['Выгрузка за ноябрь'],
        [],
        ['Имя', 'Телефон', 'E-mail', '__proto__', 'constructor', 'Сумма'],
        // the formula's cached value (42) is not what evaluating it would give (2): only the cached one is read
        ['Анна', '+7 916 123-45-67', 'anna@example.ru', 'x', 'y', { t: 'n', v: 42, f: '1+1' }],
        ['Олег', '89161112233', 'oleg@example.ru', 'z', 'w', 7],
      ],
      Звонки: [
        ['Телефон', 'Дата звонка', 'Оператор'],
        ['+79161234567', '2026-12-01 10:00', 'Ира'],
      ],
    });

  it('previews an .xlsx: sheets, header below a title, columns, first rows, cached formula values, suggestions', async () => {
    const res = await uploadFile(t.url, admin.token, 'Лиды ноябрь.xlsx', workbook());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'uploaded',
      fileName: 'Лиды ноябрь.xlsx',
      format: 'xlsx',
      uploadedBy: TEST_ADMIN.email,
      sheets: ['Лиды', 'Звонки'],
      sheet: 'Лиды',
      headerRow: 2,
      csv: null,
      mapping: null,
    });
    expect(res.body.columns.map((c: { name: string }) => c.name)).toEqual([
      'Имя',
      'Телефон',
      'E-mail',
      '__proto__ (столбец D)',
      'constructor (столбец E)',
      'Сумма',
    ]);
    expect(res.body.sampleRows).toEqual([
      ['Анна', '+7 916 123-45-67', 'anna@example.ru', 'x', 'y', 42],
      ['Олег', '89161112233', 'oleg@example.ru', 'z', 'w', 7],
    ]);
    expect(res.body.suggestions.contacts).toEqual({
      Имя: 'contact.name',
      Телефон: 'contact.phone',
      'E-mail': 'contact.email',
    });
    expect(res.body.suggestions.leads).toMatchObject({ Сумма: 'lead.price', Телефон: 'contact.phone' });

    const again = await get(`/${res.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body.sampleRows).toEqual(res.body.sampleRows);
  });

  it('previews the sheet asked for on upload, and another one picked later', async () => {
    const res = await uploadFile(t.url, admin.token, 'book.xlsx', workbook(), '?sheet=Звонки');
    expect(res.status).toBe(201);
    expect(res.body.sheet).toBe('Звонки');
    expect(res.body.suggestions.call_results).toEqual({
      Телефон: 'call.phone',
      'Дата звонка': 'call.started_at',
      Оператор: 'call.operator',
    });

    const mapped = await put(`/${res.body.id}/mapping`, {
      kind: 'call_results',
      columns: { Телефон: 'call.phone', 'Дата звонка': 'call.started_at' },
      dedupe: 'skip',
    });
    expect(mapped.status).toBe(200);
    const picked = await put(`/${res.body.id}/sheet`, { sheet: 'Лиды' });
    expect(picked.status).toBe(200);
    expect(picked.body).toMatchObject({ sheet: 'Лиды', headerRow: 2, mapping: null });
    expect(picked.body.sampleRows[0][0]).toBe('Анна');

    const missing = await put(`/${res.body.id}/sheet`, { sheet: 'Нет такого' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'sheet', code: 'no_such_sheet' })]);
    const unknown = await uploadFile(t.url, admin.token, 'book.xlsx', workbook(), '?sheet=Нет');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('sheet');
  });

  it('reads a Windows-1251 CSV with ; and a UTF-8 CSV with , (encoding and delimiter detected)', async () => {
    const cp1251 = Buffer.from(
      new Uint8Array([
        ...win1251('Имя;Телефон;Город\r\n'),
        ...win1251('Пётр Иванов;8 916 555-12-34;Москва\r\n'),
        ...win1251('"Юлия ""Ю"" Ким";+79160000001;"Санкт-Петербург; центр"\r\n'),
      ]),
    );
    const one = await uploadFile(t.url, admin.token, 'звонки.csv', cp1251);
    expect(one.status).toBe(201);
    expect(one.body.csv).toEqual({ encoding: 'windows-1251', delimiter: ';' });
    expect(one.body.columns.map((c: { name: string }) => c.name)).toEqual(['Имя', 'Телефон', 'Город']);
    expect(one.body.sampleRows).toEqual([
      ['Пётр Иванов', '8 916 555-12-34', 'Москва'],
      ['Юлия "Ю" Ким', '+79160000001', 'Санкт-Петербург; центр'],
    ]);

    const utf8 =
      '\uFEFFName,Phone,E-mail\nAnna,+79161234567,"a,b@example.ru"\nЁжик,89160000002,e@example.ru\n';
    const two = await uploadFile(t.url, admin.token, 'leads.CSV', utf8);
    expect(two.status).toBe(201);
    expect(two.body.csv).toEqual({ encoding: 'utf-8', delimiter: ',' });
    expect(two.body.columns.map((c: { name: string }) => c.name)).toEqual(['Name', 'Phone', 'E-mail']);
    expect(two.body.sampleRows[1]).toEqual(['Ёжик', '89160000002', 'e@example.ru']);
  });

  it('previews an old .xls (BIFF8) workbook, formulas by their cached values', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.aoa_to_sheet([
        ['Телефон', 'Имя', 'Итог'],
        ['89161234567', 'Анна', { t: 'n', v: 10, f: '2+3' }],
      ]),
      'Старый',
    );
    const res = await uploadFile(
      t.url,
      admin.token,
      'old.xls',
      XLSX.write(book, { type: 'buffer', bookType: 'biff8' }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'xls', sheets: ['Старый'], headerRow: 0 });
    expect(res.body.sampleRows).toEqual([['89161234567', 'Анна', 10]]);
  });

  it('refuses a file over IMPORT_MAX_MB with 413 problem+json naming the file', async () => {
    const big = 'Имя;Телефон\n' + 'Анна;+79161234567\n'.repeat(80_000);
    const res = await uploadFile(t.url, admin.token, 'big.csv', big);
    expect(res.status).toBe(413);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.detail).toContain('1 MB');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'file', code: 'maxSize' })]);
  });

  it('refuses zip bombs with 400 before SheetJS sees them: by ratio, and when sizes lie', async () => {
    const byRatio = await uploadFile(t.url, admin.token, 'bomb.xlsx', zipBomb(50 * 1024 * 1024));
    expect(byRatio.status).toBe(400);
    expect(byRatio.contentType).toContain('application/problem+json');
    expect(byRatio.body.detail).toMatch(/zip bomb/);
    expect(byRatio.body.errors).toEqual([expect.objectContaining({ field: 'file', code: 'zip_bomb' })]);

    // declares 100 KB (under every cap), inflates to 20 MB
    const lying = await uploadFile(t.url, admin.token, 'liar.xlsx', zipBomb(20 * 1024 * 1024, 100 * 1024));
    expect(lying.status).toBe(400);
    expect(lying.body.detail).toMatch(/zip bomb/);

    const history = await get('?limit=100');
    expect(history.body.items.map((i: { fileName: string }) => i.fileName)).not.toContain('bomb.xlsx');
  });

  it('refuses wrong types: an unknown extension, content that is not what the name says, no file at all', async () => {
    const pdf = await uploadFile(t.url, admin.token, 'report.pdf', '%PDF-1.4');
    expect(pdf.status).toBe(400);
    expect(pdf.body.errors[0]).toMatchObject({ field: 'file', code: 'wrongType' });
    const renamed = await uploadFile(t.url, admin.token, 'leads.xlsx', 'Имя;Телефон\nАнна;1\n');
    expect(renamed.status).toBe(400);
    expect(renamed.body.errors[0]).toMatchObject({ field: 'file', code: 'wrongType' });
    const xls = await uploadFile(t.url, admin.token, 'old.xls', workbook());
    expect(xls.status).toBe(400);
    const none = await call(`${t.url}/api/v1/imports`, { token: admin.token, body: {} });
    expect(none.status).toBe(400);
    expect(none.body.errors[0]).toMatchObject({ field: 'file', code: 'required' });
  });

  it('saves a valid mapping and refuses bad ones with 400 naming the field', async () => {
    const { body } = await uploadFile(t.url, admin.token, 'map.xlsx', workbook());
    const ok = await put(`/${body.id}/mapping`, {
      kind: 'leads',
      columns: {
        Телефон: 'contact.phone',
        Имя: 'contact.name',
        Сумма: 'lead.price',
        'E-mail': 'contact.email',
      },
      dedupe: 'update',
      dryRun: true,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.mapping).toEqual({
      kind: 'leads',
      target: 'amocrm',
      columns: {
        Телефон: 'contact.phone',
        Имя: 'contact.name',
        Сумма: 'lead.price',
        'E-mail': 'contact.email',
      },
      dedupe: 'update',
      dryRun: true,
      projectId: null,
    });
    expect((await get(`/${body.id}`)).body.mapping.dedupe).toBe('update');

    const bad = async (mapping: unknown, field: string) => {
      const res = await put(`/${body.id}/mapping`, mapping);
      expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    const base = { kind: 'contacts', dedupe: 'skip' };
    await bad({ ...base, columns: { Нет: 'contact.phone' } }, 'columns.Нет');
    await bad({ ...base, columns: { Телефон: 'lead.nope' } }, 'columns.Телефон');
    await bad({ ...base, columns: { Телефон: 'contact.custom.abc' } }, 'columns.Телефон');
    await bad({ ...base, columns: { Имя: 'contact.name' } }, 'columns');
    await bad(
      { ...base, columns: { Телефон: 'contact.phone', Имя: 'contact.name', Сумма: 'contact.name' } },
      'columns.Сумма',
    );
    await bad({ ...base, columns: ['Телефон'] }, 'columns');
    await bad({ ...base, columns: { Телефон: { deep: 'contact.phone' } } }, 'columns');
    await bad({ ...base, columns: { Телефон: 'x'.repeat(65) } }, 'columns');
    await bad({ ...base, kind: 'deals', columns: { Телефон: 'contact.phone' } }, 'kind');
    await bad({ ...base, dedupe: 'merge', columns: { Телефон: 'contact.phone' } }, 'dedupe');
    await bad({ ...base, dryRun: 'yes', columns: { Телефон: 'contact.phone' } }, 'dryRun');
    await bad({ ...base, target: 'bitrix', columns: { Телефон: 'contact.phone' } }, 'target');
    await bad({ ...base, columns: { Телефон: 'contact.phone' }, extra: 1 }, 'extra');
    // prototype-like keys, sent as raw JSON (an object literal would not carry them)
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await call(`${t.url}/api/v1/imports/${body.id}/mapping`, {
        method: 'PUT',
        token: admin.token,
        body: `{"kind":"contacts","dedupe":"skip","columns":{"Телефон":"contact.phone","${key}":"contact.name"}}`,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('columns');
      expect(res.body.errors[0].message).toContain(key);
    }
    const topLevel = await call(`${t.url}/api/v1/imports/${body.id}/mapping`, {
      method: 'PUT',
      token: admin.token,
      body: '{"kind":"contacts","dedupe":"skip","columns":{"Телефон":"contact.phone"},"constructor":{"a":1}}',
    });
    expect(topLevel.status).toBe(400);
    expect(topLevel.body.errors[0].field).toBe('constructor');
    expect((await get(`/${body.id}`)).body.mapping.dedupe).toBe('update');
  });

  it('keeps a history (who, when, file, size, status), templates by name, and deletes an upload', async () => {
    const manager = await userWithRole(t.url, admin, 'manager');
    const csv = 'Телефон,Имя\n+79161234567,Анна\n';
    const up = await uploadFile(t.url, manager.token, 'от менеджера.csv', csv);
    expect(up.status).toBe(201);
    const history = await get('?limit=5');
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toEqual({
      id: up.body.id,
      status: 'uploaded',
      fileName: 'от менеджера.csv',
      size: Buffer.byteLength(csv),
      format: 'csv',
      uploadedBy: manager.user.email,
      uploadedAt: expect.any(String),
      ...NOT_STARTED,
    });

    const template = {
      name: 'Директ',
      kind: 'contacts',
      columns: { Телефон: 'contact.phone', Имя: 'contact.name' },
      dedupe: 'skip',
    };
    const saved = await call(`${t.url}/api/v1/imports/templates`, { token: manager.token, body: template });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({
      ...template,
      target: 'amocrm',
      dryRun: false,
      createdBy: manager.user.email,
    });
    const twice = await call(`${t.url}/api/v1/imports/templates`, { token: admin.token, body: template });
    expect(twice.status).toBe(409);
    const badField = await call(`${t.url}/api/v1/imports/templates`, {
      token: admin.token,
      body: { ...template, name: 'Другой', columns: { Телефон: 'contact.bogus' } },
    });
    expect(badField.status).toBe(400);
    expect(badField.body.errors[0].field).toBe('columns.Телефон');
    const polluted = await call(`${t.url}/api/v1/imports/templates`, {
      token: admin.token,
      body: '{"name":"П","kind":"contacts","dedupe":"skip","columns":{"__proto__":"contact.phone"}}',
    });
    expect(polluted.status).toBe(400);
    expect(polluted.body.errors[0].field).toBe('columns');
    const noName = await call(`${t.url}/api/v1/imports/templates`, {
      token: admin.token,
      body: { ...template, name: '' },
    });
    expect(noName.body.errors[0].field).toBe('name');
    const templates = await get('/templates');
    expect(templates.body.items.map((i: { name: string }) => i.name)).toEqual(['Директ']);

    const adminsUpload = await uploadFile(t.url, admin.token, 'от админа.csv', csv);
    const notTheirs = await call(`${t.url}/api/v1/imports/${adminsUpload.body.id}`, {
      method: 'DELETE',
      token: manager.token,
    });
    expect(notTheirs.status).toBe(403);
    expect((await get(`/${adminsUpload.body.id}`)).status).toBe(200);
    const byAdmin = await call(`${t.url}/api/v1/imports/${adminsUpload.body.id}`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(byAdmin.status).toBe(204);

    const deleted = await call(`${t.url}/api/v1/imports/${up.body.id}`, {
      method: 'DELETE',
      token: manager.token,
    });
    expect(deleted.status).toBe(204);
    expect((await get(`/${up.body.id}`)).status).toBe(404);

    const audit = await call(`${t.url}/api/v1/audit?action=import.&limit=100`, { token: admin.token });
    const mine = audit.body.items.filter((e: { actor: string }) => e.actor === manager.user.email);
    expect(mine.map((e: { action: string }) => e.action).sort()).toEqual([
      'import.deleted',
      'import.template_saved',
      'import.uploaded',
    ]);
    expect(mine.find((e: { action: string }) => e.action === 'import.uploaded')).toMatchObject({
      targetId: up.body.id,
      details: { fileName: 'от менеджера.csv', size: Buffer.byteLength(csv), format: 'csv' },
    });
  });
});

describe('imports: a large workbook', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t.url);
  });
  afterAll(() => t?.close());

  it('previews a workbook over 1 MB with the streaming reader: the same header, columns and rows', async () => {
    const rows: unknown[][] = [
      ['Отчёт'],
      [],
      ['Имя', 'Телефон', 'Сумма', ...Array.from({ length: 17 }, (_, i) => `Поле ${i}`)],
    ];
    for (let r = 0; r < 9000; r++)
      rows.push([
        `Клиент ${r}`,
        `+7916${String(r).padStart(7, '0')}`,
        r === 0 ? { t: 'n', v: 42, f: '1+1' } : r,
        ...Array.from({ length: 17 }, (_, i) => `значение ${r}-${i}`),
      ]);
    const file = xlsxOf({ Большой: rows, Второй: [['a']] });
    expect(file.length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await uploadFile(t.url, admin.token, 'big.xlsx', file);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sheets: ['Большой', 'Второй'], sheet: 'Большой', headerRow: 2 });
    expect(res.body.columns.slice(0, 4).map((c: { name: string }) => c.name)).toEqual([
      'Имя',
      'Телефон',
      'Сумма',
      'Поле 0',
    ]);
    expect(res.body.columns).toHaveLength(20);
    expect(res.body.sampleRows).toHaveLength(10);
    expect(res.body.sampleRows[0].slice(0, 4)).toEqual(['Клиент 0', '+79160000000', 42, 'значение 0-0']);
    expect(res.body.suggestions.contacts).toEqual({ Имя: 'contact.name', Телефон: 'contact.phone' });
    const other = await call(`${t.url}/api/v1/imports/${res.body.id}/sheet`, {
      method: 'PUT',
      token: admin.token,
      body: { sheet: 'Второй' },
    });
    expect(other.status).toBe(200);
    expect(other.body.columns.map((c: { name: string }) => c.name)).toEqual(['a']);
  });
});

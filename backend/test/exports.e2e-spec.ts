import { randomUUID } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import * as XLSX from 'xlsx';
import { loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

/** Exports of the contacts, leads and events lists (issue #14 §3): content parsed back, filters, safety. */
describe('exports of the lists (.csv and .xlsx)', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let viewer: LoggedIn;
  let db: Connection;

  // more than two pages of EXPORT_PAGE_ROWS (1,000), so the keyset paging is crossed twice
  const BULK = 2_345;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t.url);
    viewer = await userWithRole(t.url, admin, 'viewer');
    db = await createConnection({ ...t.config.db, multipleStatements: false });
    const ws = admin.user.workspaceId;
    const hostile = [
      '=HYPERLINK("http://evil")',
      '+7 916 000',
      '-1+2',
      '@SUM(A1)',
      'Анна; "кавычки"\nперенос',
    ];
    for (const [i, name] of hostile.entries())
      await insertContact(ws, {
        name,
        phone: `+7916000000${i}`,
        email: `h${i}@example.ru`,
        at: `2026-01-0${i + 1}`,
      });
    const values: unknown[] = [];
    for (let i = 0; i < BULK; i++)
      values.push(
        randomUUID(),
        ws,
        `Массовый ${String(i).padStart(5, '0')}`,
        `+7926${String(i).padStart(7, '0')}`,
      );
    await db.query(
      `INSERT INTO contacts (id, workspace_id, name, phone, phones, emails, custom_fields, source, created_at)
       VALUES ${Array.from({ length: BULK }, () => "(?, ?, ?, ?, '[]', '[]', '[]', 'api', '2025-06-01 00:00:00.000')").join(',')}`,
      values,
    );
    const contactId = await insertContact(ws, {
      name: 'С заявкой',
      phone: '+79990000001',
      email: null,
      at: '2026-02-01',
    });
    await insertLead(ws, { name: 'Кухня', statusId: 10, price: 250000, contactId, tags: ['сайт', 'кухни'] });
    await insertLead(ws, { name: '=cmd|calc', statusId: 20, price: null, contactId, tags: [] });
    await insertEvent(ws, 'failed', 'leads.status');
    await insertEvent(ws, 'done', 'contacts.add');
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  async function insertContact(
    ws: string,
    c: { name: string; phone: string; email: string | null; at: string },
  ): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO contacts (id, workspace_id, name, phone, email, phones, emails, custom_fields, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, '[]', '[]', 'api', ?)`,
      [id, ws, c.name, c.phone, c.email, JSON.stringify([c.phone]), `${c.at} 10:00:00.000`],
    );
    // the index of its phone and e-mail, as the mirror's writes keep it (the phone and e-mail filters read it)
    await db.query(
      `INSERT INTO contact_identities (workspace_id, kind, value, contact_id) VALUES (?, 'phone', ?, ?)${c.email ? ", (?, 'email', ?, ?)" : ''}`,
      [ws, c.phone, id, ...(c.email ? [ws, c.email, id] : [])],
    );
    return id;
  }

  async function insertLead(
    ws: string,
    l: { name: string; statusId: number; price: number | null; contactId: string; tags: string[] },
  ): Promise<void> {
    await db.query(
      `INSERT INTO leads (id, workspace_id, name, status_id, status, pipeline_id, price, contact_id, tags, custom_fields, source)
       VALUES (?, ?, ?, ?, 'Новая', 1, ?, ?, ?, '[]', 'api')`,
      [randomUUID(), ws, l.name, l.statusId, l.price, l.contactId, JSON.stringify(l.tags)],
    );
  }

  async function insertEvent(ws: string, status: string, type: string): Promise<void> {
    await db.query(
      `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body, summary,
         change_keys, idempotency, settings_version, mode, attempts, retries, last_error, history, processed_at)
       VALUES (?, ?, 'amocrm', ?, ?, 'application/x-www-form-urlencoded', '{}', ?, '{"account":"demo"}', '[]',
         '{"owned":[],"duplicates":[]}', 0, 'retry', 1, 0, ?, '[]', NOW(3))`,
      [randomUUID(), ws, type, status, Buffer.from('x=1'), status === 'failed' ? '=2+3 broke' : null],
    );
  }

  async function download(path: string, token = admin.token) {
    const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  /** Rows of a downloaded file (header first), read back by SheetJS. */
  function rowsOf(bytes: Buffer, format: 'csv' | 'xlsx'): unknown[][] {
    const book =
      format === 'csv'
        ? XLSX.read(bytes.toString('utf8').replace(/^\uFEFF/, ''), { type: 'string', FS: ';', raw: true })
        : XLSX.read(bytes, { type: 'buffer' });
    return XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0]], {
      header: 1,
      raw: true,
      defval: null,
    });
  }

  it.each(['csv', 'xlsx'] as const)(
    'exports every contact as .%s with Russian headers, across pages',
    async (format) => {
      const res = await download(`/api/v1/contacts/export.${format}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(format === 'csv' ? 'text/csv' : 'spreadsheetml');
      expect(res.headers.get('content-disposition')).toMatch(
        new RegExp(`attachment; filename="contacts-.*\\.${format}"`),
      );
      if (format === 'csv') expect(res.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const rows = rowsOf(res.bytes, format);
      expect(rows[0]).toEqual([
        'ID',
        'ID в amoCRM',
        'Имя',
        'Телефон',
        'E-mail',
        'Все телефоны',
        'Все e-mail',
        'Ответственный (ID)',
        'Источник',
        'Создан',
        'Изменён',
        'Сверен с amoCRM',
      ]);
      const data = rows.slice(1);
      expect(data).toHaveLength(BULK + 6);
      expect(new Set(data.map((row) => row[0])).size).toBe(BULK + 6);
      // newest first, as the list shows them
      expect(data[0][2]).toBe('С заявкой');
      expect(data[data.length - 1][2]).toMatch(/^Массовый/);
    },
  );

  it.each(['csv', 'xlsx'] as const)(
    'neutralises formula injection in .%s: text starting with = + - @ gets an apostrophe',
    async (format) => {
      const res = await download(
        `/api/v1/contacts/export.${format}?search=${encodeURIComponent('h')}&columns=name,email`,
      );
      const rows = rowsOf(res.bytes, format)
        .slice(1)
        .filter((row) => String(row[1]).startsWith('h'));
      expect(rows.map((row) => row[0]).sort()).toEqual(
        [
          "'+7 916 000",
          "'-1+2",
          '\'=HYPERLINK("http://evil")',
          "'@SUM(A1)",
          'Анна; "кавычки"\nперенос',
        ].sort(),
      );
    },
  );

  it('applies the list filters and the chosen columns, in the order asked', async () => {
    const byPhone = await download(
      '/api/v1/contacts/export.csv?phone=8%20916%20000-00-01&columns=email,name',
    );
    expect(rowsOf(byPhone.bytes, 'csv')).toEqual([
      ['E-mail', 'Имя'],
      ['h1@example.ru', "'+7 916 000"],
    ]);
    const leads = await download('/api/v1/leads/export.xlsx?statusId=10&columns=name,price,tags,status');
    expect(rowsOf(leads.bytes, 'xlsx')).toEqual([
      ['Название', 'Бюджет', 'Теги', 'Этап'],
      ['Кухня', 250000, 'сайт, кухни', 'Новая'],
    ]);
    const allLeads = await download('/api/v1/leads/export.csv?columns=name');
    expect(
      rowsOf(allLeads.bytes, 'csv')
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(["'=cmd|calc", 'Кухня']);
    const failed = await download(
      '/api/v1/events/export.xlsx?status=failed&columns=eventType,status,lastError,summary',
    );
    expect(rowsOf(failed.bytes, 'xlsx')).toEqual([
      ['Тип', 'Статус', 'Ошибка', 'Кратко'],
      ['leads.status', 'failed', "'=2+3 broke", '{"account":"demo"}'],
    ]);
    const audit = await call(`${t.url}/api/v1/audit?action=export.&limit=100`, { token: admin.token });
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'export.downloaded',
        actor: admin.user.email,
        targetType: 'leads',
        details: { format: 'xlsx', columns: ['name', 'price', 'tags', 'status'], filters: '{"statusId":10}' },
      }),
    );
    const events = await download('/api/v1/events/export.csv?columns=eventType', viewer.token);
    expect(events.status).toBe(200);
    expect(
      rowsOf(events.bytes, 'csv')
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['contacts.add', 'leads.status']);
  });

  it("exports only the caller's workspace", async () => {
    const other = await secondWorkspace(t.url, admin);
    const res = await download('/api/v1/contacts/export.xlsx', other.token);
    expect(res.status).toBe(200);
    expect(rowsOf(res.bytes, 'xlsx')).toHaveLength(1);
  });

  it('streams an export of 100,000 contacts: every row once, read line by line as it arrives', async () => {
    const other = await secondWorkspace(t.url, admin, 'Большая команда');
    const ws = other.user.workspaceId;
    const total = 100_000;
    for (let start = 0; start < total; start += 10_000) {
      const values: unknown[] = [];
      for (let i = start; i < start + 10_000; i++)
        values.push(
          randomUUID(),
          ws,
          `Контакт ${String(i).padStart(6, '0')}`,
          `+7925${String(i).padStart(7, '0')}`,
          `2025-01-01 00:00:00.${String(i % 1000).padStart(3, '0')}`,
        );
      await db.query(
        `INSERT INTO contacts (id, workspace_id, name, phone, phones, emails, custom_fields, source, created_at)
         VALUES ${Array.from({ length: 10_000 }, () => "(?, ?, ?, ?, '[]', '[]', '[]', 'api', ?)").join(',')}`,
        values,
      );
    }
    const res = await fetch(`${t.url}/api/v1/contacts/export.csv?columns=id,name,phone`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(res.status).toBe(200);
    const ids = new Set<string>();
    const names = new Set<string>();
    let lines = 0;
    let rest = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const parts = (rest + decoder.decode(chunk, { stream: true })).split('\r\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines += 1;
        if (lines === 1) continue;
        const [id, name] = line.split(';');
        ids.add(id);
        names.add(name);
      }
    }
    expect(rest).toBe('');
    expect(lines).toBe(total + 1);
    expect(ids.size).toBe(total);
    expect(names.has('Контакт 000000') && names.has('Контакт 099999')).toBe(true);
  }, 120_000);

  it('answers bad input with 400 problem+json naming the field, before any byte of a file', async () => {
    const cases: [string, string][] = [
      ['/api/v1/contacts/export.csv?columns=name,password', 'columns'],
      ['/api/v1/contacts/export.xlsx?columns=__proto__', 'columns'],
      ['/api/v1/contacts/export.csv?phone=not-a-phone', 'phone'],
      [`/api/v1/contacts/export.csv?search=${'x'.repeat(101)}`, 'search'],
      ['/api/v1/leads/export.xlsx?statusId=abc', 'statusId'],
      ['/api/v1/leads/export.csv?contactId=1', 'contactId'],
      ['/api/v1/events/export.csv?status=bogus', 'status'],
      ['/api/v1/events/export.xlsx?from=yesterday', 'from'],
      [`/api/v1/events/export.csv?columns=${'a,'.repeat(600)}`, 'columns'],
      ['/api/v1/events/export.csv?unknown=1', 'unknown'],
    ];
    for (const [path, field] of cases) {
      const res = await call(`${t.url}${path}`, { token: admin.token });
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({
        path,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

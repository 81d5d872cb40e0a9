import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { startAmocrmTestApp } from './support/amocrm';
import { loginAdmin, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { api, connectWorkspace, sandboxContactsWithPhone, type ConnectedWorkspace } from './support/contacts';
import {
  contactLines,
  finished,
  phoneOf,
  reportOf,
  runAction,
  uploadMapped,
  waitForProgress,
} from './support/import-runs';
import type { TestApp } from './support/test-app';

const CONTACTS = { Имя: 'contact.name', Телефон: 'contact.phone', 'E-mail': 'contact.email' };
const HEADER = 'Имя;Телефон;E-mail';

/**
 * Imports run in the background (issue #14 §2) into the amoCRM sandbox through the engine: a 2,000-row file end
 * to end, bad rows reported while good rows import, duplicates in the file and against the mirror, dry run,
 * report. The mirror listed first and creates of 50 at amoCRM's limit: imports-run-bulk.e2e-spec.ts.
 */
describe('imports: background run into amoCRM', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;
  const run = (csv: string, mapping: Record<string, unknown>) =>
    uploadMapped(t.url, admin.token, csv, mapping).then(async (id) => {
      const started = await runAction(t.url, admin.token, id, 'start');
      if (started.status !== 200) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
      return { id, progress: await waitForProgress(t.url, admin.token, id, finished) };
    });

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

  it('imports 2,000 contacts in batches of at most 50 per amoCRM request; bad rows and repeats are reported', async () => {
    const since = Date.now();
    const lines = [
      HEADER,
      ...contactLines(1000, 1, 'Клиент', false),
      'Плохой телефон;12;bad-phone@example.ru',
      'Плохая почта;+79169990001;not-an-email',
      'Без контактов;;',
      `Повтор;${phoneOf(5)};other@example.ru`,
      '=HYPERLINK("http://evil");+79169990002;formula@example.ru',
      ...contactLines(999, 1001, 'Клиент', false),
    ];
    const { id, progress } = await run(lines.join('\n'), {
      kind: 'contacts',
      columns: CONTACTS,
      dedupe: 'skip',
    });
    expect(progress).toMatchObject({
      status: 'done',
      totalRows: 2004,
      processed: 2004,
      created: 2000,
      updated: 0,
      skipped: 1,
      failed: 3,
      dryRun: false,
    });
    expect(progress.startedAt).toBeTruthy();
    expect(ws.amo.contacts()).toHaveLength(2000);
    expect(sandboxContactsWithPhone(ws.amo, phoneOf(5))).toHaveLength(1);
    const posts = ws.amo.requests({ method: 'POST', pathPrefix: '/api/v4/contacts', since });
    expect(posts.length).toBeGreaterThanOrEqual(40);
    // 2,000 creates in requests of at most 50: a few more requests than 40 when a batch leaves before it is full
    expect(posts.length).toBeLessThan(2000 / 5);

    const report = await reportOf(t.url, admin.token, id);
    expect(report[0]).toEqual([
      'Строка',
      'Имя',
      'Телефон',
      'E-mail',
      'Итог',
      'Контакт amoCRM',
      'Сделка amoCRM',
      'Пояснение',
    ]);
    expect(report).toHaveLength(2005);
    const byRow = new Map(report.slice(1).map((row) => [row[0], row]));
    expect(byRow.get(2)?.slice(4, 6)).toEqual([
      'создана',
      ws.amo.contacts().find((c) => c.name === 'Клиент 1')?.id,
    ]);
    expect(byRow.get(1002)?.[4]).toBe('ошибка');
    expect(byRow.get(1002)?.[7]).toMatch(/Телефон «12» не похож на номер/);
    expect(byRow.get(1003)?.[7]).toMatch(/E-mail «not-an-email» записан с ошибкой/);
    expect(byRow.get(1004)?.[7]).toBe('Нет ни телефона, ни e-mail');
    expect(byRow.get(1005)?.slice(4)).toEqual([
      'пропущена',
      null,
      null,
      'Повтор строки 6: тот же телефон или e-mail',
    ]);
    // the formula-like name went to amoCRM as text and comes back neutralised in the report
    expect(byRow.get(1006)?.[1]).toBe(`'=HYPERLINK("http://evil")`);
    expect(byRow.get(1006)?.[4]).toBe('создана');
  }, 300_000);

  it('applies the duplicate policy against the mirror: skip leaves, update writes the name, create makes no second contact', async () => {
    const existing = await api(t, ws.managerKey, '/api/v1/contacts', {
      body: { name: 'Старое имя', phone: '+79165550001' },
    });
    expect(existing.status).toBe(201);
    const csv = `${HEADER}\nНовое имя;+7 916 555-00-01;\n`;
    const skip = await run(csv, { kind: 'contacts', columns: CONTACTS, dedupe: 'skip' });
    expect(skip.progress).toMatchObject({ status: 'done', created: 0, skipped: 1 });
    expect(ws.amo.contact(existing.body.amocrmId)?.name).toBe('Старое имя');

    const create = await run(csv, { kind: 'contacts', columns: CONTACTS, dedupe: 'create' });
    expect(create.progress).toMatchObject({ status: 'done', created: 0, skipped: 1 });
    expect(sandboxContactsWithPhone(ws.amo, '+79165550001')).toHaveLength(1);

    const update = await run(csv, { kind: 'contacts', columns: CONTACTS, dedupe: 'update' });
    expect(update.progress).toMatchObject({ status: 'done', created: 0, updated: 1 });
    expect(ws.amo.contact(existing.body.amocrmId)?.name).toBe('Новое имя');
    expect((await reportOf(t.url, admin.token, update.id))[1].slice(4, 6)).toEqual([
      'обновлена',
      existing.body.amocrmId,
    ]);
    expect(sandboxContactsWithPhone(ws.amo, '+79165550001')).toHaveLength(1);

    // the history tells each run's counts, newest first
    const history = await call(`${t.url}/api/v1/imports?limit=3`, { token: admin.token });
    expect(history.status).toBe(200);
    expect(
      history.body.items.map((item: Record<string, unknown>) => [
        item.id,
        item.kind,
        item.target,
        item.status,
        [item.totalRows, item.created, item.updated, item.skipped, item.failed],
      ]),
    ).toEqual([
      [update.id, 'contacts', 'amocrm', 'done', [1, 0, 1, 0, 0]],
      [create.id, 'contacts', 'amocrm', 'done', [1, 0, 0, 1, 0]],
      [skip.id, 'contacts', 'amocrm', 'done', [1, 0, 0, 1, 0]],
    ]);
    expect(history.body.items[0]).toMatchObject({
      uploadedBy: admin.user.email,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
  }, 60_000);

  it('imports leads with their contacts; a lead for a contact already in the CRM is linked to it', async () => {
    const existing = await api(t, ws.managerKey, '/api/v1/contacts', {
      body: { name: 'Есть в CRM', phone: '+79165550002' },
    });
    const csv = [
      'Сделка;Имя;Телефон;Бюджет',
      'Окна;Новый клиент;+79165550003;15000',
      'Двери;Есть в CRM;+79165550002;2000',
      'Крыша;Повтор;+79165550003;1',
    ].join('\n');
    const { id, progress } = await run(csv, {
      kind: 'leads',
      columns: { Сделка: 'lead.name', Имя: 'contact.name', Телефон: 'contact.phone', Бюджет: 'lead.price' },
      dedupe: 'create',
    });
    expect(progress).toMatchObject({ status: 'done', created: 2, skipped: 1, failed: 0 });
    const report = await reportOf(t.url, admin.token, id);
    const doors = report.find((row) => row[1] === 'Двери')!;
    const lead = ws.amo.leads().find((l) => l.id === doors[7]);
    expect(lead).toMatchObject({ name: 'Двери', price: 2000 });
    expect(doors[6]).toBe(existing.body.amocrmId);
    expect(sandboxContactsWithPhone(ws.amo, '+79165550003')).toHaveLength(1);
    expect(ws.amo.leads().filter((l) => l.name === 'Окна')).toHaveLength(1);
  }, 60_000);

  it('a dry run says per row what would happen and writes nothing to amoCRM', async () => {
    const since = Date.now();
    const before = ws.amo.contacts().length;
    const csv = [HEADER, 'Есть;+79165550001;', 'Новый;+79165550099;', 'Плохой;1;'].join('\n');
    const { id, progress } = await run(csv, {
      kind: 'contacts',
      columns: CONTACTS,
      dedupe: 'update',
      dryRun: true,
    });
    expect(progress).toMatchObject({ status: 'done', dryRun: true, created: 1, updated: 1, failed: 1 });
    // nothing sent to amoCRM at all: no write, and no lookup either (the dry run reads the mirror)
    expect(ws.amo.requests({ since }).map((request) => `${request.method} ${request.path}`)).toEqual([]);
    expect(ws.amo.contacts()).toHaveLength(before);
    const report = await reportOf(t.url, admin.token, id);
    expect(report.slice(1).map((row) => [row[4], row[7]])).toEqual([
      ['будет обновлена', 'Проверка: контакт будет обновлён'],
      ['будет создана', 'Проверка: будет создан'],
      ['ошибка', 'Телефон «1» не похож на номер телефона'],
    ]);
  }, 60_000);
});

import { startAmoSandbox, type AmoAccountHandle, type AmoSandbox } from '../sandbox/amocrm';
import { ContactMirrorListing } from '../src/sync/contacts/contact-mirror-listing';
import { connectLongLived, startAmocrmTestApp } from './support/amocrm';
import { loginAdmin, type LoggedIn } from './support/auth';
import { sandboxContactsWithPhone } from './support/contacts';
import {
  contactLines,
  finished,
  phoneOf,
  progressOf,
  runAction,
  uploadMapped,
  waitForProgress,
} from './support/import-runs';
import type { TestApp } from './support/test-app';

const ROWS = Number(process.env.BULK_ROWS ?? 1_000);
/** Contacts amoCRM has before the import, with the phones of the file's first rows; the mirror has none of them. */
const IN_AMOCRM = 300;
/** The row whose contact a manager creates in amoCRM while the import runs. */
const LATE_ROW = ROWS;

function phoneField(phone: string): Record<string, unknown> {
  return { field_code: 'PHONE', values: [{ value: phone, enum_code: 'WORK' }] };
}

/**
 * Imports at the amoCRM limit (issue #14 §2, benchmark): before an import's rows are written the engine lists the
 * account's contacts into the mirror (pages of 250), so find-or-create trusts a mirror miss and makes no amoCRM
 * search per row; creates of 50 rows go out together. Counted, not timed. 1,000 rows by default: BULK_ROWS=10000
 * runs the size (its time goes to the local write path — mirror rows, events — not to amoCRM requests).
 */
describe('imports into amoCRM at its limit, the mirror listed first', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let amo: AmoAccountHandle;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    // amoCRM's own limit: requests wait in the limiter as in production, so creates coalesce as they do there
    t = await startAmocrmTestApp(sandbox, { env: { AMOCRM_RPS: '7' } });
    admin = await loginAdmin(t.url);
    const account = sandbox.createAccount();
    amo = sandbox.account(account.subdomain);
    // in amoCRM before the workspace is connected: no webhook brings them to the mirror
    for (let n = 1; n <= IN_AMOCRM; n += 1)
      amo.manager.createContact({
        name: `Уже в amoCRM ${n}`,
        custom_fields_values: [phoneField(phoneOf(n))],
      });
    await connectLongLived(t, admin, account);
    t.app.get(ContactMirrorListing).catchUpEveryMs = 300;
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('makes no duplicate, creates ≥ 45 contacts per request, asks amoCRM about listing pages and creates only', async () => {
    const csv = ['Имя;Телефон;E-mail', ...contactLines(ROWS, 1, 'Клиент', false)].join('\n');
    const id = await uploadMapped(t.url, admin.token, csv, {
      kind: 'contacts',
      columns: { Имя: 'contact.name', Телефон: 'contact.phone', 'E-mail': 'contact.email' },
      dedupe: 'skip',
    });
    const since = Date.now();
    const started = await runAction(t.url, admin.token, id, 'start');
    expect(started.status).toBe(200);
    // a manager creates the contact of the last row in amoCRM while the first rows are written
    await waitForProgress(t.url, admin.token, id, (p) => p.processed >= 100 || finished(p));
    expect((await progressOf(t.url, admin.token, id)).processed).toBeLessThan(ROWS / 2);
    const late = amo.manager.createContact({
      name: 'Создан в amoCRM',
      custom_fields_values: [phoneField(phoneOf(LATE_ROW))],
    });
    const progress = await waitForProgress(t.url, admin.token, id, finished);

    const created = ROWS - IN_AMOCRM - 1;
    expect(progress).toMatchObject({
      status: 'done',
      processed: ROWS,
      created,
      skipped: IN_AMOCRM + 1,
      failed: 0,
    });
    expect(amo.contacts()).toHaveLength(ROWS);
    for (const n of [1, IN_AMOCRM, IN_AMOCRM + 1, LATE_ROW])
      expect(sandboxContactsWithPhone(amo, phoneOf(n))).toHaveLength(1);
    expect(sandboxContactsWithPhone(amo, phoneOf(LATE_ROW))[0].id).toBe(late.id);

    const requests = amo.requests({ since }).map((r) => `${r.method} ${r.path}`);
    const searches = requests.filter((r) => r.includes('query='));
    const creates = requests.filter((r) => r.startsWith('POST /api/v4/contacts'));
    const fullPages = requests.filter((r) => r.startsWith('GET /api/v4/contacts') && r.includes('order'));
    const catchUps = requests.filter((r) => r.startsWith('GET /api/v4/contacts') && r.includes('updated_at'));
    expect(searches).toEqual([]);
    // 300 contacts: two pages of 250
    expect(fullPages).toHaveLength(Math.ceil(IN_AMOCRM / 250));
    expect(catchUps.length).toBeGreaterThanOrEqual(1);
    // the target: ≥ 45 at 7 rps (a rolling window of batches, and the import lane's requests wait briefly to
    // fill up to 50), against 0.9 rows per request with a search per row
    expect(created / creates.length).toBeGreaterThanOrEqual(45);
    expect(requests).toHaveLength(fullPages.length + catchUps.length + creates.length);
  }, 200_000);
});

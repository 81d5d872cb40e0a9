import { randomUUID } from 'node:crypto';
import { ContactsService } from '../src/contacts/contacts.service';
import { loginAdmin, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { TestDb } from './support/inbox';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The free-text search of the contacts list and the links list's phone filter match any of a contact's phones and
 * e-mails (#16 §2), through `contact_identities`: a contact with three phones is found by each, typed in another
 * format than stored; the name search still works; another contact is not found by them.
 */
describe('contacts search and links phone filter: any identity of a contact', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let db: TestDb;
  let contactId: string;
  let otherId: string;
  const total = async (path: string): Promise<{ status: number; total: number; ids: string[] }> => {
    const res = await call(`${t.url}${path}`, { token: admin.token });
    return {
      status: res.status,
      total: res.body?.total,
      ids: (res.body?.items ?? []).map((item: { id?: string; contactId?: string }) => item.id),
    };
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t.url);
    db = await TestDb.open(t.config.db);
    const contacts = t.app.get(ContactsService);
    const workspaceId = admin.user.workspaceId;
    const row = (amocrmId: number, name: string, phones: string[], emails: string[]) => ({
      amocrmId,
      name,
      phone: phones[0] ?? null,
      email: emails[0] ?? null,
      phones,
      emails,
      responsibleUserId: null,
      customFields: [],
      syncedAt: new Date(),
    });
    contactId = (
      await contacts.upsertMirrorRow(
        workspaceId,
        row(
          7001,
          'Анна Трифонова',
          ['+79168100001', '+79168100002', '+79168100003'],
          ['first@example.ru', 'second@example.ru'],
        ),
        'amocrm',
      )
    ).id;
    otherId = (
      await contacts.upsertMirrorRow(
        workspaceId,
        row(7002, 'Другой контакт', ['+79168100004'], ['other@example.ru']),
        'amocrm',
      )
    ).id;
    for (const [index, id] of [contactId, otherId].entries())
      await db.rows(
        `INSERT INTO lptracker_links (id, workspace_id, project_id, lptracker_lead_id, amocrm_lead_id, contact_id)
         VALUES (?, ?, 1, ?, ?, ?)`,
        [randomUUID(), workspaceId, 500 + index, 900 + index, id],
      );
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
  });

  it.each([
    ['main phone', '+7 916 810-00-01'],
    ['second phone', '8 (916) 810-00-02'],
    ['third phone', '9168100003'],
  ])('GET /api/v1/contacts?search= finds the contact by its %s in another format', async (_, phone) => {
    expect(await total(`/api/v1/contacts?search=${encodeURIComponent(phone)}`)).toEqual({
      status: 200,
      total: 1,
      ids: [contactId],
    });
  });

  it.each([
    ['main phone', '+79168100001'],
    ['second phone', '8 916 810 00 02'],
    ['third phone', '9168100003'],
  ])('GET /api/v1/links?phone= finds the link of the contact by its %s', async (_, phone) => {
    const res = await call(`${t.url}/api/v1/links?phone=${encodeURIComponent(phone)}`, {
      token: admin.token,
    });
    expect([res.status, res.body.total, res.body.items.map((item: any) => item.lptrackerLeadId)]).toEqual([
      200,
      1,
      [500],
    ]);
  });

  it('the search still matches a part of the name and the beginning of any e-mail; other contacts stay out', async () => {
    expect((await total(`/api/v1/contacts?search=${encodeURIComponent('трифон')}`)).ids).toEqual([contactId]);
    expect((await total('/api/v1/contacts?search=second%40exa')).ids).toEqual([contactId]);
    expect((await total('/api/v1/contacts?search=SECOND%40example.ru')).ids).toEqual([contactId]);
    expect((await total(`/api/v1/contacts?search=${encodeURIComponent('8 916 810-00-04')}`)).ids).toEqual([
      otherId,
    ]);
    expect((await total(`/api/v1/contacts?search=${encodeURIComponent('+7 916 810-00-09')}`)).total).toBe(0);
    const links = await call(`${t.url}/api/v1/links?phone=${encodeURIComponent('+79168100009')}`, {
      token: admin.token,
    });
    expect([links.status, links.body.total]).toEqual([200, 0]);
  });

  it('a phone taken off the contact stops matching in both lists', async () => {
    await t.app.get(ContactsService).updateMirrorRow(admin.user.workspaceId, contactId, {
      phones: ['+79168100001', '+79168100003'],
    });
    expect((await total(`/api/v1/contacts?search=${encodeURIComponent('+79168100002')}`)).total).toBe(0);
    const links = await call(`${t.url}/api/v1/links?phone=${encodeURIComponent('+79168100002')}`, {
      token: admin.token,
    });
    expect(links.body.total).toBe(0);
    expect((await total(`/api/v1/contacts?search=${encodeURIComponent('+79168100003')}`)).ids).toEqual([
      contactId,
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { backfillContactIdentities } from '../src/contacts/contact-identities-backfill';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrationsLocked } from '../src/database/migration-runner';
import { detectServerFlavor } from '../src/database/server-flavor';
import { settle, startInboundWorld, type InboundWorld } from './support/amocrm-inbound';
import { call, type JsonResponse } from './support/http';
import { createTestDatabase, dropTestDatabase } from './support/test-database';

/**
 * Every phone and e-mail of a mirrored contact is found locally (#16 §1): the list's filters and find-or-create
 * match any of them without asking amoCRM, the webhooks that change or delete a contact keep them in step, and the
 * backfill fills them for contacts mirrored before.
 */
describe('contact identities: every phone and e-mail of a contact found in the mirror', () => {
  let sandbox: AmoSandbox;
  let world: InboundWorld;
  const get = (query: Record<string, string>): Promise<JsonResponse> =>
    call(`${world.t.url}/api/v1/contacts?${new URLSearchParams(query)}`, { token: world.admin.token });
  const findOrCreate = (body: Record<string, string>): Promise<JsonResponse> =>
    call(`${world.t.url}/api/v1/contacts`, { token: world.admin.token, body });
  const identitiesOf = async (contactId: string): Promise<string[]> =>
    (
      await world.db.rows<{ kind: string; value: string }>(
        'SELECT kind, value FROM contact_identities WHERE contact_id = ? ORDER BY kind, value',
        [contactId],
      )
    ).map((row) => `${row.kind}:${row.value}`);

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    world = await startInboundWorld(sandbox, 'identities');
  });
  afterAll(async () => {
    await world?.close();
    await sandbox?.close();
  });

  it('finds a contact with three phones by each of them (list and find-or-create) without asking amoCRM; a removed phone stops matching', async () => {
    const { amo } = world;
    const contact = amo.manager.createContact({
      name: 'Три телефона',
      custom_fields_values: [
        {
          field_code: 'PHONE',
          values: [
            { value: '+7 916 810-00-01', enum_code: 'WORK' },
            { value: '8 (916) 810-00-02', enum_code: 'MOB' },
            { value: '9168100003', enum_code: 'HOME' },
          ],
        },
        {
          field_code: 'EMAIL',
          values: [{ value: 'First@Example.RU' }, { value: 'second@example.ru' }],
        },
      ],
    });
    await settle(world);
    amo.clearRequests();

    for (const phone of ['89168100001', '+7 916 810 00 02', '8 916 810-00-03']) {
      const found = await get({ phone });
      expect([phone, found.status, found.body.total, found.body.items[0]?.amocrmId]).toEqual([
        phone,
        200,
        1,
        contact.id,
      ]);
    }
    const mirrorId = (await get({ phone: '+79168100001' })).body.items[0].id as string;
    for (const email of ['first@example.ru', 'SECOND@example.ru']) {
      const found = await get({ email });
      expect([email, found.body.total, found.body.items[0]?.id]).toEqual([email, 1, mirrorId]);
    }
    // phone and e-mail together: both must belong to the contact
    expect((await get({ phone: '+79168100003', email: 'second@example.ru' })).body.total).toBe(1);
    expect((await get({ phone: '+79168100003', email: 'other@example.ru' })).body.total).toBe(0);
    // find-or-create by the second and third phone, and by the second e-mail: the same contact, from the mirror
    for (const body of [
      { name: 'Кто-то', phone: '8 916 810-00-02' } as Record<string, string>,
      { name: 'Кто-то', phone: '+79168100003' },
      { name: 'Кто-то', email: 'Second@Example.ru' },
    ]) {
      const res = await findOrCreate(body);
      expect([body, res.status, res.body.id, res.body.created]).toEqual([body, 200, mirrorId, false]);
    }
    expect(amo.requests()).toEqual([]);

    // a manager removes the second phone in amoCRM: the webhook takes it out of the mirror's index
    amo.manager.updateContact(contact.id, {
      custom_fields_values: [
        {
          field_code: 'PHONE',
          values: [{ value: '+7 916 810-00-01' }, { value: '9168100003' }],
        },
      ],
    });
    await settle(world);
    expect((await get({ phone: '+79168100002' })).body.total).toBe(0);
    expect((await get({ phone: '+79168100003' })).body.items[0]?.id).toBe(mirrorId);
    expect(await identitiesOf(mirrorId)).toEqual([
      'email:first@example.ru',
      'email:second@example.ru',
      'phone:+79168100001',
      'phone:+79168100003',
    ]);

    // deleted in amoCRM: found by nothing; restored: found again
    amo.manager.deleteContact(contact.id);
    await settle(world);
    expect((await get({ phone: '+79168100001' })).body.total).toBe(0);
    expect(await identitiesOf(mirrorId)).toEqual([]);
    amo.manager.restoreContact(contact.id);
    await settle(world);
    expect((await get({ phone: '+79168100003' })).body.items[0]?.id).toBe(mirrorId);
  });

  it('a phone added through the API (PATCH) matches at once', async () => {
    const created = await findOrCreate({ name: 'Через API', phone: '+79168200001' });
    expect(created.status).toBe(201);
    const patched = await call(`${world.t.url}/api/v1/contacts/${created.body.id}`, {
      method: 'PATCH',
      token: world.admin.token,
      body: { phone: '8 916 820 00 02' },
    });
    expect(patched.status).toBe(200);
    expect((await get({ phone: '+79168200002' })).body.items[0]?.id).toBe(created.body.id);
    await settle(world);
    expect(await identitiesOf(created.body.id)).toEqual(['phone:+79168200001', 'phone:+79168200002']);
  });

  it('a contact found in amoCRM by one phone is mirrored with all of them: the next call by another asks amoCRM nothing', async () => {
    const { amo } = world;
    const contact = amo.manager.createContact({
      name: 'Пока не в зеркале',
      custom_fields_values: [
        { field_code: 'PHONE', values: [{ value: '+79168500001' }, { value: '+79168500002' }] },
      ],
    });
    await settle(world);
    // as if its webhook had not come yet: the mirror does not know it
    const row = await world.db.one<{ id: string }>('SELECT id FROM contacts WHERE amocrm_id = ?', [
      contact.id,
    ]);
    await world.db.rows('DELETE FROM contact_identities WHERE contact_id = ?', [row.id]);
    await world.db.rows('DELETE FROM contacts WHERE id = ?', [row.id]);
    amo.clearRequests();
    const first = await findOrCreate({ name: 'Кто-то', phone: '+79168500001' });
    expect([first.status, first.body.amocrmId]).toEqual([200, contact.id]);
    expect(amo.requests().length).toBeGreaterThan(0); // the mirror did not have it: amoCRM was asked
    amo.clearRequests();
    const second = await findOrCreate({ name: 'Кто-то', phone: '+79168500002' });
    expect([second.status, second.body.id]).toEqual([200, first.body.id]);
    expect(amo.requests()).toEqual([]);
  });

  it('the oldest contact (lowest amoCRM id) wins when several share a phone, whatever order the mirror got them in', async () => {
    const { amo } = world;
    const older = amo.manager.createContact({
      name: 'Старый',
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79168300001' }] }],
    });
    const newer = amo.manager.createContact({
      name: 'Новый',
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79168300002' }] }],
    });
    await settle(world);
    // the mirror gets the older contact only after the newer one: its row is made again by its next change
    await world.db.rows(
      'DELETE i, c FROM contacts c LEFT JOIN contact_identities i ON i.contact_id = c.id WHERE c.amocrm_id = ?',
      [older.id],
    );
    // a manager gives the newer contact the older one's phone as its second phone
    amo.manager.updateContact(newer.id, {
      custom_fields_values: [
        { field_code: 'PHONE', values: [{ value: '+79168300002' }, { value: '+79168300001' }] },
      ],
    });
    await settle(world);
    amo.manager.updateContact(older.id, { name: 'Старый, снова' });
    await settle(world);
    const shared = await get({ phone: '+79168300001' });
    expect(shared.body.total).toBe(2);
    const olderRow = shared.body.items.find((item: { amocrmId: number }) => item.amocrmId === older.id);
    const newerRow = shared.body.items.find((item: { amocrmId: number }) => item.amocrmId === newer.id);
    expect(new Date(olderRow.createdAt).getTime()).toBeGreaterThan(new Date(newerRow.createdAt).getTime());
    amo.clearRequests();
    const again = await findOrCreate({ name: 'Кто-то', phone: '+79168300001' });
    expect([again.status, again.body.id]).toEqual([200, olderRow.id]);
    expect(amo.requests()).toEqual([]);
  });

  it('the backfill fills every phone and e-mail of contacts mirrored before, in batches, and running it again adds nothing', async () => {
    const workspaceId = world.workspaceId;
    const before = (contact: { phones: string[]; emails: string[]; deleted?: boolean }) => ({
      id: randomUUID(),
      ...contact,
    });
    const rows = [
      before({ phones: ['+79168400001', '+79168400002'], emails: ['old@example.ru'] }),
      before({ phones: ['+79168400003'], emails: [] }),
      before({ phones: ['+79168400004'], emails: [], deleted: true }),
    ];
    for (const [index, row] of rows.entries())
      await world.db.rows(
        `INSERT INTO contacts (id, workspace_id, amocrm_id, name, phone, email, phones, emails, custom_fields, source, deleted_at)
         VALUES (?, ?, ?, 'До индекса', ?, ?, ?, ?, '[]', 'amocrm', ?)`,
        [
          row.id,
          workspaceId,
          880_000_000 + index,
          row.phones[0],
          row.emails[0] ?? null,
          JSON.stringify(row.phones),
          JSON.stringify(row.emails),
          row.deleted ? new Date() : null,
        ],
      );
    expect((await get({ phone: '+79168400002' })).body.total).toBe(0); // not indexed yet: the test can fail

    const dataSource = world.t.app.get(DataSource);
    const read = await backfillContactIdentities(dataSource, 2);
    expect(read).toBeGreaterThanOrEqual(rows.length);
    expect(await identitiesOf(rows[0].id)).toEqual([
      'email:old@example.ru',
      'phone:+79168400001',
      'phone:+79168400002',
    ]);
    expect(await identitiesOf(rows[1].id)).toEqual(['phone:+79168400003']);
    expect(await identitiesOf(rows[2].id)).toEqual([]); // deleted: matches nothing
    expect((await get({ phone: '+79168400002' })).body.items[0]?.id).toBe(rows[0].id);

    const total = 'SELECT COUNT(*) FROM contact_identities WHERE workspace_id = ?';
    const counted = await world.db.count(total, [workspaceId]);
    await backfillContactIdentities(dataSource, 5000);
    expect(await world.db.count(total, [workspaceId])).toBe(counted);
  });
});

describe('contact identities: the backfill migration', () => {
  it('fills the identities of contacts that were in the mirror before it ran (outside a transaction), once', async () => {
    const db = await createTestDatabase();
    const dataSource = new DataSource(dataSourceOptions(db, await detectServerFlavor(db)));
    await dataSource.initialize();
    try {
      await runMigrationsLocked(dataSource);
      // back to the moment before the backfill: contacts mirrored, their identities not there yet
      await dataSource.query(
        "DELETE FROM schema_migrations WHERE name = 'ContactIdentitiesBackfill1796647487347'",
      );
      const workspaceId = randomUUID();
      const contactId = randomUUID();
      await dataSource.query(
        `INSERT INTO contacts (id, workspace_id, amocrm_id, name, phone, email, phones, emails, custom_fields, source)
         VALUES (?, ?, 1, 'До миграции', '+79168600001', 'a@example.ru', '["+79168600001","+79168600002"]', '["a@example.ru"]', '[]', 'amocrm')`,
        [contactId, workspaceId],
      );
      const applied = await runMigrationsLocked(dataSource);
      expect(applied.map((migration) => migration.name)).toEqual(['ContactIdentitiesBackfill1796647487347']);
      const rows = await dataSource.query<{ kind: string; value: string }[]>(
        'SELECT kind, value FROM contact_identities WHERE workspace_id = ? AND contact_id = ? ORDER BY kind, value',
        [workspaceId, contactId],
      );
      expect(rows.map((row) => `${row.kind}:${row.value}`)).toEqual([
        'email:a@example.ru',
        'phone:+79168600001',
        'phone:+79168600002',
      ]);
    } finally {
      await dataSource.destroy();
      await dropTestDatabase(db);
    }
  });
});

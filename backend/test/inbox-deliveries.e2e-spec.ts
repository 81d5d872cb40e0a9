import { newId } from '../src/database/columns';
import { InboxDeliveriesRepository } from '../src/inbox/inbox-deliveries.repository';
import { InboxEventsRepository, type NewDelivery } from '../src/inbox/inbox-events.repository';
import { loginAdmin } from './support/auth';
import { INBOX_TEST_ENV, TestDb, startInboxTestApp } from './support/inbox';
import type { TestApp } from './support/test-app';

/**
 * The intake's prepared INSERT (InboxDeliveriesRepository) against real MariaDB: a row it stores is the row the
 * text-query INSERT (InboxEventsRepository.insertDeliveries) stores — binary bodies byte for byte, JSON columns,
 * the settings version read in the statement, `queued` vs `skipped` (filtered, processed) — for one row and for a
 * batch as large as the intake makes.
 */
describe('InboxDeliveriesRepository: the prepared delivery INSERT', () => {
  let t: TestApp;
  let db: TestDb;
  let workspaceId: string;
  let prepared: InboxDeliveriesRepository;
  let reference: InboxEventsRepository;

  beforeAll(async () => {
    t = await startInboxTestApp({ env: INBOX_TEST_ENV });
    db = await TestDb.open(t.config.db);
    workspaceId = (await loginAdmin(t.url)).user.workspaceId;
    prepared = t.app.get(InboxDeliveriesRepository, { strict: false });
    reference = t.app.get(InboxEventsRepository, { strict: false });
    await db.rows(
      `INSERT INTO workspace_settings_versions (workspace_id, version) VALUES (?, 7)
       ON DUPLICATE KEY UPDATE version = 7`,
      [workspaceId],
    );
  });
  afterAll(async () => {
    await db.close();
    await t.close();
  });

  const delivery = (keys: NewDelivery['keys'], body: Buffer): NewDelivery => ({
    id: newId(),
    workspaceId,
    source: 'test-json',
    eventType: 'lead.update',
    contentType: 'application/json',
    headers: { 'x-remote-ip': '203.0.113.9', 'user-agent': 'it\'s "quoted" — ünïcode' },
    rawBody: body,
    summary: { leads: 1, note: 'a \\ backslash and a \u0000 nul' },
    keys,
  });
  const row = async (id: string): Promise<Record<string, unknown>> => {
    const stored = await db.one<Record<string, unknown>>(
      `SELECT workspace_id, source, event_type, status, content_type, headers, HEX(raw_body) AS body, summary,
              change_keys, idempotency, settings_version, mode, history, skip_reason,
              processed_at IS NOT NULL AS processed, attempts
         FROM inbox_events WHERE id = ?`,
      [id],
    );
    return { ...stored, processed: Number(stored.processed) };
  };
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
  const keys = [{ key: 'lead:update:1:5', entityType: 'lead', entityId: '1' }];

  it('stores a queued and a skipped delivery exactly as the text INSERT does', async () => {
    for (const [name, changeKeys] of [
      ['queued', keys],
      ['skipped', []],
    ] as const) {
      const ours = delivery([...changeKeys], everyByte);
      const theirs = { ...delivery([...changeKeys], everyByte), id: newId() };
      expect(await prepared.insertDeliveries([ours])).toEqual([{ id: ours.id, status: name }]);
      await reference.insertDeliveries([theirs]);
      const stored = await row(ours.id);
      expect([name, stored]).toEqual([name, await row(theirs.id)]);
      expect(stored).toMatchObject({
        status: name,
        body: everyByte.toString('hex').toUpperCase(),
        settings_version: 7,
        skip_reason: name === 'skipped' ? 'filtered' : null,
        processed: name === 'skipped' ? 1 : 0,
      });
    }
  });

  it('stores a batch of 200 deliveries in one statement, each with its own body and status', async () => {
    const batch = Array.from({ length: 200 }, (_, index) =>
      delivery(index % 7 === 0 ? [] : keys, Buffer.from(`body ${index} \u00ff`)),
    );
    const stored = await prepared.insertDeliveries(batch);
    expect(stored.map((s) => s.status)).toEqual(
      batch.map((_, index) => (index % 7 === 0 ? 'skipped' : 'queued')),
    );
    const rows = await db.rows<{ id: string; body: Buffer; status: string }>(
      `SELECT id, raw_body AS body, status FROM inbox_events WHERE id IN (${batch.map(() => '?').join(', ')})`,
      batch.map((d) => d.id),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    batch.forEach((d, index) => {
      expect(Buffer.from(byId.get(d.id)?.body ?? '').toString()).toBe(`body ${index} \u00ff`);
      expect(byId.get(d.id)?.status).toBe(stored[index].status);
    });
  });
});

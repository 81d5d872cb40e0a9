import { ContactsService } from '../src/contacts/contacts.service';
import { LeadsService } from '../src/leads/leads.service';
import { CallResultsService } from '../src/sync/call-results/call-results.service';
import { EngineWritesService, type EngineWriteNotice } from '../src/sync/engine-writes';
import { appQuery } from './support/amocrm';
import { loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Call results through the REST API (issue #14 §4) on real MariaDB: batches recorded and deduplicated (by source id,
 * else phone + start + operator; repeats across requests and inside one), linked to the mirror contact by phone and
 * its newest open lead, each new call told as `call.finished` (origin api); the list's filters and totals, the
 * summary per day and per operator, another workspace's calls never shown; bad input answers 400 naming the field.
 */
describe('call results API', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let viewer: LoggedIn;
  let other: LoggedIn;
  const notices: EngineWriteNotice[] = [];
  const url = () => `${t.url}/api/v1/call-results`;
  const post = (body: unknown, token = admin.token) => call(url(), { method: 'POST', token, body });
  const list = (query = '', token = admin.token) => call(`${url()}${query}`, { token });
  const row = (over: Record<string, unknown> = {}) => ({
    phone: '+7 916 100-00-01',
    startedAt: '2026-11-02T10:00:00Z',
    durationSeconds: 30,
    direction: 'out',
    result: 'answered',
    operator: 'Анна',
    ...over,
  });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t.url);
    viewer = await userWithRole(t.url, admin, 'viewer');
    other = await secondWorkspace(t.url, admin);
    t.app.get(EngineWritesService).listen((notice) => {
      notices.push(notice);
      return Promise.resolve();
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('records a batch, links calls to the mirror contact and its newest open lead, and tells each new call', async () => {
    const ws = admin.user.workspaceId;
    const contact = await t.app.get(ContactsService).upsertMirrorRow(
      ws,
      {
        amocrmId: 5001,
        name: 'Иван',
        phone: '+79161000001',
        email: null,
        phones: ['+79161000001'],
        emails: [],
        responsibleUserId: null,
        customFields: [],
        syncedAt: new Date(),
      },
      'amocrm',
    );
    const contactId = contact.id;
    const lead = (amocrmId: number, name: string, statusId: number) =>
      t.app.get(LeadsService).upsertMirrorRow(ws, {
        amocrmId,
        name,
        statusId,
        status: null,
        pipelineId: 1,
        price: 0,
        contactId,
        responsibleUserId: null,
        customFields: [],
        tags: [],
        source: 'amocrm',
        syncedAt: new Date(),
        closedAt: null,
      });
    const openLead = (await lead(6001, 'Открытая', 10)).id;
    await lead(6002, 'Выиграна', 142); // newer, but closed: not the one a call is linked to
    notices.length = 0;
    const res = await post({
      rows: [
        row({ sourceId: 'pbx-1' }),
        row({ startedAt: '2026-11-02T11:00:00Z', result: 'missed', durationSeconds: 0 }),
        row({
          phone: '8 916 100-00-02',
          startedAt: '2026-11-03T09:00:00Z',
          operator: 'Борис',
          direction: 'in',
        }),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 3, duplicates: 0 });
    expect(res.body.rows.map((r: any) => r.outcome)).toEqual(['created', 'created', 'created']);
    const stored = await appQuery(
      t,
      'SELECT id, phone, contact_id AS contactId, amocrm_contact_id AS amoContact, lead_id AS leadId, amocrm_lead_id AS amoLead, source, source_id AS sourceId FROM call_results WHERE workspace_id = ? ORDER BY started_at',
      [ws],
    );
    expect(stored).toEqual([
      expect.objectContaining({
        phone: '+79161000001',
        contactId,
        leadId: openLead,
        amoLead: '6001',
        sourceId: 'pbx-1',
      }),
      expect.objectContaining({
        phone: '+79161000001',
        contactId,
        leadId: openLead,
        source: 'api',
        sourceId: null,
      }),
      expect.objectContaining({ phone: '+79161000002', contactId: null, leadId: null }),
    ]);
    expect(notices.map((n) => [n.origin, n.entity, n.events, n.workspaceId])).toEqual(
      stored.map(() => ['api', 'call', ['call.finished'], ws]),
    );
    expect(notices.map((n) => n.id).sort()).toEqual(stored.map((s: any) => s.id).sort());

    // what an import (H4's kind call_results) gets per row: the outcome with the amoCRM records linked
    notices.length = 0;
    const imported = await t.app.get(CallResultsService).record(
      ws,
      [
        {
          ...row({ sourceId: 'sheet-1', startedAt: '2026-11-01T08:00:00Z' }),
          direction: 'out' as const,
          result: 'answered' as const,
        },
      ],
      'import',
    );
    expect(imported.rows).toEqual([
      { index: 0, outcome: 'created', id: expect.any(String), amocrmContactId: 5001, amocrmLeadId: 6001 },
    ]);
    const importedId = (imported.rows[0] as { id: string }).id;
    expect(notices.map((n) => [n.origin, n.id])).toEqual([['import', importedId]]);
    await appQuery(t, 'DELETE FROM call_results WHERE id = ?', [importedId]);
  });

  it('skips repeats: by source id, else by phone + start + operator, across requests and inside one batch', async () => {
    const before = await list();
    notices.length = 0;
    const res = await post({
      rows: [
        row({ sourceId: 'pbx-1', startedAt: '2026-11-05T10:00:00Z' }), // same source id, other data: a repeat
        row({
          phone: '+79161000001',
          startedAt: '2026-11-02T11:00:00.000Z',
          result: 'missed',
          durationSeconds: 0,
        }),
        row({ startedAt: '2026-11-02T11:00:00Z', operator: 'Вера', result: 'busy' }), // another operator: new
        row({ startedAt: '2026-11-02T11:00:00Z', operator: 'Вера', result: 'busy' }), // repeat inside the batch
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: any) => r.outcome)).toEqual([
      'duplicate',
      'duplicate',
      'created',
      'duplicate',
    ]);
    expect(res.body).toMatchObject({ created: 1, duplicates: 3 });
    const ids = new Set(before.body.items.map((item: any) => item.id));
    expect(ids.has(res.body.rows[0].id)).toBe(true);
    expect(ids.has(res.body.rows[1].id)).toBe(true);
    expect(res.body.rows[3].id).toBe(res.body.rows[2].id);
    expect(notices.map((n) => n.id)).toEqual([res.body.rows[2].id]);
    expect((await list()).body.total).toBe(before.body.total + 1);
  });

  it('lists newest first with filters and totals over every matching call, and summarises per day and operator', async () => {
    const all = await list('?limit=2', viewer.token);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 4, page: 1, limit: 2 });
    expect(all.body.items).toHaveLength(2);
    expect(all.body.items[0]).toMatchObject({
      startedAt: '2026-11-03T09:00:00.000Z',
      operator: 'Борис',
      direction: 'in',
    });
    expect(all.body.totals).toEqual({ count: 4, answered: 2, missed: 2, durationSeconds: 90 });
    const filtered = async (query: string) => (await list(query)).body.totals;
    expect(await filtered('?phone=8%20(916)%20100-00-01')).toMatchObject({
      count: 3,
      answered: 1,
      missed: 2,
    });
    expect(await filtered('?result=missed')).toMatchObject({ count: 1 });
    expect(await filtered('?operator=%D0%92%D0%B5%D1%80%D0%B0')).toMatchObject({ count: 1, missed: 1 });
    expect(await filtered('?direction=in')).toMatchObject({ count: 1, answered: 1 });
    expect(await filtered('?source=import')).toMatchObject({ count: 0 });
    expect(await filtered('?from=2026-11-02T10:30:00Z&to=2026-11-02T23:59:59Z')).toMatchObject({ count: 2 });
    const days = await call(`${url()}/summary?groupBy=day`, { token: viewer.token });
    expect(days.status).toBe(200);
    expect(days.body).toEqual({
      groupBy: 'day',
      groups: [
        { key: '2026-11-02', count: 3, answered: 1, missed: 2, durationSeconds: 60 },
        { key: '2026-11-03', count: 1, answered: 1, missed: 0, durationSeconds: 30 },
      ],
    });
    const operators = await call(`${url()}/summary?groupBy=operator&to=2026-11-02T23:59:59Z`, {
      token: admin.token,
    });
    expect(operators.body.groups.map((g: any) => [g.key, g.count])).toEqual([
      ['Анна', 2],
      ['Вера', 1],
    ]);
    const theirs = await list('', other.token);
    expect(theirs.body).toMatchObject({ total: 0, items: [], totals: { count: 0, durationSeconds: 0 } });
  });

  it('refuses bad input with 400 problem+json naming the field, never storing part of the batch', async () => {
    const before = (await list()).body.total;
    const refused = async (body: unknown, field: string | RegExp) => {
      const res = await post(body);
      expect([res.status, res.headers.get('content-type')]).toEqual([
        400,
        expect.stringContaining('application/problem+json'),
      ]);
      expect(res.body.errors.map((e: any) => e.field)).toContainEqual(
        typeof field === 'string' ? field : expect.stringMatching(field),
      );
    };
    await refused({}, 'rows');
    await refused({ rows: 'звонки' }, 'rows');
    await refused({ rows: [] }, 'rows');
    // 1,001 rows: refused before validation by the body's shape bound (1,000 entries per array), as problem+json
    const tooMany = await post({ rows: Array.from({ length: 1001 }, (_, i) => row({ sourceId: `x${i}` })) });
    expect([tooMany.status, tooMany.body.detail]).toEqual([400, expect.stringContaining('1000 entries')]);
    await refused({ rows: [row(), row({ durationSeconds: '30' })] }, 'rows.1.durationSeconds');
    await refused({ rows: [row(), row({ phone: '123' })] }, 'rows.1.phone');
    await refused({ rows: [row({ startedAt: '02.11.2026' })] }, 'rows.0.startedAt');
    await refused({ rows: [row({ result: 'great' })] }, 'rows.0.result');
    await refused({ rows: [row({ recordingUrl: 'javascript:alert(1)' })] }, 'rows.0.recordingUrl');
    await refused({ rows: [row({ operator: 'x'.repeat(129) })] }, 'rows.0.operator');
    await refused({ rows: [row({ extra: 1 })] }, 'rows.0.extra');
    await refused({ rows: [row(), 7] }, /^rows/);
    await refused(
      JSON.parse(`{"rows":[${JSON.stringify(row()).slice(0, -1)},"__proto__":{"x":1}}]}`),
      /^rows/,
    );
    await refused({ rows: [row({ constructor: { prototype: 1 } })] }, /^rows/);
    let deep: unknown = row();
    for (let i = 0; i < 40; i += 1) deep = { rows: [deep] };
    const tooDeep = await post(deep);
    expect(tooDeep.status).toBe(400);
    for (const query of [
      '?result=great',
      '?phone=12',
      '?from=вчера',
      '?direction=up',
      '?limit=1000',
      '?from=2026-11-03&to=2026-11-01',
    ])
      expect([query, (await list(query)).status]).toEqual([query, 400]);
    expect((await call(`${url()}/summary?groupBy=week`, { token: admin.token })).status).toBe(400);
    expect((await list()).body.total).toBe(before);
  });

  it('lets a viewer read but not record', async () => {
    const res = await post({ rows: [row({ sourceId: 'viewer-1' })] }, viewer.token);
    expect(res.status).toBe(403);
  });
});

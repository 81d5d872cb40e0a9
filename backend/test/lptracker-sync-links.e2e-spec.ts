import { LptrackerLinksService } from '../src/sync/lptracker/lptracker-links.service';
import { secondWorkspace, userWithRole } from './support/auth';
import { call } from './support/http';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';

/**
 * `GET /api/v1/links` over links the sync made from real LPTracker callbacks (both sandboxes, real MariaDB and
 * Redis): filters by either id, a phone in any format and the project, paging, every role reads, another workspace
 * sees none, bad query input answers 400 naming the field; and the links service's unique insert.
 */
describe('LPTracker links API', () => {
  let kit: SyncKit;
  let windows: { id: number };
  let windowsAmoId: number;

  beforeAll(async () => {
    kit = await startSyncKit();
    windows = kit.newLead('Окна в дом', '8 (916) 555-12-34', { [kit.budgetId]: '150 000 ₽' });
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    kit.newLead('Балкон', '+7 916 555 12 34');
    kit.newLead('Дверь', '+7 916 777 00 11');
    await kit.lp().whenDeliveriesIdle();
    await kit.finished();
    windowsAmoId = kit.ws.amo.leads().find((lead) => lead.name === 'Окна в дом')!.id;
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('filters by either id, phone in any format and project, pages; every role reads, another workspace sees none', async () => {
    const { links, t, admin, projectId } = kit;
    const all = await links('');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.items[2]).toEqual(
      expect.objectContaining({
        projectId,
        lptrackerLeadId: windows.id,
        amocrmLeadId: windowsAmoId,
        leadName: 'Окна в дом',
        contactName: 'Пётр Иванов',
        phone: '+79165551234',
        createdAs: 'lead',
        lastDirection: 'lptracker_to_amocrm',
      }),
    );
    const byPhone = await links(`?phone=${encodeURIComponent('8 916 555-12-34')}`);
    expect(byPhone.body.items.map((item: any) => item.leadName).sort()).toEqual(['Балкон', 'Окна в дом']);
    expect(
      (await links(`?amocrmLeadId=${windowsAmoId}`)).body.items.map((i: any) => i.lptrackerLeadId),
    ).toEqual([windows.id]);
    expect(
      (await links(`?lptrackerLeadId=${windows.id}`)).body.items.map((i: any) => i.amocrmLeadId),
    ).toEqual([windowsAmoId]);
    expect((await links(`?projectId=${projectId}&limit=2&page=2`)).body).toEqual(
      expect.objectContaining({ total: 3, page: 2, limit: 2, items: [expect.anything()] }),
    );
    expect((await links(`?projectId=${projectId + 1}`)).body.total).toBe(0);
    expect((await links('?lptrackerLeadId=1')).body.total).toBe(0);
    const viewer = await userWithRole(t.url, admin, 'viewer');
    expect((await links('', viewer.token)).body.total).toBe(3);
    expect((await call(`${t.url}/api/v1/links`)).status).toBe(401);
    const other = await secondWorkspace(t.url, admin);
    expect((await links('', other.token)).body.total).toBe(0);
    expect((await links(`?lptrackerLeadId=${windows.id}`, other.token)).body.items).toEqual([]);
  });

  it('the links service: a second insert for the same LPTracker lead returns the existing row; recordSync changes only what it names', async () => {
    const service = kit.t.app.get(LptrackerLinksService);
    const workspaceId = kit.admin.user.workspaceId;
    const row = {
      workspaceId,
      projectId: kit.projectId,
      lptrackerLeadId: 777_001,
      amocrmLeadId: 888_001,
      createdAs: 'lead',
    };
    const made = await service.insert(row);
    expect(made.created).toBe(true);
    const again = await service.insert({ ...row, amocrmLeadId: 888_002 });
    expect(again).toEqual({
      created: false,
      link: expect.objectContaining({ id: made.link.id, amocrmLeadId: 888_001 }),
    });
    await service.recordSync(workspaceId, made.link.id, {
      direction: 'amocrm_to_lptracker',
      lptrackerStageId: 5,
    });
    const [found] = await service.findByAmocrmLeadIds(workspaceId, [888_001, 888_002]);
    expect(found).toEqual(
      expect.objectContaining({
        lptrackerStageId: 5,
        amocrmStatusId: null,
        lastDirection: 'amocrm_to_lptracker',
      }),
    );
    expect(found.lastSyncedAt).toBeInstanceOf(Date);
    expect(await service.findByLptrackerLead('another-workspace', 777_001)).toBeNull();
  });

  it.each([
    ['lptrackerLeadId=abc', 'lptrackerLeadId'],
    ['amocrmLeadId=-5', 'amocrmLeadId'],
    ['projectId=1e3', 'projectId'],
    ['phone=not-a-phone', 'phone'],
    [`phone=${'9'.repeat(41)}`, 'phone'],
    ['limit=1000', 'limit'],
    ['lptrackerLeadId=1&lptrackerLeadId=2', 'lptrackerLeadId'],
    ['__proto__[x]=1', null],
    ['constructor=1', 'constructor'],
    ['prototype=1', 'prototype'],
  ])('GET /api/v1/links?%s answers 400 naming the field', async (query, field) => {
    const res = await kit.links(`?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    if (field) expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });
});

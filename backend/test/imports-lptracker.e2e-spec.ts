import { call } from './support/http';
import { finished, reportOf, runAction, uploadMapped, waitForProgress } from './support/import-runs';
import { startSyncKit, type SyncKit } from './support/lptracker-sync';

jest.setTimeout(180_000);

const phone = (n: number): string => `+7916${String(3_000_000 + n).padStart(7, '0')}`;

/**
 * Imports with target lptracker (issue #14): each row is found or created in the connected LPTracker project through
 * the engine (LptrackerLeadWriteService), `callback: false` always; the LPTracker callback of a new lead then reaches
 * amoCRM through the existing sync, once.
 */
describe('imports into LPTracker (e2e, both sandboxes)', () => {
  let kit: SyncKit;

  beforeAll(async () => {
    kit = await startSyncKit();
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('50 rows: one lead each, a known contact with that lead reused, no phone call, leads reach amoCRM once', async () => {
    const { t, admin, lp, ws } = kit;
    const known = kit.newLead('Окна', phone(0));
    await lp().whenDeliveriesIdle();
    await kit.finished();
    const amoBefore = ws.amo.leads().length;
    const leadsBefore = lp().leads().length;
    const lines = ['Имя;Телефон;Заявка;Бюджет'];
    lines.push(`Пётр Иванов;${phone(0)};Окна;100`);
    for (let n = 1; n < 50; n += 1) lines.push(`Клиент ${n};${phone(n)};Заявка ${n};${n}`);
    const id = await uploadMapped(t.url, admin.token, lines.join('\n'), {
      kind: 'leads',
      target: 'lptracker',
      columns: {
        Имя: 'contact.name',
        Телефон: 'contact.phone',
        Заявка: 'lead.name',
        Бюджет: `lead.custom.${kit.budgetId}`,
      },
      dedupe: 'update',
    });
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    const progress = await waitForProgress(t.url, admin.token, id, finished);
    expect(progress).toMatchObject({ status: 'done', totalRows: 50, created: 49, skipped: 1, failed: 0 });
    expect(lp().leads()).toHaveLength(leadsBefore + 49);
    expect(lp().requests({ route: 'POST /lead' })).toHaveLength(49);
    expect(lp().callbackCalls()).toEqual([]);
    const report = await reportOf(t.url, admin.token, id);
    const lpColumn = report[0].indexOf('Заявка LPTracker');
    expect(report[0].slice(-5)).toEqual([
      'Итог',
      'Контакт amoCRM',
      'Сделка amoCRM',
      'Заявка LPTracker',
      'Пояснение',
    ]);
    const byRow = new Map(report.slice(1).map((row) => [row[0], row]));
    expect(String(byRow.get(2)?.at(-1))).toContain(`LPTracker № ${known.id}`);
    expect(byRow.get(2)?.[lpColumn]).toBe(Number(known.id));
    const created = lp()
      .leads()
      .find((lead) => lead.name === 'Заявка 7');
    expect(String(byRow.get(9)?.at(-1))).toBe(`Заявка LPTracker № ${String(created?.id)}`);
    expect(byRow.get(9)?.[lpColumn]).toBe(Number(created?.id));
    // every row has its LPTracker lead in the column, each lead once
    const ids = report.slice(1).map((row) => row[lpColumn]);
    expect(ids.every((value) => typeof value === 'number')).toBe(true);
    expect(new Set(ids).size).toBe(50);
    // the callbacks of the 49 new leads land in amoCRM through the sync, each once
    for (let round = 0; round < 3; round += 1) {
      await lp().whenDeliveriesIdle();
      await kit.finished();
    }
    expect(ws.amo.leads().length - amoBefore).toBe(49);
    expect(ws.amo.leads().filter((lead) => lead.name === 'Заявка 7')).toHaveLength(1);
  });

  it('an LPTracker field the project does not have is refused with 400 naming the column', async () => {
    const { t, admin } = kit;
    const id = await uploadMapped(t.url, admin.token, `Телефон;Поле\n${phone(90)};x`, {
      kind: 'leads',
      target: 'lptracker',
      columns: { Телефон: 'contact.phone' },
      dedupe: 'update',
    });
    const res = await call(`${t.url}/api/v1/imports/${id}/mapping`, {
      method: 'PUT',
      token: admin.token,
      body: {
        kind: 'leads',
        target: 'lptracker',
        columns: { Телефон: 'contact.phone', Поле: 'lead.colour' },
        dedupe: 'update',
      },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('columns.Поле');
  });
});

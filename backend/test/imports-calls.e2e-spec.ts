import { EngineWritesService, type EngineWriteNotice } from '../src/sync/engine-writes';
import { loginAdmin, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { finished, reportOf, runAction, uploadMapped, waitForProgress } from './support/import-runs';
import { startTestApp, type TestApp } from './support/test-app';

const CALLS = {
  Телефон: 'call.phone',
  Начало: 'call.started_at',
  Длительность: 'call.duration',
  Направление: 'call.direction',
  Итог: 'call.result',
  Оператор: 'call.operator',
  Запись: 'call.recording_url',
  'ID звонка': 'call.source_id',
};
const HEADER = Object.keys(CALLS).join(';');

/**
 * Imports of kind call_results (issue #14 §4) on real MariaDB: rows go to CallResultsService.record with source
 * `import` (the same checks, dedupe and `call.finished` notices as the REST API); the per-row report says created /
 * skipped as a repeat or a call already stored / failed with the reason in Russian; a dry run stores nothing.
 */
describe('imports: call results', () => {
  let t: TestApp;
  let admin: LoggedIn;
  const notices: EngineWriteNotice[] = [];
  const run = async (csv: string, extra: Record<string, unknown> = {}) => {
    const id = await uploadMapped(t.url, admin.token, csv, {
      kind: 'call_results',
      columns: CALLS,
      dedupe: 'skip',
      ...extra,
    });
    const started = await runAction(t.url, admin.token, id, 'start');
    if (started.status !== 200) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
    return { id, progress: await waitForProgress(t.url, admin.token, id, finished) };
  };
  const stored = async () => {
    const res = await call(`${t.url}/api/v1/call-results?limit=100`, { token: admin.token });
    expect(res.status).toBe(200);
    return res.body.items as Record<string, unknown>[];
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t.url);
    t.app.get(EngineWritesService).listen((notice) => {
      notices.push(notice);
      return Promise.resolve();
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records the good rows, reports repeats, stored calls and bad rows in Russian; a rerun adds nothing', async () => {
    const api = await call(`${t.url}/api/v1/call-results`, {
      method: 'POST',
      token: admin.token,
      body: {
        rows: [
          {
            phone: '+79160000003',
            startedAt: '2026-11-02T07:00:00Z',
            durationSeconds: 0,
            direction: 'in',
            result: 'missed',
            operator: 'Анна',
          },
        ],
      },
    });
    expect(api.status).toBe(200);
    const csv = [
      HEADER,
      '8 916 000-00-01;02.11.2026 10:15;1:30;Исходящий;Отвечен;Анна;https://rec.example/1;',
      '+79160000002;2026-11-02T10:20:00Z;0;входящий;пропущен;Борис;;lp-9',
      '+7 916 000 00 01;02.11.2026 10:15:00;90;исх;отвечен;Анна;;',
      '+79160000003;02.11.2026 10:00;;вх;не отвечен;Анна;;',
      '12;02.11.2026 10:00;5;out;answered;;;',
      '+79160000004;вчера;5;out;answered;;;',
      '+79160000005;02.11.2026 11:00;5;туда;answered;;;',
      '+79160000006;02.11.2026 11:00;5;out;answered;;ftp://x;',
    ].join('\n');
    const since = notices.length;
    const { id, progress } = await run(csv);
    expect(progress).toMatchObject({
      status: 'done',
      totalRows: 8,
      processed: 8,
      created: 2,
      updated: 0,
      skipped: 2,
      failed: 4,
    });
    const report = await reportOf(t.url, admin.token, id);
    expect(report.slice(1).map((row) => [row[0], row[9], row[12]])).toEqual([
      [2, 'создана', null],
      [3, 'создана', null],
      [4, 'пропущена', 'Повтор строки 2: тот же звонок'],
      [5, 'пропущена', 'Такой звонок уже загружен'],
      [6, 'ошибка', 'Телефон «12» не похож на номер телефона'],
      [7, 'ошибка', 'Время начала «вчера» не похоже на дату и время'],
      [8, 'ошибка', 'Направление «туда» не понятно: нужно «входящий» или «исходящий»'],
      [
        9,
        'ошибка',
        'Ссылка на запись должна начинаться с http:// или https:// и быть не длиннее 1024 знаков',
      ],
    ]);
    const calls = await stored();
    expect(calls).toHaveLength(3);
    expect(calls.filter((c) => c.source === 'import')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          phone: '+79160000001',
          startedAt: '2026-11-02T07:15:00.000Z',
          durationSeconds: 90,
          direction: 'out',
          result: 'answered',
          operator: 'Анна',
          recordingUrl: 'https://rec.example/1',
        }),
        expect.objectContaining({
          phone: '+79160000002',
          sourceId: 'lp-9',
          result: 'missed',
          direction: 'in',
        }),
      ]),
    );
    // each new call is told to the rules as call.finished of origin import
    expect(notices.slice(since).map((n) => [n.origin, n.entity, n.events])).toEqual([
      ['import', 'call', ['call.finished']],
      ['import', 'call', ['call.finished']],
    ]);

    const again = await run(csv);
    expect(again.progress).toMatchObject({ status: 'done', created: 0, skipped: 4, failed: 4 });
    expect(await stored()).toHaveLength(3);
  }, 60_000);

  it('a dry run says per row what would happen (calls already stored found by source id or phone+start+operator) and stores no call', async () => {
    const before = (await stored()).length;
    const csv = [
      HEADER,
      '+79160000011;02.11.2026 12:00;5;out;answered;;;',
      '1;02.11.2026 12:00;5;out;;;;',
      // stored through the API (phone, start, operator)
      '+79160000003;02.11.2026 10:00;;вх;не отвечен;Анна;;',
      // stored by the first import under its source id (another phone and time)
      '+79160000099;03.11.2026 09:00;7;вх;пропущен;Борис;;lp-9',
      // same phone and start as a stored call, another operator: a new call
      '+79160000003;02.11.2026 10:00;;вх;не отвечен;Борис;;',
    ].join('\n');
    const { id, progress } = await run(csv, { dryRun: true });
    expect(progress).toMatchObject({ status: 'done', dryRun: true, created: 2, skipped: 2, failed: 1 });
    expect(await stored()).toHaveLength(before);
    const report = await reportOf(t.url, admin.token, id);
    expect(report.slice(1).map((row) => [row[0], row[9], row[12]])).toEqual([
      [2, 'будет создана', 'Проверка: звонок будет загружен'],
      [3, 'ошибка', 'Телефон «1» не похож на номер телефона'],
      [4, 'будет пропущена', 'Такой звонок уже загружен'],
      [5, 'будет пропущена', 'Такой звонок уже загружен'],
      [6, 'будет создана', 'Проверка: звонок будет загружен'],
    ]);
  }, 60_000);
});

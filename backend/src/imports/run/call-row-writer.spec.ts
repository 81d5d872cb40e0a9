import type { AppConfig } from '../../config/app-config';
import type {
  CallResultInput,
  CallRecordSummary,
  CallRowOutcome,
} from '../../sync/call-results/call-result.types';
import type { CallResultsService } from '../../sync/call-results/call-results.service';
import { prepareCallRow } from '../../sync/call-results/call-result-input';
import { CallRowWriter, type CallImport } from './call-row-writer.service';
import { ImportRowEntity } from './import-row.entity';
import type { RowField } from './row-plan';

const FIELDS: RowField[] = [
  { index: 0, field: 'call.phone' },
  { index: 1, field: 'call.started_at' },
  { index: 2, field: 'call.recording_url' },
];

function row(
  rowNumber: number,
  cells: (string | null)[],
  duplicateOf: number | null = null,
): ImportRowEntity {
  return Object.assign(new ImportRowEntity(), { rowNumber, cells, duplicateOf, status: 'pending' });
}

/**
 * CallResultsService as the writer sees it: `prepare` is the real check, `record` answers what it is told, `check`
 * (the dry run) finds the phones of `stored` already stored.
 */
function service(
  answer: (rows: readonly CallResultInput[]) => CallRecordSummary | Error,
  stored: readonly string[] = [],
) {
  const calls: { rows: readonly CallResultInput[]; source: string; originRef?: string }[] = [];
  const checked: { rows: readonly CallResultInput[]; source: string }[] = [];
  const prepare = (rows: readonly CallResultInput[]) => rows.map((input) => prepareCallRow(input, 'RU'));
  const fake = {
    prepare,
    check: (_ws: string, rows: readonly CallResultInput[], source: string): Promise<CallRowOutcome[]> => {
      checked.push({ rows, source });
      return Promise.resolve(
        prepare(rows).map((item, index): CallRowOutcome => {
          if (!item.ok) return { index, outcome: 'invalid', field: item.field, message: item.message };
          return stored.includes(item.row.phone ?? '')
            ? { index, outcome: 'duplicate', id: 'stored-1' }
            : { index, outcome: 'created', id: '', amocrmContactId: null, amocrmLeadId: null };
        }),
      );
    },
    record: (
      _ws: string,
      rows: readonly CallResultInput[],
      source: string,
      options: { originRef?: string },
    ) => {
      calls.push({ rows, source, originRef: options.originRef });
      const result = answer(rows);
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
  };
  const writer = new CallRowWriter(
    { defaultPhoneRegion: 'RU' } as AppConfig,
    fake as unknown as CallResultsService,
  );
  return { writer, calls, checked };
}

const run = (dryRun = false): CallImport => ({
  id: 'imp-1',
  workspaceId: 'ws-1',
  format: 'csv',
  mapping: { kind: 'call_results', target: 'amocrm', columns: [], dedupe: 'skip', dryRun },
});

const ROWS = [
  row(2, ['+79160000001', '2026-11-02T10:00:00Z', null]),
  row(3, ['+79160000002', '2026-11-02T10:00:00Z', null]),
  row(4, ['+79160000003', '2026-11-02T10:00:00Z', 'ftp://x']),
  row(5, ['+79160000001', '2026-11-02T10:00:00Z', null], 2),
  row(6, ['12', '2026-11-02T10:00:00Z', null]),
];

describe('CallRowWriter', () => {
  it('records the batch once as source import with the import as origin; maps each outcome to the report', async () => {
    const { writer, calls } = service(() => ({
      created: 1,
      duplicates: 1,
      invalid: 1,
      rows: [
        { index: 0, outcome: 'created', id: 'c1', amocrmContactId: 501, amocrmLeadId: 901 },
        { index: 1, outcome: 'duplicate', id: 'c0' },
        { index: 2, outcome: 'invalid', field: 'recordingUrl', message: 'bad' },
      ],
    }));
    const outcomes = await writer.write(run(), FIELDS, ROWS);
    expect(calls.map((c) => [c.rows.map((r) => r.phone), c.source, c.originRef])).toEqual([
      [['+79160000001', '+79160000002', '+79160000003'], 'import', 'import:imp-1'],
    ]);
    expect(
      outcomes
        .sort((a, b) => a.rowNumber - b.rowNumber)
        .map((o) => [o.rowNumber, o.status, o.message, o.amocrmContactId, o.amocrmLeadId]),
    ).toEqual([
      [2, 'created', null, 501, 901],
      [3, 'skipped', 'Такой звонок уже загружен', null, null],
      [
        4,
        'failed',
        'Ссылка на запись должна начинаться с http:// или https:// и быть не длиннее 1024 знаков',
        null,
        null,
      ],
      [5, 'skipped', 'Повтор строки 2: тот же звонок', null, null],
      [6, 'failed', 'Телефон «12» не похож на номер телефона', null, null],
    ]);
  });

  it('a dry run records nothing and says what would happen, a call already stored included', async () => {
    const { writer, calls, checked } = service(() => new Error('must not be called'), ['+79160000002']);
    const outcomes = await writer.write(run(true), FIELDS, ROWS);
    expect(calls).toEqual([]);
    expect(checked.map((c) => [c.rows.map((r) => r.phone), c.source])).toEqual([
      [['+79160000001', '+79160000002', '+79160000003'], 'import'],
    ]);
    expect(
      outcomes.sort((a, b) => a.rowNumber - b.rowNumber).map((o) => [o.rowNumber, o.status, o.message]),
    ).toEqual([
      [2, 'created', 'Проверка: звонок будет загружен'],
      [3, 'skipped', 'Такой звонок уже загружен'],
      [
        4,
        'failed',
        'Ссылка на запись должна начинаться с http:// или https:// и быть не длиннее 1024 знаков',
      ],
      [5, 'skipped', 'Повтор строки 2: тот же звонок'],
      [6, 'failed', 'Телефон «12» не похож на номер телефона'],
    ]);
  });

  it('when recording fails, the rows it held fail with a reason to load them again', async () => {
    const { writer } = service(() => new Error('database gone'));
    const outcomes = await writer.write(run(), FIELDS, ROWS.slice(0, 2));
    expect(outcomes.map((o) => [o.rowNumber, o.status, o.message])).toEqual([
      [2, 'failed', 'Звонок не удалось сохранить; строку можно загрузить ещё раз'],
      [3, 'failed', 'Звонок не удалось сохранить; строку можно загрузить ещё раз'],
    ]);
  });
});

import { planCallRow } from './call-row-plan';
import type { RowField } from './row-plan';

const FIELDS: RowField[] = [
  { index: 0, field: 'call.phone' },
  { index: 1, field: 'call.started_at' },
  { index: 2, field: 'call.duration' },
  { index: 3, field: 'call.direction' },
  { index: 4, field: 'call.result' },
  { index: 5, field: 'call.operator' },
  { index: 6, field: 'call.recording_url' },
  { index: 7, field: 'call.source_id' },
];

const plan = (cells: unknown[], workbook = false) =>
  planCallRow(cells as (string | number | boolean | null)[], FIELDS, 'RU', workbook);

describe('planCallRow: a sheet row as a call, or why not (in Russian)', () => {
  it('reads a call-centre row: phone to E.164, Moscow time, m:ss, Russian words, key by phone/start/operator', () => {
    expect(
      plan([
        '8 (916) 123-45-67',
        '07.12.2026 10:15',
        '1:30',
        'Исходящий',
        'Отвечен',
        'Ольга',
        'https://r/1',
        '',
      ]),
    ).toEqual({
      ok: true,
      input: {
        phone: '+79161234567',
        startedAt: new Date('2026-12-07T07:15:00.000Z'),
        durationSeconds: 90,
        direction: 'out',
        result: 'answered',
        recordingUrl: 'https://r/1',
        operator: 'Ольга',
        sourceId: null,
      },
      key: `call:+79161234567|${Date.parse('2026-12-07T07:15:00Z')}|Ольга`,
    });
  });

  it.each([
    ['2026-12-07T10:15:00Z', false, '2026-12-07T10:15:00.000Z'],
    ['2026-12-07 10:15', false, '2026-12-07T07:15:00.000Z'],
    ['2026-12-07T10:15:00+05:00', false, '2026-12-07T05:15:00.000Z'],
    // a workbook date cell keeps no zone: its wall-clock time is Moscow time, like the text form
    ['2026-12-07T10:15:00.000Z', true, '2026-12-07T07:15:00.000Z'],
    ['2026-12-07T10:15:00.000Z', false, '2026-12-07T10:15:00.000Z'],
    ['7.1.2026', false, '2026-01-06T21:00:00.000Z'],
  ])('reads the start %s (workbook %s) as %s', (start, workbook, iso) => {
    const result = plan(['+79161234567', start, 10, 'in', 'answered', null, null, null], workbook);
    expect(result.ok && result.input.startedAt).toEqual(new Date(iso));
  });

  it.each([
    [[' in ', 'пропущен'], 'in', 'missed'],
    [['входящий', 'не отвечен'], 'in', 'missed'],
    [['outgoing', 'Занято'], 'out', 'busy'],
    [['исх.', 'ошибка связи'], 'out', 'failed'],
    [['', ''], 'out', 'answered'],
  ])('reads direction and result %j', ([direction, result], wantDirection, wantResult) => {
    const row = plan(['+79161234567', '2026-12-07T10:15:00Z', 5, direction, result, null, null, null]);
    expect(row.ok && [row.input.direction, row.input.result]).toEqual([wantDirection, wantResult]);
  });

  it('a call with no duration and no result is missed; durations as seconds, h:mm:ss and a time cell', () => {
    const seconds = (duration: unknown) => {
      const row = plan(['+79161234567', '2026-12-07T10:15:00Z', duration, '', '', null, null, null]);
      return row.ok ? [row.input.durationSeconds, row.input.result] : row.message;
    };
    expect(seconds(null)).toEqual([0, 'missed']);
    expect(seconds('45')).toEqual([45, 'answered']);
    expect(seconds('1:02:03')).toEqual([3723, 'answered']);
    expect(seconds('1899-12-30T00:01:30.000Z')).toEqual([90, 'answered']);
  });

  it('keys a row with a source id by it, and needs no phone then', () => {
    const row = plan(['', '2026-12-07T10:15:00Z', 5, '', '', null, null, 'lp-77']);
    expect(row).toMatchObject({ ok: true, key: 'source:lp-77', input: { phone: null, sourceId: 'lp-77' } });
  });

  it.each([
    [['12', '2026-12-07T10:15:00Z'], 'Телефон «12» не похож на номер телефона'],
    [['', '2026-12-07T10:15:00Z'], 'Нет телефона'],
    [['+79161234567', ''], 'Нет времени начала звонка'],
    [['+79161234567', 'вчера'], 'Время начала «вчера» не похоже на дату и время'],
    [['+79161234567', '31.02.2026 10:00'], 'Время начала «31.02.2026 10:00» не похоже на дату и время'],
    [['+79161234567', '2026-12-07', 'долго'], 'Длительность «долго» — не число секунд'],
    [
      ['+79161234567', '2026-12-07', 5, 'туда'],
      'Направление «туда» не понятно: нужно «входящий» или «исходящий»',
    ],
    [
      ['+79161234567', '2026-12-07', 5, 'in', 'так себе'],
      'Итог звонка «так себе» не понятен: нужно «отвечен», «пропущен», «занято» или «ошибка»',
    ],
  ])('refuses %j: %s', (cells, message) => {
    expect(plan(cells)).toEqual({ ok: false, message });
  });
});

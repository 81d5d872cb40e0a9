import type { CountryCode } from 'libphonenumber-js';
import { normalizePhone } from '../../contacts/phone';
import type { CallDirection, CallResult, CallResultInput } from '../../sync/call-results/call-result.types';
import type { SheetCell } from '../parsing/header-row';
import type { RowField } from './row-plan';

/** A call row as CallResultsService takes it, with its identity key for repeats inside the file. */
export type CallRowPlan = { ok: true; input: CallResultInput; key: string } | { ok: false; message: string };

/** Moscow time (no daylight saving): what a time written without a zone means in a Russian call-centre report. */
const WALL_CLOCK_OFFSET = '+03:00';
/** A date cell of a workbook as the readers give it (the wall-clock time written as if it were UTC). */
const WORKBOOK_DATE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z$/;

const DIRECTIONS: [RegExp, CallDirection][] = [
  [/^(in|inbound|incoming|вх|входящ)/, 'in'],
  [/^(out|outbound|outgoing|исх|исходящ)/, 'out'],
];
const RESULTS: [RegExp, CallResult][] = [
  [/^(answered|success|ok|отвеч|принят|успеш|разговор|состоял)/, 'answered'],
  [/^(missed|no.?answer|пропущ|не ?отвеч|без ответа|нет ответа|недозвон|не ?принят)/, 'missed'],
  [/^(busy|занят)/, 'busy'],
  [/^(failed|error|ошибк|сбой|не ?удал|неудач|не ?состоял)/, 'failed'],
];

/**
 * One sheet row of a call-results import as a call (`CallResultsService.record` checks it again), or why not, in
 * Russian for the report. Times without a zone, and the date cells of a workbook (which keep none), are Moscow
 * time; a duration is seconds or m:ss / h:mm:ss; direction and result are read from Russian or English words. An
 * unmapped or empty direction means an outgoing call; an unmapped or empty result means answered when the call
 * lasted, else missed.
 */
export function planCallRow(
  cells: readonly SheetCell[],
  fields: readonly RowField[],
  region: CountryCode,
  workbook: boolean,
): CallRowPlan {
  const value = (field: string): SheetCell | undefined => {
    const mapped = fields.find((candidate) => candidate.field === field);
    return mapped ? cells[mapped.index] : undefined;
  };
  const text = (field: string): string => textOf(value(field));
  const rawPhone = text('call.phone');
  const sourceId = text('call.source_id') || null;
  if (rawPhone === '' && sourceId === null) return fail('Нет телефона');
  const phone = rawPhone === '' ? null : normalizePhone(rawPhone, region);
  if (rawPhone !== '' && phone === null)
    return fail(`Телефон «${short(rawPhone)}» не похож на номер телефона`);
  const startedAt = startOf(value('call.started_at'), workbook);
  if (startedAt === null)
    return text('call.started_at') === ''
      ? fail('Нет времени начала звонка')
      : fail(`Время начала «${short(text('call.started_at'))}» не похоже на дату и время`);
  const rawDuration = value('call.duration');
  const duration = durationOf(rawDuration);
  if (duration === null) return fail(`Длительность «${short(textOf(rawDuration))}» — не число секунд`);
  const direction = pick(text('call.direction'), DIRECTIONS, 'out');
  if (direction === null)
    return fail(
      `Направление «${short(text('call.direction'))}» не понятно: нужно «входящий» или «исходящий»`,
    );
  const result = pick(text('call.result'), RESULTS, duration > 0 ? 'answered' : 'missed');
  if (result === null)
    return fail(
      `Итог звонка «${short(text('call.result'))}» не понятен: нужно «отвечен», «пропущен», «занято» или «ошибка»`,
    );
  const operator = text('call.operator') || null;
  const input: CallResultInput = {
    phone,
    startedAt,
    durationSeconds: duration,
    direction,
    result,
    recordingUrl: text('call.recording_url') || null,
    operator,
    sourceId,
  };
  const key = sourceId
    ? `source:${sourceId}`
    : `call:${phone ?? ''}|${startedAt.getTime()}|${operator ?? ''}`;
  return { ok: true, input, key };
}

/** Why CallResultsService refused a row (it names the field in English), in Russian for the report. */
export function callRefusal(field: string): string {
  const reasons: Record<string, string> = {
    phone: 'Телефон не похож на номер телефона',
    startedAt: 'Время начала звонка должно быть между 2000 годом и завтрашним днём',
    durationSeconds: 'Длительность должна быть от 0 секунд до суток',
    direction: 'Направление звонка не понятно',
    result: 'Итог звонка не понятен',
    recordingUrl: 'Ссылка на запись должна начинаться с http:// или https:// и быть не длиннее 1024 знаков',
    operator: 'Имя оператора длиннее 128 знаков',
    sourceId: 'Номер звонка в источнике длиннее 128 знаков',
  };
  return reasons[field] ?? 'Звонок не удалось принять';
}

function startOf(cell: SheetCell | undefined, workbook: boolean): Date | null {
  if (cell === null || cell === undefined || typeof cell === 'boolean') return null;
  if (typeof cell === 'number') return null;
  const text = cell.trim();
  const excel = workbook ? WORKBOOK_DATE.exec(text) : null;
  if (excel) return dateOrNull(`${excel[1]}${WALL_CLOCK_OFFSET}`);
  const russian = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T,]+(\d{1,2}):(\d\d)(?::(\d\d))?)?$/.exec(text);
  if (russian) {
    const [, day, month, year, hour = '0', minute = '0', second = '0'] = russian;
    const iso = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${WALL_CLOCK_OFFSET}`;
    const date = dateOrNull(iso);
    // 31.02 rolls over in Date: refuse it instead
    return date && Number(day) === dayInMoscow(date) ? date : null;
  }
  const iso = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?))?(Z|[+-]\d\d:?\d\d)?$/.exec(text);
  if (!iso) return null;
  const [, date, time = '00:00', zone] = iso;
  return dateOrNull(`${date}T${time}${zone ?? WALL_CLOCK_OFFSET}`);
}

function durationOf(cell: SheetCell | undefined): number | null {
  if (cell === null || cell === undefined || cell === '') return 0;
  if (typeof cell === 'number') return Number.isFinite(cell) && cell >= 0 ? Math.round(cell) : null;
  if (typeof cell === 'boolean') return null;
  const text = cell.trim();
  // a workbook cell formatted as a time of day (00:01:30) comes as a date on Excel's day zero
  const time = /^1899-12-(?:30|31)T(\d\d):(\d\d):(\d\d)/.exec(text);
  if (time) return Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3]);
  if (/^\d{1,6}([.,]\d+)?$/.test(text)) return Math.round(Number(text.replace(',', '.')));
  const clock = /^(?:(\d{1,2}):)?(\d{1,2}):(\d\d)$/.exec(text);
  if (!clock) return null;
  return Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
}

function pick<T>(text: string, words: [RegExp, T][], absent: T): T | null {
  const word = text.toLowerCase().replace(/ё/g, 'е').trim();
  if (word === '') return absent;
  return words.find(([pattern]) => pattern.test(word))?.[1] ?? null;
}

function textOf(cell: SheetCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  return String(cell).trim();
}

function dateOrNull(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function dayInMoscow(date: Date): number {
  return new Date(date.getTime() + 3 * 3600_000).getUTCDate();
}

function pad(part: string): string {
  return part.padStart(2, '0');
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fail(message: string): CallRowPlan {
  return { ok: false, message };
}

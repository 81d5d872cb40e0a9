import { RULE_LIMITS, type RuleFieldType } from './rule.types';

/** A value of the event as the evaluator reads it (lists: every phone, e-mail, tag or option id). */
export type RuleValue = string | number | boolean | null | (string | number)[];

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const RU = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A date as a time range in unix milliseconds `[start, end)`: a calendar day (`2026-01-05`, `05.01.2026`) is the
 * whole UTC day, a moment (ISO date and time, unix seconds or milliseconds) is that millisecond. Null when the
 * value is not a date.
 */
export function parseDateRange(value: unknown): { start: number; end: number } | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    const ms = value < 1e11 ? value * 1000 : value;
    return { start: ms, end: ms + 1 };
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d{9,13}$/.test(text)) return parseDateRange(Number(text));
  const day = DATE_ONLY.exec(text);
  if (day) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    return validDay(start, Number(day[3])) ? { start, end: start + DAY_MS } : null;
  }
  const ru = RU.exec(text);
  if (ru) {
    const year = ru[3].length === 2 ? 2000 + Number(ru[3]) : Number(ru[3]);
    const start = Date.UTC(year, Number(ru[2]) - 1, Number(ru[1]));
    if (!validDay(start, Number(ru[1]))) return null;
    if (ru[4] === undefined) return { start, end: start + DAY_MS };
    const ms = start + (Number(ru[4]) * 3600 + Number(ru[5]) * 60 + Number(ru[6] ?? 0)) * 1000;
    return { start: ms, end: ms + 1 };
  }
  if (!ISO.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : { start: ms, end: ms + 1 };
}

function validDay(start: number, dayOfMonth: number): boolean {
  return !Number.isNaN(start) && new Date(start).getUTCDate() === dayOfMonth;
}

/** The start of a date value in unix milliseconds, or null. */
export function parseDateValue(value: unknown): number | null {
  return parseDateRange(value)?.start ?? null;
}

export function isEmptyValue(value: RuleValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim().length === 0;
  if (Array.isArray(value)) return value.every((item) => isEmptyValue(item));
  return false;
}

/** Text as compared: cut to the input cap, trimmed, lower-cased. */
export function normalText(value: unknown): string | null {
  if (typeof value === 'string') return value.slice(0, RULE_LIMITS.inputLength).trim().toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).toLowerCase();
  return null;
}

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value.trim().replace(',', '.'));
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

export function asBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return null;
}

/** The elements of a list value (a scalar is a one-element list). */
export function asList(value: RuleValue | undefined): (string | number)[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value;
  return typeof value === 'boolean' ? [String(value)] : [value];
}

/** Whether two values of a field are the same, by the field's type (for `changed`). */
export function sameValue(type: RuleFieldType, a: RuleValue | undefined, b: RuleValue | undefined): boolean {
  if (isEmptyValue(a) || isEmptyValue(b)) return isEmptyValue(a) && isEmptyValue(b);
  switch (type) {
    case 'number':
      return asNumber(a) === asNumber(b);
    case 'date':
      return parseDateValue(a) === parseDateValue(b);
    case 'boolean':
      return asBoolean(a) === asBoolean(b);
    case 'enum':
      return String(a) === String(b);
    case 'strings':
    case 'multi_enum': {
      const left = asList(a)
        .map((item) => normalText(item))
        .sort();
      const right = asList(b)
        .map((item) => normalText(item))
        .sort();
      return left.length === right.length && left.every((item, i) => item === right[i]);
    }
    default:
      return normalText(a) === normalText(b);
  }
}

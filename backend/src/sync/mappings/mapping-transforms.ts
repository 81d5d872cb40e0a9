import type { CountryCode } from 'libphonenumber-js/max';
import { normalizePhone } from '../../contacts/phone';
import type { FieldRef, MappingTransform } from './mapping.types';

/** One value of a source field (a multi-valued field such as `contact.phone` gives several). */
export type MappedValue = string | number | boolean;

/** The result of a transform on one value: the value, nothing (an empty source), or why it failed. */
export type TransformResult =
  { ok: true; value: MappedValue | null } | { ok: false; code: string; message: string };

/** A template's output is cut at this many characters. */
export const MAX_TEMPLATE_OUTPUT = 4000;
/** LPTracker dates without a zone (`d.m.Y H:i`, `dd.mm.yy HH:MM:SS`) are Moscow time, as LPTracker shows them. */
const LPTRACKER_UTC_OFFSET_MINUTES = 3 * 60;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.]{0,99})\}/g;

/** The source FieldRefs a template names (`{contact.name}` → `contact.name`). */
export function templateRefs(template: string): FieldRef[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
}

/**
 * Applies a transform to one source value. `resolve` gives a source field's text for templates (no code is ever
 * evaluated: placeholders are looked up, everything else is copied). Empty results are `value: null`.
 */
export function applyTransform(
  transform: MappingTransform,
  value: MappedValue | null,
  resolve: (ref: FieldRef) => string | null,
  region: CountryCode = 'RU',
): TransformResult {
  switch (transform.type) {
    case 'constant':
      return { ok: true, value: transform.value };
    case 'template': {
      const text = transform.template.replace(PLACEHOLDER, (_all, ref: string) => resolve(ref) ?? '');
      const cut = text.slice(0, MAX_TEMPLATE_OUTPUT).trim();
      return { ok: true, value: cut === '' ? null : cut };
    }
    default:
      break;
  }
  if (value === null || value === '') return { ok: true, value: null };
  switch (transform.type) {
    case 'none':
      return { ok: true, value };
    case 'trim': {
      const text = String(value).trim();
      return { ok: true, value: text === '' ? null : text };
    }
    case 'lowercase':
      return { ok: true, value: String(value).trim().toLowerCase() };
    case 'phone': {
      const e164 = normalizePhone(String(value), region);
      return e164 === null
        ? { ok: false, code: 'notAPhone', message: `"${clip(value)}" is not a phone number` }
        : { ok: true, value: e164 };
    }
    case 'number': {
      const number = numberOf(value);
      return number === null
        ? { ok: false, code: 'notANumber', message: `"${clip(value)}" is not a number` }
        : { ok: true, value: number };
    }
    case 'date': {
      const date = parseLptrackerDate(value);
      return date === null
        ? { ok: false, code: 'notADate', message: `"${clip(value)}" is not a date` }
        : { ok: true, value: formatDate(date, transform.format) };
    }
    case 'enum_map': {
      const wanted = String(value).trim().toLowerCase();
      const row = transform.map.find((entry) => entry.from.trim().toLowerCase() === wanted);
      return row
        ? { ok: true, value: row.to }
        : { ok: false, code: 'enumNoMatch', message: `"${clip(value)}" is not in the value map` }; // never a silent skip
    }
  }
}

/** A number from a number or a text such as `1 500,50` / `1500.5`; null otherwise. */
export function numberOf(value: MappedValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return null;
  const text = value.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^[-+]?\d+(\.\d+)?$/.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/**
 * A date in any form LPTracker uses: `d.m.Y H:i`, `dd.mm.yy HH:MM:SS`, `d.m.Y` (Moscow time), unix seconds or
 * milliseconds (number or digits), ISO 8601. Null when it is none of these.
 */
export function parseLptrackerDate(value: MappedValue): Date | null {
  if (typeof value === 'boolean') return null;
  const text = String(value).trim();
  if (/^\d{9,11}$/.test(text)) return new Date(Number(text) * 1000);
  if (/^\d{12,14}$/.test(text)) return new Date(Number(text));
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (dotted) {
    const [, day, month, yearText, hour = '0', minute = '0', second = '0'] = dotted;
    const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
    const parts = [year, Number(month), Number(day), Number(hour), Number(minute), Number(second)];
    const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
    const date = new Date(utc - LPTRACKER_UTC_OFFSET_MINUTES * 60_000);
    const check = new Date(utc);
    // 31.02.2024 rolls over into March: not a date
    if (check.getUTCDate() !== parts[2] || check.getUTCMonth() !== parts[1] - 1 || parts[3] > 23) return null;
    return date;
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const date = new Date(text.replace(' ', 'T'));
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

/**
 * Writes a date as `unix` (seconds, amoCRM date fields), `unix_ms`, `iso`, or a pattern of `YYYY YY MM DD HH mm
 * ss` (Moscow time, as LPTracker expects `lead_date` `DD.MM.YYYY HH:mm`).
 */
export function formatDate(date: Date, format: string): string | number {
  if (format === 'unix') return Math.floor(date.getTime() / 1000);
  if (format === 'unix_ms') return date.getTime();
  if (format === 'iso') return date.toISOString();
  const local = new Date(date.getTime() + LPTRACKER_UTC_OFFSET_MINUTES * 60_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const tokens: Record<string, string> = {
    YYYY: String(local.getUTCFullYear()),
    YY: two(local.getUTCFullYear() % 100),
    MM: two(local.getUTCMonth() + 1),
    DD: two(local.getUTCDate()),
    HH: two(local.getUTCHours()),
    mm: two(local.getUTCMinutes()),
    ss: two(local.getUTCSeconds()),
  };
  return format.replace(/YYYY|YY|MM|DD|HH|mm|ss/g, (token) => tokens[token]);
}

/** Date formats a `date` transform accepts (the pattern tokens, or a named form). */
export function isDateFormat(format: string): boolean {
  if (['unix', 'unix_ms', 'iso'].includes(format)) return true;
  return format.length <= 40 && /^(YYYY|YY|MM|DD|HH|mm|ss|[ .:/T-])+$/.test(format) && /YY|DD/.test(format);
}

function clip(value: MappedValue): string {
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

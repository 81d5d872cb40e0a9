import type { AmocrmCustomFieldMeta } from '../../amocrm/metadata/amocrm-metadata.types';
import { numberOf, parseLptrackerDate, type MappedValue } from './mapping-transforms';

/** Field types whose values are texts, numbers, dates, options or yes/no (what a mapping can write). */
export const AMO_TEXT_TYPES = new Set(['text', 'textarea', 'url', 'streetaddress', 'multitext']);
export const AMO_NUMBER_TYPES = new Set(['numeric', 'price']);
export const AMO_DATE_TYPES = new Set(['date', 'date_time', 'birthday']);
export const AMO_ENUM_TYPES = new Set(['select', 'radiobutton', 'multiselect']);
export const AMO_MULTI_TYPES = new Set(['multitext', 'multiselect']);
export const AMO_BOOLEAN_TYPES = new Set(['checkbox']);

/** The value kind a field type takes; null when a mapping cannot write it (files, linked entities…). */
export function amoValueKind(type: string): 'text' | 'number' | 'date' | 'enum' | 'boolean' | null {
  if (AMO_TEXT_TYPES.has(type)) return 'text';
  if (AMO_NUMBER_TYPES.has(type)) return 'number';
  if (AMO_DATE_TYPES.has(type)) return 'date';
  if (AMO_ENUM_TYPES.has(type)) return 'enum';
  if (AMO_BOOLEAN_TYPES.has(type)) return 'boolean';
  return null;
}

export type AmoFieldValue = { value?: string | number | boolean; enumId?: number };

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'да', 'y', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'нет', 'n', 'off']);
const MAX_TEXT = 10_000;

/** One mapped value as an amoCRM custom field value, or why it does not fit the field. */
export function amoFieldValue(
  field: AmocrmCustomFieldMeta,
  value: MappedValue,
): { ok: true; item: AmoFieldValue } | { ok: false; code: string; message: string } {
  const kind = amoValueKind(field.type);
  const named = `amoCRM field ${field.id} (${field.name})`;
  const refuse = (code: string, what: string) => ({
    ok: false as const,
    code,
    message: `${named} ${what}, not "${String(value).slice(0, 60)}"`,
  });
  switch (kind) {
    case 'text':
      return { ok: true, item: { value: String(value).slice(0, MAX_TEXT) } };
    case 'number': {
      const number = numberOf(value);
      return number === null
        ? refuse('typeMismatch', 'takes a number')
        : { ok: true, item: { value: number } };
    }
    case 'date': {
      const date =
        typeof value === 'number' ? new Date(value > 1e11 ? value : value * 1000) : parseLptrackerDate(value);
      return date === null
        ? refuse('typeMismatch', 'takes a date')
        : { ok: true, item: { value: Math.floor(date.getTime() / 1000) } };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, item: { value } };
      const word = String(value).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, item: { value: true } };
      if (FALSE_WORDS.has(word)) return { ok: true, item: { value: false } };
      return refuse('typeMismatch', 'takes yes or no');
    }
    case 'enum': {
      const enums = field.enums ?? [];
      const byId = typeof value === 'number' ? enums.find((option) => option.id === value) : undefined;
      const wanted = String(value).trim().toLowerCase();
      const option = byId ?? enums.find((candidate) => candidate.value.trim().toLowerCase() === wanted);
      return option
        ? { ok: true, item: { enumId: option.id } }
        : refuse('enumOptionMissing', 'has no such option');
    }
    default:
      return {
        ok: false,
        code: 'unsupportedType',
        message: `${named} has the type ${field.type}, which a mapping cannot set`,
      };
  }
}

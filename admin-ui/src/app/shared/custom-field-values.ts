import type { AmocrmCustomField } from '../core/amocrm/amocrm.models';
import { formatLocalDate } from '../core/i18n/local-date.pipe';

/** A custom field of a contact or lead as the backend stores it (amoCRM's shape). */
export interface CustomFieldValues {
  fieldId: number;
  fieldCode?: string | null;
  fieldName?: string | null;
  values: { value?: string | number | boolean | null; enumId?: number | null; enumCode?: string | null }[];
}

/** One line of the "custom fields" list of a record. */
export interface CustomFieldRow {
  fieldId: number;
  name: string;
  values: string[];
}

const DATE_TYPES = new Set(['date', 'birthday']);
const DATE_TIME_TYPES = new Set(['date_time']);

/**
 * Readable custom fields: names from the amoCRM metadata (else the name stored with the record,
 * else the field id), list options by their text, dates (unix seconds) in the user's locale,
 * checkboxes as yes/no.
 */
export function customFieldRows(
  fields: readonly CustomFieldValues[] | null | undefined,
  lookup: (fieldId: number) => AmocrmCustomField | null,
  locale: string,
  yesNo: { yes: string; no: string },
): CustomFieldRow[] {
  return (fields ?? []).map((field) => {
    const meta = lookup(field.fieldId);
    const values = field.values
      .map((item) => {
        const option =
          item.enumId !== null && item.enumId !== undefined
            ? meta?.enums?.find((e) => e.id === item.enumId)?.value
            : undefined;
        return option ?? formatValue(item.value, meta?.type, locale, yesNo);
      })
      .filter((value): value is string => value !== null && value !== '');
    return {
      fieldId: field.fieldId,
      name: meta?.name ?? field.fieldName ?? field.fieldCode ?? `#${field.fieldId}`,
      values,
    };
  });
}

function formatValue(
  value: string | number | boolean | null | undefined,
  type: string | undefined,
  locale: string,
  yesNo: { yes: string; no: string },
): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'boolean') {
    return value ? yesNo.yes : yesNo.no;
  }
  const isDate = type !== undefined && (DATE_TYPES.has(type) || DATE_TIME_TYPES.has(type));
  if (isDate) {
    const seconds = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : null;
    const when = seconds === null ? value : seconds * 1000;
    return (
      formatLocalDate(when, locale, type && DATE_TIME_TYPES.has(type) ? 'dateTime' : 'date') ?? String(value)
    );
  }
  return String(value);
}

import type { CountryCode } from 'libphonenumber-js';
import type {
  AmoContact,
  AmoCustomFieldValue,
  AmoCustomFieldValueItem,
} from '../../amocrm/client/amocrm-api.types';
import { normalizeEmail, normalizePhone } from '../../contacts/phone';

/**
 * Exact matching of amoCRM contacts. amoCRM's `query` is a broad search (`9161234567` also finds
 * `+791612345678`), and it stores phones as typed, so every hit is checked here: a contact matches a phone when
 * one of its PHONE values normalises to the same E.164 number, an e-mail when one of its EMAIL values is the same
 * address ignoring case. Never the first hit blindly.
 */

export type MultiValueCode = 'PHONE' | 'EMAIL';

/** The PHONE or EMAIL field of a contact (by `field_code`, or by the field id from the metadata). */
export function multiValueField(
  contact: Pick<AmoContact, 'custom_fields_values'>,
  code: MultiValueCode,
  fieldId?: number,
): AmoCustomFieldValue | undefined {
  return (contact.custom_fields_values ?? []).find(
    (field) =>
      field.field_code?.toUpperCase() === code || (fieldId !== undefined && field.field_id === fieldId),
  );
}

/** The raw values of the PHONE or EMAIL field, as typed in amoCRM. */
export function rawValuesOf(
  contact: Pick<AmoContact, 'custom_fields_values'>,
  code: MultiValueCode,
  fieldId?: number,
): string[] {
  return (multiValueField(contact, code, fieldId)?.values ?? []).flatMap((item) =>
    typeof item.value === 'string' || typeof item.value === 'number' ? [String(item.value)] : [],
  );
}

/** Every phone of the contact that is a valid number, in E.164, without repeats, in amoCRM's order. */
export function phonesOf(
  contact: Pick<AmoContact, 'custom_fields_values'>,
  region: CountryCode,
  fieldId?: number,
): string[] {
  const phones = rawValuesOf(contact, 'PHONE', fieldId)
    .map((value) => normalizePhone(value, region))
    .filter((value): value is string => value !== null);
  return [...new Set(phones)];
}

/** Every e-mail of the contact, lower-case, without repeats. */
export function emailsOf(contact: Pick<AmoContact, 'custom_fields_values'>, fieldId?: number): string[] {
  const emails = rawValuesOf(contact, 'EMAIL', fieldId)
    .map(normalizeEmail)
    .filter((value) => value !== '');
  return [...new Set(emails)];
}

/**
 * The contact among `hits` that really has this phone (E.164): live, with a PHONE value normalising to it;
 * the oldest (lowest id) when several do, so every caller picks the same one.
 */
export function pickContactByPhone(
  hits: readonly AmoContact[],
  e164: string,
  region: CountryCode,
  fieldId?: number,
): AmoContact | undefined {
  return oldest(
    hits.filter((hit) => hit.is_deleted !== true && phonesOf(hit, region, fieldId).includes(e164)),
  );
}

/** The contact among `hits` that really has this e-mail (lower-case), the oldest when several do. */
export function pickContactByEmail(
  hits: readonly AmoContact[],
  email: string,
  fieldId?: number,
): AmoContact | undefined {
  return oldest(hits.filter((hit) => hit.is_deleted !== true && emailsOf(hit, fieldId).includes(email)));
}

function oldest(contacts: readonly AmoContact[]): AmoContact | undefined {
  return [...contacts].sort((a, b) => a.id - b.id)[0];
}

/**
 * Read-merge-write of a multi-value field (amoCRM replaces the whole set on write): the current values as
 * they are (text, type, order) plus each addition that is not there yet (`same` decides, e.g. equal E.164).
 * Answers null when nothing needs to be written.
 */
export function mergeMultiValue(
  current: readonly AmoCustomFieldValueItem[],
  additions: readonly string[],
  same: (existing: string, added: string) => boolean,
  enumCode: string,
): AmoCustomFieldValueItem[] | null {
  const kept: AmoCustomFieldValueItem[] = current
    .filter((item) => typeof item.value === 'string' || typeof item.value === 'number')
    .map((item) =>
      item.enum_id !== undefined
        ? { value: item.value, enum_id: item.enum_id }
        : item.enum_code
          ? { value: item.value, enum_code: item.enum_code }
          : { value: item.value },
    );
  const texts = kept.map((item) => String(item.value));
  const added: AmoCustomFieldValueItem[] = [];
  for (const addition of additions) {
    if (texts.some((existing) => same(existing, addition))) continue;
    texts.push(addition);
    added.push({ value: addition, enum_code: enumCode });
  }
  return added.length === 0 ? null : [...kept, ...added];
}

/** Phones are the same when they normalise to the same E.164 number (or are the same text). */
export function samePhone(region: CountryCode): (existing: string, added: string) => boolean {
  return (existing, added) => existing.trim() === added || normalizePhone(existing, region) === added;
}

export function sameEmail(existing: string, added: string): boolean {
  return normalizeEmail(existing) === added;
}

import type { AmoCustomFieldValue, AmoCustomFieldValueItem } from '../amocrm/client/amocrm-api.types';
import type { AmocrmCustomFieldMeta } from '../amocrm/metadata/amocrm-metadata.types';
import type { CustomFieldValues } from '../contacts/contact.entity';
import type { FieldError } from '../http/problem';
import type { EchoValue } from './echo-fingerprint';

/** A custom field as a client sends it (see CustomFieldInputDto). */
export interface CustomFieldInput {
  fieldId: number;
  values: { value?: string | number | boolean; enumId?: number }[];
}

/** One checked custom field: what to send to amoCRM and what to keep in the mirror. */
export interface PreparedCustomField {
  /** The client's field it came from: `customFields[2]` (with the request's prefix). */
  source: string;
  amo: AmoCustomFieldValue;
  local: CustomFieldValues;
}

export interface PreparedCustomFields {
  fields: PreparedCustomField[];
  errors: FieldError[];
}

/** Types whose values are texts. */
const TEXT_TYPES = new Set(['text', 'textarea', 'url', 'streetaddress', 'multitext']);
const NUMBER_TYPES = new Set(['numeric', 'price']);
const DATE_TYPES = new Set(['date', 'date_time', 'birthday']);
const ENUM_TYPES = new Set(['select', 'radiobutton', 'multiselect']);
/** Types that hold several values; every other type takes exactly one. */
const MULTI_VALUE_TYPES = new Set(['multitext', 'multiselect']);
const MAX_TEXT_LENGTH = 10_000;

/**
 * Checks custom fields against the account's metadata and converts them for amoCRM. Reported as the client
 * named them (`customFields[0].fieldId`): unknown field ids, fields that must be set otherwise (`reservedCodes`,
 * e.g. PHONE and EMAIL of contacts), a second value for a single-value field, enum ids that are not options of
 * the field, and values whose type does not fit the field's type (numbers for numeric, true/false for checkbox,
 * a unix time or ISO date for dates). Field types this API cannot write (files, linked entities…) are refused.
 */
export function prepareCustomFields(
  inputs: readonly CustomFieldInput[] | undefined,
  definitions: readonly AmocrmCustomFieldMeta[],
  path: string,
  options: { reservedCodes?: readonly string[] } = {},
): PreparedCustomFields {
  const fields: PreparedCustomField[] = [];
  const errors: FieldError[] = [];
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const seen = new Set<number>();
  (inputs ?? []).forEach((input, index) => {
    const at = `${path}[${index}]`;
    const definition = byId.get(input.fieldId);
    const problem = fieldProblem(input, definition, seen, options.reservedCodes ?? [], at);
    if (problem || !definition) {
      if (problem) errors.push(problem);
      return;
    }
    const before = errors.length;
    const items = input.values.map((value, valueIndex) =>
      convertValue(definition, value, `${at}.values[${valueIndex}]`, errors),
    );
    if (errors.length > before) return;
    const converted = items.filter((item): item is ConvertedValue => item !== undefined);
    fields.push({
      source: at,
      amo: { field_id: definition.id, values: converted.map((item) => item.amo) },
      local: {
        fieldId: definition.id,
        fieldCode: definition.code,
        fieldName: definition.name,
        values: converted.map((item) => item.local),
      },
    });
  });
  return { fields, errors };
}

/**
 * What makes a field unwritable before its values are looked at: unknown id, a reserved code, listed twice, a
 * type this API cannot set, several values for a single-value field. Null when none. A known field is added to
 * `seen` once past the repeat check (so a repeat is named as such, whatever else is wrong with the field).
 */
function fieldProblem(
  input: CustomFieldInput,
  definition: AmocrmCustomFieldMeta | undefined,
  seen: Set<number>,
  reservedCodes: readonly string[],
  at: string,
): FieldError | null {
  const problem = (field: string, code: string, message: string): FieldError => ({
    field: `${at}.${field}`,
    code,
    message,
  });
  if (!definition)
    return problem('fieldId', 'unknownField', `amoCRM has no custom field ${input.fieldId} here`);
  const named = `field ${input.fieldId} (${definition.name})`;
  if (definition.code && reservedCodes.includes(definition.code.toUpperCase()))
    return problem(
      'fieldId',
      'reservedField',
      `${named} is set through ${definition.code.toLowerCase()}, not customFields`,
    );
  if (seen.has(definition.id))
    return problem('fieldId', 'duplicate', `field ${input.fieldId} is listed twice`);
  seen.add(definition.id);
  if (!isSupportedType(definition.type))
    return problem(
      'fieldId',
      'unsupportedType',
      `${named} has the type ${definition.type}, which this API cannot set`,
    );
  if (!MULTI_VALUE_TYPES.has(definition.type) && input.values.length > 1)
    return problem('values', 'singleValue', `${named} takes one value`);
  return null;
}

interface ConvertedValue {
  amo: AmoCustomFieldValueItem;
  local: CustomFieldValues['values'][number];
}

type ValueInput = CustomFieldInput['values'][number];
/** A value present (not empty). */
type GivenValue = NonNullable<ValueInput['value']>;
/** Records the problem of one value (`value` or `enumId`) and answers undefined. */
type Fail = (field: 'value' | 'enumId', code: string, message: string) => undefined;

function isSupportedType(type: string): boolean {
  return (
    TEXT_TYPES.has(type) ||
    NUMBER_TYPES.has(type) ||
    DATE_TYPES.has(type) ||
    ENUM_TYPES.has(type) ||
    type === 'checkbox'
  );
}

/** One value checked against its field's type and converted (for amoCRM and the mirror); problems go to `errors`. */
function convertValue(
  definition: AmocrmCustomFieldMeta,
  input: ValueInput,
  at: string,
  errors: FieldError[],
): ConvertedValue | undefined {
  const fail: Fail = (field, code, message) => {
    errors.push({ field: `${at}.${field}`, code, message });
    return undefined;
  };
  if (ENUM_TYPES.has(definition.type)) return convertOption(definition, input, fail);
  const { value } = input;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return fail('value', 'required', 'value must not be empty');
  }
  if (TEXT_TYPES.has(definition.type)) return convertText(definition, value, input.enumId, fail);
  if (input.enumId !== undefined)
    return fail('enumId', 'notAllowed', `field ${definition.id} (${definition.type}) has no options`);
  if (NUMBER_TYPES.has(definition.type)) return convertNumber(definition, value, fail);
  if (definition.type === 'checkbox') return convertCheckbox(definition, value, fail);
  return convertDate(definition, value, fail); // date, date_time, birthday
}

/** select, radiobutton, multiselect: an option by its id, else by its text (trimmed, ignoring case). */
function convertOption(
  definition: AmocrmCustomFieldMeta,
  input: ValueInput,
  fail: Fail,
): ConvertedValue | undefined {
  const options = definition.enums ?? [];
  let option =
    input.enumId === undefined ? undefined : options.find((candidate) => candidate.id === input.enumId);
  if (input.enumId !== undefined && !option) {
    return fail(
      'enumId',
      'unknownEnum',
      `${input.enumId} is not an option of field ${definition.id} (${describeOptions(options)})`,
    );
  }
  if (!option && input.value !== undefined) {
    const text = String(input.value).trim().toLocaleLowerCase('ru');
    option = options.find((candidate) => candidate.value.trim().toLocaleLowerCase('ru') === text);
    if (!option)
      return fail(
        'value',
        'unknownEnum',
        `"${String(input.value)}" is not an option of field ${definition.id} (${describeOptions(options)})`,
      );
  }
  if (!option)
    return fail(
      'enumId',
      'required',
      `field ${definition.id} needs enumId, one of ${describeOptions(options)}`,
    );
  return { amo: { enum_id: option.id }, local: { value: option.value, enumId: option.id, enumCode: null } };
}

/** Texts (trimmed, bounded); a url must look like a web address; multitext may name its type (enumId). */
function convertText(
  definition: AmocrmCustomFieldMeta,
  value: GivenValue,
  enumId: number | undefined,
  fail: Fail,
): ConvertedValue | undefined {
  if (typeof value === 'boolean')
    return fail('value', 'type', `field ${definition.id} (${definition.type}) takes a text`);
  const text = String(value).trim();
  if (text.length > MAX_TEXT_LENGTH)
    return fail('value', 'maxLength', `value must be at most ${MAX_TEXT_LENGTH} characters`);
  if (definition.type === 'url' && !/^[a-z][a-z0-9+.-]*:\/\/\S+$|^[^\s/]+\.[^\s]+$/i.test(text)) {
    return fail('value', 'type', `field ${definition.id} (url) takes a web address`);
  }
  if (definition.type === 'multitext') return convertMultitext(definition, text, enumId, fail);
  if (enumId !== undefined)
    return fail('enumId', 'notAllowed', `field ${definition.id} (${definition.type}) has no options`);
  return { amo: { value: text }, local: { value: text, enumId: null, enumCode: null } };
}

function convertMultitext(
  definition: AmocrmCustomFieldMeta,
  text: string,
  enumId: number | undefined,
  fail: Fail,
): ConvertedValue | undefined {
  const options = definition.enums ?? [];
  const option = enumId === undefined ? undefined : options.find((candidate) => candidate.id === enumId);
  if (enumId !== undefined && !option) {
    return fail(
      'enumId',
      'unknownEnum',
      `${enumId} is not a type of field ${definition.id} (${describeOptions(options)})`,
    );
  }
  return {
    amo: enumId === undefined ? { value: text } : { value: text, enum_id: enumId },
    local: { value: text, enumId: option?.id ?? null, enumCode: option?.value ?? null },
  };
}

/** numeric, price: a number, or a text of one (a decimal comma accepted). */
function convertNumber(
  definition: AmocrmCustomFieldMeta,
  value: GivenValue,
  fail: Fail,
): ConvertedValue | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? numberOf(value) : NaN;
  if (!Number.isFinite(number))
    return fail('value', 'type', `field ${definition.id} (${definition.type}) takes a number`);
  return { amo: { value: number }, local: { value: number, enumId: null, enumCode: null } };
}

function convertCheckbox(
  definition: AmocrmCustomFieldMeta,
  value: GivenValue,
  fail: Fail,
): ConvertedValue | undefined {
  if (typeof value !== 'boolean')
    return fail('value', 'type', `field ${definition.id} (checkbox) takes true or false`);
  return { amo: { value }, local: { value, enumId: null, enumCode: null } };
}

/** date, date_time, birthday: a unix time in seconds, or an ISO 8601 date. */
function convertDate(
  definition: AmocrmCustomFieldMeta,
  value: GivenValue,
  fail: Fail,
): ConvertedValue | undefined {
  const seconds = unixSeconds(value);
  if (seconds === undefined) {
    return fail(
      'value',
      'type',
      `field ${definition.id} (${definition.type}) takes a unix time in seconds or an ISO 8601 date`,
    );
  }
  return { amo: { value: seconds }, local: { value: seconds, enumId: null, enumCode: null } };
}

function numberOf(text: string): number {
  const normalised = text.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : NaN;
}

function unixSeconds(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function describeOptions(options: readonly { id: number; value: string }[]): string {
  if (options.length === 0) return 'it has no options';
  const listed = options.slice(0, 10).map((option) => `${option.id} «${option.value}»`);
  return `options: ${listed.join(', ')}${options.length > 10 ? ', …' : ''}`;
}

/** Replaces the listed fields in `current` (a field written replaces that field's whole value set in amoCRM). */
export function applyCustomFieldValues(
  current: readonly CustomFieldValues[] | null,
  written: readonly CustomFieldValues[],
): CustomFieldValues[] {
  const result = (current ?? []).map((field) => ({ ...field, values: [...field.values] }));
  for (const field of written) {
    const index = result.findIndex((candidate) => candidate.fieldId === field.fieldId);
    if (index >= 0) result[index] = { ...field, values: [...field.values] };
    else result.push({ ...field, values: [...field.values] });
  }
  return result;
}

/** amoCRM's `custom_fields_values` as the mirror keeps them. */
export function customFieldsFromAmo(
  values: readonly AmoCustomFieldValue[] | null | undefined,
): CustomFieldValues[] {
  return (values ?? [])
    .filter((field) => typeof field.field_id === 'number')
    .map((field) => ({
      fieldId: field.field_id as number,
      fieldCode: field.field_code ?? null,
      fieldName: field.field_name ?? null,
      values: (field.values ?? []).map((item) => ({
        value: item.value ?? null,
        enumId: item.enum_id ?? null,
        enumCode: item.enum_code ?? null,
      })),
    }));
}

/** Custom fields as the echo guard compares them: the values' texts (select options by their text). */
export function echoOfCustomFields(fields: readonly CustomFieldValues[]): Record<string, EchoValue> {
  const echo: Record<string, EchoValue> = {};
  for (const field of fields) echo[`cf:${field.fieldId}`] = field.values.map((item) => item.value);
  return echo;
}

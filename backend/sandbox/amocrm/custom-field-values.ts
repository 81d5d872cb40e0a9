import type {
  CustomFieldDefinition,
  CustomFieldValueJson,
  FieldEnum,
  StoredCustomField,
  StoredFieldValue,
} from './entity-records';
import type { FormValue } from './form-encoding';
import { asBoolean, asInteger, describeValue, isRecord } from './json-input';
import type { EntityIssues } from './problems';

/** One entity type's custom fields: lookup, validation of written values, and rendering. */
export class FieldCatalog {
  private readonly byIdMap: Map<number, CustomFieldDefinition>;
  private list: CustomFieldDefinition[];

  constructor(definitions: readonly CustomFieldDefinition[]) {
    this.list = [...definitions];
    this.byIdMap = new Map(definitions.map((definition) => [definition.id, definition]));
  }

  get definitions(): readonly CustomFieldDefinition[] {
    return this.list;
  }

  /** A field an admin adds in amoCRM (control API). */
  add(definition: CustomFieldDefinition): void {
    this.list.push(definition);
    this.byIdMap.set(definition.id, definition);
  }

  /** A field an admin deletes in amoCRM (control API); false when there is none with this id. */
  remove(id: number): boolean {
    if (!this.byIdMap.delete(id)) return false;
    this.list = this.list.filter((definition) => definition.id !== id);
    return true;
  }

  byId(id: number): CustomFieldDefinition | undefined {
    return this.byIdMap.get(id);
  }

  byCode(code: string): CustomFieldDefinition | undefined {
    const wanted = code.toUpperCase();
    return this.definitions.find((definition) => definition.code?.toUpperCase() === wanted);
  }

  byName(name: string): CustomFieldDefinition | undefined {
    return this.definitions.find((definition) => definition.name === name);
  }
}

/** A field written in a request; empty `values` clears the field. */
export interface CustomFieldWrite {
  fieldId: number;
  values: StoredFieldValue[];
}

/**
 * Validates `custom_fields_values` as sent. `issues` should already point at
 * `custom_fields_values`, so reported paths read `custom_fields_values.0.values.0.value`.
 */
export function readCustomFieldWrites(
  raw: unknown,
  catalog: FieldCatalog,
  issues: EntityIssues,
): CustomFieldWrite[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    issues.add('InvalidType', '', 'custom_fields_values must be an array');
    return [];
  }
  const writes: CustomFieldWrite[] = [];
  raw.forEach((item: unknown, index) => {
    const itemIssues = issues.at(String(index));
    if (!isRecord(item)) {
      itemIssues.add('InvalidType', '', 'Each custom field value must be an object');
      return;
    }
    const definition = resolveDefinition(item, catalog, itemIssues);
    if (!definition) return;
    const rawValues = item.values;
    if (rawValues === undefined) {
      itemIssues.add('FieldMissing', 'values', 'values is required');
      return;
    }
    if (rawValues === null || (Array.isArray(rawValues) && rawValues.length === 0)) {
      writes.push({ fieldId: definition.id, values: [] });
      return;
    }
    if (!Array.isArray(rawValues)) {
      itemIssues.add('InvalidType', 'values', 'values must be an array');
      return;
    }
    if (isSingleValued(definition) && rawValues.length > 1) {
      itemIssues.add('InvalidType', 'values', `Field ${definition.id} accepts a single value`);
      return;
    }
    const values: StoredFieldValue[] = [];
    rawValues.forEach((rawValue: unknown, valueIndex) => {
      const stored = readValue(definition, rawValue, itemIssues.at(`values.${valueIndex}`));
      if (stored) values.push(stored);
    });
    writes.push({ fieldId: definition.id, values });
  });
  return writes;
}

function resolveDefinition(
  item: Record<string, unknown>,
  catalog: FieldCatalog,
  issues: EntityIssues,
): CustomFieldDefinition | undefined {
  if (item.field_id !== undefined) {
    const id = asInteger(item.field_id);
    const definition = id === undefined ? undefined : catalog.byId(id);
    if (!definition)
      issues.add('FieldMissing', 'field_id', `Field ${describeValue(item.field_id)} not found`);
    return definition;
  }
  if (typeof item.field_code === 'string') {
    const definition = catalog.byCode(item.field_code);
    if (!definition) issues.add('FieldMissing', 'field_code', `Field with code ${item.field_code} not found`);
    return definition;
  }
  issues.add('FieldMissing', 'field_id', 'field_id or field_code is required');
  return undefined;
}

function isSingleValued(definition: CustomFieldDefinition): boolean {
  return definition.type !== 'multitext' && definition.type !== 'multiselect';
}

function readValue(
  definition: CustomFieldDefinition,
  raw: unknown,
  issues: EntityIssues,
): StoredFieldValue | undefined {
  if (!isRecord(raw)) {
    issues.add('InvalidType', '', 'Each value must be an object');
    return undefined;
  }
  const value = raw.value;
  switch (definition.type) {
    case 'text':
    case 'textarea':
    case 'url': {
      if (value === undefined || value === null || value === '') return undefined;
      if (typeof value === 'string' || typeof value === 'number') return { value: String(value) };
      issues.add('InvalidType', 'value', 'Value must be a string');
      return undefined;
    }
    case 'numeric':
    case 'price': {
      if (value === undefined || value === null || value === '') return undefined;
      const number = typeof value === 'number' ? value : typeof value === 'string' ? numericText(value) : NaN;
      if (Number.isFinite(number)) return { value: String(number) };
      issues.add('InvalidType', 'value', 'Value must be numeric');
      return undefined;
    }
    case 'checkbox': {
      const flag = asBoolean(value);
      if (flag !== undefined) return { value: flag };
      issues.add('InvalidType', 'value', 'Value must be a boolean');
      return undefined;
    }
    case 'date':
    case 'date_time':
    case 'birthday': {
      const timestamp = readTimestamp(value);
      if (timestamp !== undefined) return { value: timestamp };
      issues.add('InvalidType', 'value', 'Value must be a unix timestamp or an ISO 8601 date');
      return undefined;
    }
    case 'select':
    case 'radiobutton':
    case 'multiselect': {
      const option = resolveEnum(definition, raw, issues);
      return option ? { value: option.value, enumId: option.id } : undefined;
    }
    case 'multitext': {
      if (value === undefined || value === null || value === '') return undefined;
      if (typeof value !== 'string' && typeof value !== 'number') {
        issues.add('InvalidType', 'value', 'Value must be a string');
        return undefined;
      }
      const hasEnum = raw.enum_id !== undefined || raw.enum_code !== undefined;
      const option = hasEnum ? resolveEnum(definition, raw, issues) : definition.enums?.[0];
      return option ? { value: String(value), enumId: option.id } : undefined;
    }
  }
}

function numericText(text: string): number {
  const normalized = text.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : NaN;
}

function readTimestamp(value: unknown): number | undefined {
  const integer = asInteger(value);
  if (integer !== undefined) return integer;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  }
  return undefined;
}

function resolveEnum(
  definition: CustomFieldDefinition,
  raw: Record<string, unknown>,
  issues: EntityIssues,
): FieldEnum | undefined {
  const options = definition.enums ?? [];
  if (raw.enum_id !== undefined) {
    const id = asInteger(raw.enum_id);
    const option = options.find((candidate) => candidate.id === id);
    if (!option)
      issues.add('NotSupportedChoice', 'enum_id', `Enum ${describeValue(raw.enum_id)} is not an option`);
    return option;
  }
  if (raw.enum_code !== undefined) {
    const code = typeof raw.enum_code === 'string' ? raw.enum_code.toUpperCase() : undefined;
    const option = options.find((candidate) => candidate.code !== null && candidate.code === code);
    if (!option)
      issues.add(
        'NotSupportedChoice',
        'enum_code',
        `Enum code ${describeValue(raw.enum_code)} is not an option`,
      );
    return option;
  }
  const wanted =
    typeof raw.value === 'string' || typeof raw.value === 'number' ? String(raw.value) : undefined;
  const option = options.find((candidate) => candidate.value === wanted);
  if (!option)
    issues.add('NotSupportedChoice', 'value', `Value ${describeValue(raw.value)} is not an option`);
  return option;
}

/** Writing a field replaces that field's whole value set; an empty write removes the field. */
export function applyCustomFieldWrites(
  current: readonly StoredCustomField[],
  writes: readonly CustomFieldWrite[],
): StoredCustomField[] {
  const result = current.map((field) => ({ fieldId: field.fieldId, values: [...field.values] }));
  for (const write of writes) {
    const index = result.findIndex((field) => field.fieldId === write.fieldId);
    if (write.values.length === 0) {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = { fieldId: write.fieldId, values: [...write.values] };
    } else {
      result.push({ fieldId: write.fieldId, values: [...write.values] });
    }
  }
  return result;
}

function enumOf(definition: CustomFieldDefinition, value: StoredFieldValue): FieldEnum | undefined {
  return value.enumId === undefined
    ? undefined
    : definition.enums?.find((option) => option.id === value.enumId);
}

export function renderCustomFields(
  fields: readonly StoredCustomField[],
  catalog: FieldCatalog,
): CustomFieldValueJson[] | null {
  const rendered: CustomFieldValueJson[] = [];
  for (const field of fields) {
    const definition = catalog.byId(field.fieldId);
    if (!definition) continue;
    rendered.push({
      field_id: definition.id,
      field_name: definition.name,
      field_code: definition.code,
      field_type: definition.type,
      values: field.values.map((value) => {
        if (!definition.enums) return { value: value.value };
        const option = enumOf(definition, value);
        return { value: value.value, enum_id: value.enumId, enum_code: option?.code ?? null };
      }),
    });
  }
  return rendered.length > 0 ? rendered : null;
}

/** Old (v2) webhook shape: `custom_fields[i][id|name|values|code]`, dates as bare `values[0]`. */
export function renderLegacyCustomFields(
  fields: readonly StoredCustomField[],
  catalog: FieldCatalog,
): FormValue[] {
  const rendered: FormValue[] = [];
  for (const field of fields) {
    const definition = catalog.byId(field.fieldId);
    if (!definition) continue;
    const values = field.values.map((value): FormValue => {
      if (definition.type === 'date' || definition.type === 'date_time' || definition.type === 'birthday') {
        return value.value;
      }
      if (definition.type === 'checkbox') return { value: value.value === true ? '1' : '0' };
      if (definition.enums) return { value: value.value, enum: value.enumId ?? null };
      return { value: value.value };
    });
    rendered.push({
      id: definition.id,
      name: definition.name,
      values,
      ...(definition.code ? { code: definition.code } : {}),
    });
  }
  return rendered;
}

/** Every value as text, for the fuzzy `query` search. */
export function customFieldTexts(fields: readonly StoredCustomField[]): string[] {
  return fields.flatMap((field) => field.values.map((value) => String(value.value)));
}

import type { CustomFieldInputDto } from '../../contacts/dto/custom-field-input.dto';
import { amoFieldValue, amoValueKind, type AmoFieldValue } from '../../sync/mappings/amocrm-field-values';
import type { AmocrmCustomFieldMeta, AmocrmMetadata } from '../mapping/amocrm-metadata-types';
import type { PlannedRow } from './row-plan';

export type TypedRow = { ok: true; row: PlannedRow } | { ok: false; message: string };

const WANTS: Record<string, string> = {
  number: 'нужно число',
  date: 'нужна дата (например, 07.12.2026 или 2026-12-07)',
  boolean: 'нужно «да» или «нет»',
  enum: 'нет такого варианта',
};

/**
 * The row's custom-field texts as the mapping engine converts them for amoCRM (amoFieldValue): numbers ("1 200,5"),
 * dates (dd.mm.yyyy, ISO, unix time) as unix seconds, yes/no words, options by their text as their enum id; or
 * why a value does not fit its field (in Russian, for the report). A field the metadata does not know is left as
 * it is (the engine refuses it, naming it).
 */
export function typedRow(row: PlannedRow, metadata: AmocrmMetadata): TypedRow {
  const contact = typed(row.contact.customFields, metadata.contactFields);
  if (!contact.ok) return contact;
  const lead = row.lead ? typed(row.lead.customFields, metadata.leadFields) : null;
  if (lead && !lead.ok) return lead;
  return {
    ok: true,
    row: {
      ...row,
      contact: { ...row.contact, ...(contact.fields ? { customFields: contact.fields } : {}) },
      lead:
        row.lead && lead?.ok
          ? { ...row.lead, ...(lead.fields ? { customFields: lead.fields } : {}) }
          : row.lead,
    },
  };
}

function typed(
  fields: readonly CustomFieldInputDto[] | undefined,
  definitions: readonly AmocrmCustomFieldMeta[],
): { ok: true; fields?: CustomFieldInputDto[] } | { ok: false; message: string } {
  if (!fields) return { ok: true };
  const out: CustomFieldInputDto[] = [];
  for (const field of fields) {
    const meta = definitions.find((definition) => definition.id === field.fieldId);
    if (!meta) {
      out.push(field);
      continue;
    }
    const values: CustomFieldInputDto['values'] = [];
    for (const { value } of field.values) {
      if (value === undefined) continue;
      if (meta.type === 'multiselect' && typeof value === 'string') {
        const options = multiselectOptions(meta, value);
        if (!options.ok)
          return { ok: false, message: `Поле amoCRM «${meta.name}»: нет варианта «${shown(options.part)}»` };
        values.push(...options.items);
        continue;
      }
      const converted = amoFieldValue(meta, value);
      if (!converted.ok) {
        const wants = WANTS[amoValueKind(meta.type) ?? ''] ?? 'такое поле импорт не заполняет';
        return { ok: false, message: `Поле amoCRM «${meta.name}»: ${wants}, а не «${shown(String(value))}»` };
      }
      values.push(converted.item);
    }
    out.push({ fieldId: field.fieldId, values });
  }
  return { ok: true, fields: out };
}

function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const SEPARATOR = /([,;])/;

/**
 * The options a multiselect cell names: its parts between commas and semicolons (trimmed, empty ones left out), each
 * matched by its text as amoFieldValue matches one option. An option whose name holds a comma or semicolon is
 * matched first: from each part on, the longest run of parts that names an option wins («Москва, центр» as one
 * option when the field has it, the whole cell when it is one name). Each option once; the first part that names no
 * option fails the row.
 */
export function multiselectOptions(
  meta: AmocrmCustomFieldMeta,
  text: string,
): { ok: true; items: AmoFieldValue[] } | { ok: false; part: string } {
  // [part, separator, part, separator, part…]
  const pieces = text.split(SEPARATOR);
  const parts = (pieces.length + 1) / 2;
  // a run never spans more parts than the option name with the most separators has
  const longestRun = Math.max(
    1,
    ...(meta.enums ?? []).map((option) => (option.value.split(SEPARATOR).length + 1) / 2),
  );
  const items: AmoFieldValue[] = [];
  const seen = new Set<number>();
  for (let first = 0; first < parts;) {
    if (pieces[first * 2].trim() === '') {
      first += 1;
      continue;
    }
    let matched = 0;
    for (let run = Math.min(longestRun, parts - first); run >= 1 && matched === 0; run -= 1) {
      const candidate = pieces
        .slice(first * 2, (first + run) * 2 - 1)
        .join('')
        .trim();
      const converted = amoFieldValue(meta, candidate);
      if (!converted.ok) continue;
      matched = run;
      const id = converted.item.enumId;
      if (id === undefined || !seen.has(id)) items.push(converted.item);
      if (id !== undefined) seen.add(id);
    }
    if (matched === 0) return { ok: false, part: pieces[first * 2].trim() };
    first += matched;
  }
  return { ok: true, items };
}

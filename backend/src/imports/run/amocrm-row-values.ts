import type { CustomFieldInputDto } from '../../contacts/dto/custom-field-input.dto';
import { amoFieldValue, amoValueKind } from '../../sync/mappings/amocrm-field-values';
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
      const converted = amoFieldValue(meta, value);
      if (!converted.ok) {
        const text = String(value);
        const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
        const wants = WANTS[amoValueKind(meta.type) ?? ''] ?? 'такое поле импорт не заполняет';
        return { ok: false, message: `Поле amoCRM «${meta.name}»: ${wants}, а не «${shown}»` };
      }
      values.push(converted.item);
    }
    out.push({ fieldId: field.fieldId, values });
  }
  return { ok: true, fields: out };
}

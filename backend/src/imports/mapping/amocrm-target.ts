import type { FieldError } from '../../http/problem';
import { amoValueKind } from '../../sync/mappings/amocrm-field-values';
import type { AmocrmCustomFieldMeta, AmocrmMetadata } from './amocrm-metadata-types';
import type { ImportMapping } from './import-mapping';

/** An amoCRM custom field a column may feed (`contact.custom.<id>` / `lead.custom.<id>`). */
export interface AmocrmTargetField {
  field: string;
  name: string;
  type: string;
  entity: 'contact' | 'lead';
  options: { id: number; value: string }[] | null;
}

/**
 * The custom fields of contacts and leads an import may write, from the amoCRM metadata cache, as the mapping engine
 * knows them (mapping-catalog): types it can write (text, number, date, option, yes/no), the contact's PHONE and
 * EMAIL left out (they are `contact.phone` / `contact.email`).
 */
export function amocrmTargetFields(metadata: AmocrmMetadata | null): AmocrmTargetField[] {
  const of =
    (entity: 'contact' | 'lead') =>
    (meta: AmocrmCustomFieldMeta): AmocrmTargetField => ({
      field: `${entity}.custom.${meta.id}`,
      name: meta.name,
      type: meta.type,
      entity,
      options: meta.enums ? meta.enums.map((option) => ({ id: option.id, value: option.value })) : null,
    });
  const writable = (meta: AmocrmCustomFieldMeta) => amoValueKind(meta.type) !== null;
  return [
    ...(metadata?.contactFields ?? [])
      .filter((meta) => writable(meta) && !['PHONE', 'EMAIL'].includes((meta.code ?? '').toUpperCase()))
      .map(of('contact')),
    ...(metadata?.leadFields ?? []).filter(writable).map(of('lead')),
  ];
}

/** The custom-field columns of an amoCRM mapping (none: no metadata needed). */
export function amocrmCustomColumns(mapping: ImportMapping): ImportMapping['columns'] {
  if (mapping.target !== 'amocrm') return [];
  return mapping.columns.filter(
    ({ field }) => field.startsWith('contact.custom.') || field.startsWith('lead.custom.'),
  );
}

/**
 * Problems of an amoCRM target's custom-field columns against the account's metadata, as 400 errors naming
 * `columns.<column>`: a field amoCRM does not have for that entity, or one an import cannot write.
 */
export function amocrmTargetProblems(mapping: ImportMapping, metadata: AmocrmMetadata): FieldError[] {
  const writable = new Set(amocrmTargetFields(metadata).map((item) => item.field));
  return amocrmCustomColumns(mapping).flatMap(({ column, field }) => {
    if (writable.has(field)) return [];
    const [entity, , id] = field.split('.');
    const all = entity === 'contact' ? metadata.contactFields : metadata.leadFields;
    const meta = all.find((candidate) => candidate.id === Number(id));
    const why = meta
      ? `amoCRM field ${id} (${meta.name}, ${meta.type}) cannot be written by an import`
      : `amoCRM has no ${entity} field ${id}`;
    return [{ field: `columns.${column}`, code: 'unknownField', message: `columns.${column}: ${why}` }];
  });
}

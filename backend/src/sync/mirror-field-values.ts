import type { ContactEntity, CustomFieldValues } from '../contacts/contact.entity';
import type { LeadEntity } from '../leads/lead.entity';

/** A mirror value as rules read it: text, a number, a flag, a list (phones, e-mails, tags, option ids), or null. */
export type MirrorFieldValue = string | number | boolean | null | (string | number)[];

/** Values of a mirror row by the rules' field refs (`lead.price`, `contact.phone`, `lead.custom.123`…). */
export type MirrorFieldValues = Record<string, MirrorFieldValue>;

/** A custom field's values: the option ids of select-like fields, else the values (a list when several). */
function customValue(field: CustomFieldValues): MirrorFieldValue {
  const values: (string | number)[] = [];
  for (const item of field.values) {
    if (item.enumId !== undefined && item.enumId !== null) values.push(item.enumId);
    else if (typeof item.value === 'string' || typeof item.value === 'number') values.push(item.value);
    else if (typeof item.value === 'boolean') return item.value;
  }
  if (values.length === 0) return null;
  return values.length === 1 ? values[0] : values;
}

function customValues(prefix: string, fields: readonly CustomFieldValues[] | null): MirrorFieldValues {
  const values: MirrorFieldValues = {};
  for (const field of fields ?? []) values[`${prefix}.custom.${field.fieldId}`] = customValue(field);
  return values;
}

/** A lead's mirror row as the rules read it (the amoCRM names of the rules catalog: `lead.*`). Pure. */
export function leadFieldValues(lead: LeadEntity): MirrorFieldValues {
  return {
    'lead.name': lead.name,
    'lead.price': lead.price,
    'lead.status': lead.statusId,
    'lead.pipeline': lead.pipelineId,
    'lead.responsible': lead.responsibleUserId,
    'lead.tags': lead.tags ?? [],
    'lead.created_at': lead.createdAt.toISOString(),
    ...customValues('lead', lead.customFields),
  };
}

/** A contact's mirror row as the rules read it (`contact.*`: every phone and e-mail). Pure. */
export function contactFieldValues(contact: ContactEntity): MirrorFieldValues {
  const phones = contact.phones ?? (contact.phone ? [contact.phone] : []);
  const emails = contact.emails ?? (contact.email ? [contact.email] : []);
  return {
    'contact.name': contact.name,
    'contact.phone': phones,
    'contact.email': emails,
    ...customValues('contact', contact.customFields),
  };
}

/**
 * What an update changed: the refs whose values differ between the rows before and after (a field present on one
 * side only counts), with the values before. `lead.created_at` never changes by an update and is left out. Pure.
 */
export function changedValues(
  before: MirrorFieldValues,
  after: MirrorFieldValues,
): { changedFields: string[]; old: MirrorFieldValues } {
  const refs = new Set([...Object.keys(before), ...Object.keys(after)]);
  refs.delete('lead.created_at');
  const old: MirrorFieldValues = {};
  const changedFields: string[] = [];
  for (const ref of [...refs].sort()) {
    const was = before[ref] ?? null;
    if (JSON.stringify(was) === JSON.stringify(after[ref] ?? null)) continue;
    changedFields.push(ref);
    old[ref] = was;
  }
  return { changedFields, old };
}

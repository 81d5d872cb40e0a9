import type { FieldRef } from './mapping.types';

/** Which CRM a FieldRef belongs to. */
export type MappingSystem = 'lptracker' | 'amocrm';

/** A FieldRef split into its kind (`lead.custom`) and, for custom fields, the field id. */
export interface ParsedRef {
  kind: string;
  id: number | null;
}

/** Built-in fields of each system (custom fields are `<kind>.<id>`). */
export const BUILTIN_REFS: Record<MappingSystem, readonly string[]> = {
  lptracker: [
    'lead.name',
    'lead.stage',
    'lead.owner',
    'lead.created_at',
    'contact.name',
    'contact.phone',
    'contact.email',
    'view.source',
    'view.campaign',
    'view.keyword',
  ],
  amocrm: [
    'lead.name',
    'lead.price',
    'lead.tags',
    'lead.responsible',
    'lead.status',
    'contact.name',
    'contact.phone',
    'contact.email',
  ],
};

/** Custom-field kinds of each system. */
export const CUSTOM_KINDS: Record<MappingSystem, readonly string[]> = {
  lptracker: ['lead.custom', 'contact.field'],
  amocrm: ['lead.custom', 'contact.custom'],
};

/** Parses a FieldRef of `system`; null when it is not one (unknown prefix, bad id). */
export function parseRef(system: MappingSystem, ref: FieldRef): ParsedRef | null {
  if (typeof ref !== 'string' || ref.length > 100) return null;
  if (BUILTIN_REFS[system].includes(ref)) return { kind: ref, id: null };
  const match = /^([a-z]+\.[a-z]+)\.([1-9]\d{0,14})$/.exec(ref);
  if (!match || !CUSTOM_KINDS[system].includes(match[1])) return null;
  return { kind: match[1], id: Number(match[2]) };
}

/** Whether `ref` is matched by one of `refs` (which may end in `.*`: every custom field of a kind). */
export function refMatches(ref: FieldRef, refs: readonly FieldRef[]): boolean {
  return refs.some((candidate) =>
    candidate.endsWith('.*') ? ref.startsWith(candidate.slice(0, -1)) : candidate === ref,
  );
}

/**
 * LPTracker `action_update_fields` names → the source FieldRefs they touch. Stages (`stage`, `stage_id`,
 * `funnel`) → `lead.stage`; `custom.123` (also `custom_123`, `custom[123]`) → `lead.custom.123`, a bare `custom`
 * → every custom field; `contact…` → the contact's name, phones, e-mails and fields; `view…` → source, campaign and
 * keyword. Names that touch nothing a mapping can read (`payments`, `calls`…) give nothing.
 */
export function sourceFieldsOfUpdate(updateFields: readonly string[]): FieldRef[] {
  const refs = new Set<FieldRef>();
  for (const raw of updateFields) {
    const field = String(raw).trim().toLowerCase();
    const custom = /^customs?(?:[._]|\[)(\d{1,15})\]?$/.exec(field);
    if (custom) refs.add(`lead.custom.${Number(custom[1])}`);
    else if (field === 'custom' || field === 'customs') refs.add('lead.custom.*');
    else if (['stage', 'stage_id', 'funnel', 'funnel_id'].includes(field)) refs.add('lead.stage');
    else if (['name', 'lead_name', 'title'].includes(field)) refs.add('lead.name');
    else if (['owner', 'owner_id'].includes(field)) refs.add('lead.owner');
    else if (['lead_date', 'created_at', 'date'].includes(field)) refs.add('lead.created_at');
    else if (/^(contact|contacts|details)([._].*)?$/.test(field)) {
      for (const ref of ['contact.name', 'contact.phone', 'contact.email', 'contact.field.*']) refs.add(ref);
    } else if (/^view([._].*)?$/.test(field)) {
      const part = /^view[._](source|campaign|keyword)$/.exec(field);
      if (part) refs.add(`view.${part[1]}`);
      else for (const ref of ['view.source', 'view.campaign', 'view.keyword']) refs.add(ref);
    } else if (['source', 'campaign', 'keyword'].includes(field)) refs.add(`view.${field}`);
  }
  return [...refs];
}

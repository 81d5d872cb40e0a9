import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import type { LptrackerProjectMetadata } from '../../lptracker/metadata/lptracker-metadata.types';
import { lptrackerValues } from '../mappings/mapping-apply';
import { templateRefs } from '../mappings/mapping-transforms';
import type { FieldRef, MappingDocument } from '../mappings/mapping.types';

/** The LPTracker source values a mapping reads (FieldRef → values as text), kept on the link as `lastSeen`. */
export type SourceValues = Record<FieldRef, string[]>;

/** The source FieldRefs a mapping reads: line sources, template placeholders, the stage and owner maps. */
export function sourceRefsOf(document: MappingDocument): FieldRef[] {
  const refs = new Set<FieldRef>();
  for (const line of document.lines) {
    if (line.source !== null) refs.add(line.source);
    if (line.transform.type === 'template')
      for (const ref of templateRefs(line.transform.template)) refs.add(ref);
  }
  if (document.stageMap.length > 0) refs.add('lead.stage');
  if (document.userMap.length > 0) refs.add('lead.owner');
  return [...refs].sort();
}

/** The lead's values of every source the mapping reads (stage and owner by id). */
export function sourceValuesOf(
  document: MappingDocument,
  lead: LptrackerLead,
  meta: LptrackerProjectMetadata | null,
): SourceValues {
  const values: SourceValues = {};
  for (const ref of sourceRefsOf(document)) {
    if (ref === 'lead.stage') values[ref] = lead.stageId === null ? [] : [String(lead.stageId)];
    else if (ref === 'lead.owner') values[ref] = lead.ownerId === null ? [] : [String(lead.ownerId)];
    else values[ref] = (lptrackerValues(lead, meta, ref) ?? []).map(String);
  }
  return values;
}

/**
 * The source refs whose values differ from those seen last (an update without `action_update_fields`, e.g. a
 * lead read back by reconciliation). Nothing seen before: every ref.
 */
export function changedRefs(previous: unknown, current: SourceValues): FieldRef[] {
  const seen = isSourceValues(previous) ? previous : null;
  return Object.keys(current).filter(
    (ref) => !seen || JSON.stringify(seen[ref] ?? []) !== JSON.stringify(current[ref]),
  );
}

function isSourceValues(value: unknown): value is SourceValues {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

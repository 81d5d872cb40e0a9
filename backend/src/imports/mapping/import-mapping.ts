import type { FieldError } from '../../http/problem';

export const IMPORT_KINDS = ['leads', 'contacts', 'call_results'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_TARGETS = ['amocrm', 'lptracker'] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];
export const DEDUPE_POLICIES = ['skip', 'update', 'create'] as const;
export type DedupePolicy = (typeof DEDUPE_POLICIES)[number];

/** Which column feeds which field (a column not listed is not imported). */
export interface ColumnMapping {
  column: string;
  field: string;
}

/** How the rows of an upload become contacts, leads or call results (stored on the import and in templates). */
export interface ImportMapping {
  kind: ImportKind;
  target: ImportTarget;
  columns: ColumnMapping[];
  dedupe: DedupePolicy;
  dryRun: boolean;
  /**
   * Target lptracker: the enabled LPTracker project the leads go to (needed only when several are enabled; absent
   * or null: the one enabled project). Mappings saved before it existed have none.
   */
  projectId?: number | null;
}

/**
 * Field references (as in `sync/mappings/mapping.types.ts`, FieldRef) an import column may feed, per target and
 * kind; `<id>` is a custom field's id. Whether a custom id exists in the CRM is checked against its metadata when
 * the processing step applies the mapping.
 */
const CONTACT_FIELDS: Record<ImportTarget, readonly string[]> = {
  amocrm: ['contact.name', 'contact.phone', 'contact.email', 'contact.custom.<id>'],
  lptracker: ['contact.name', 'contact.phone', 'contact.email', 'contact.field.<id>'],
};
const LEAD_FIELDS: Record<ImportTarget, readonly string[]> = {
  amocrm: ['lead.name', 'lead.price', 'lead.tags', 'lead.responsible', 'lead.status', 'lead.custom.<id>'],
  lptracker: [
    'lead.name',
    'lead.stage',
    'lead.owner',
    'lead.custom.<id>',
    'view.source',
    'view.campaign',
    'view.keyword',
  ],
};
export const CALL_FIELDS = [
  'call.phone',
  'call.started_at',
  'call.duration',
  'call.direction',
  'call.result',
  'call.recording_url',
  'call.operator',
  'call.source_id',
] as const;

/** Fields that several columns may feed (every value is kept). */
const REPEATABLE = new Set(['contact.phone', 'contact.email', 'lead.tags']);

export function fieldsFor(kind: ImportKind, target: ImportTarget): readonly string[] {
  if (kind === 'call_results') return CALL_FIELDS;
  if (kind === 'contacts') return CONTACT_FIELDS[target];
  return [...LEAD_FIELDS[target], ...CONTACT_FIELDS[target]];
}

export function isKnownField(field: string, kind: ImportKind, target: ImportTarget): boolean {
  return fieldsFor(kind, target).some((pattern) =>
    pattern.endsWith('.<id>')
      ? field.startsWith(pattern.slice(0, -4)) && /^[1-9]\d{0,17}$/.test(field.slice(pattern.length - 4))
      : field === pattern,
  );
}

/** Problems of a mapping against the import's columns (field paths as the API names them), or none. */
export function mappingProblems(
  kind: ImportKind,
  target: ImportTarget,
  columns: readonly ColumnMapping[],
  known: ReadonlySet<string> | null,
): FieldError[] {
  const errors: FieldError[] = [];
  const used = new Set<string>();
  for (const { column, field } of columns) {
    const path = `columns.${column}`;
    if (known && !known.has(column))
      errors.push({
        field: path,
        code: 'unknownColumn',
        message: `${path}: the file has no column named "${column}"`,
      });
    else if (!isKnownField(field, kind, target))
      errors.push({
        field: path,
        code: 'unknownField',
        message: `${path}: "${field}" is not a field of ${kind} in ${target} (one of ${fieldsFor(kind, target).join(', ')})`,
      });
    else if (used.has(field) && !REPEATABLE.has(field))
      errors.push({
        field: path,
        code: 'duplicateField',
        message: `${path}: "${field}" is fed by another column already`,
      });
    used.add(field);
  }
  if (errors.length > 0) return errors;
  if (kind === 'call_results') {
    for (const required of ['call.phone', 'call.started_at'])
      if (!used.has(required))
        errors.push({
          field: 'columns',
          code: 'required',
          message: `columns must map a column to ${required}`,
        });
  } else if (!used.has('contact.phone') && !used.has('contact.email'))
    errors.push({
      field: 'columns',
      code: 'required',
      message: 'columns must map a column to contact.phone or contact.email (rows are matched by them)',
    });
  return errors;
}

/** What the imports API answers (backend/src/imports: dto/import.dto.ts, run/import-progress.dto.ts). */

export const IMPORT_KINDS = ['leads', 'contacts', 'call_results'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_TARGETS = ['amocrm', 'lptracker'] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];
export const DEDUPE_POLICIES = ['skip', 'update', 'create'] as const;
export type DedupePolicy = (typeof DEDUPE_POLICIES)[number];

export type ImportStatus = 'uploaded' | 'parsing' | 'processing' | 'paused' | 'done' | 'failed' | 'cancelled';
/** The statuses in which the run goes on (the live stream is open). */
export const LIVE_STATUSES: readonly ImportStatus[] = ['parsing', 'processing', 'paused'];

export type SheetCell = string | number | boolean | null;

export interface ImportColumn {
  index: number;
  letter: string;
  name: string;
}

/** How the columns become fields (`PUT /imports/:id/mapping` and templates). */
export interface ImportMapping {
  kind: ImportKind;
  target: ImportTarget;
  columns: Record<string, string>;
  dedupe: DedupePolicy;
  dryRun: boolean;
  /** Target LPTracker: the enabled project the leads go to (needed when several are enabled). */
  projectId?: number | null;
}

/** A field of an LPTracker project a column may feed; `name` null for a built-in (the console names those). */
export interface LptrackerTargetField {
  field: string;
  name: string | null;
}

/** An enabled LPTracker project as an import target (`GET /imports/lptracker/projects`). */
export interface LptrackerTargetProject {
  id: number;
  name: string;
  fields: LptrackerTargetField[];
}

/** An amoCRM custom field of contacts or leads a column may feed (`GET /imports/amocrm/fields`). */
export interface AmocrmTargetField {
  field: string;
  name: string;
  type: string;
  entity: 'contact' | 'lead';
  options: { id: number; value: string }[] | null;
}

export interface ImportTemplate extends ImportMapping {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
}

export interface ImportProgress {
  status: ImportStatus;
  dryRun: boolean;
  totalRows: number;
  staged: boolean;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  startedAt: string | null;
  finishedAt: string | null;
  eta: string | null;
  error: string | null;
}

/** One line of the history (the kind and counts: `GET /imports` only). */
export interface ImportSummary {
  id: string;
  status: ImportStatus;
  fileName: string;
  size: number;
  format: 'xlsx' | 'xls' | 'csv';
  uploadedBy: string;
  uploadedAt: string;
  kind?: ImportKind | null;
  dryRun?: boolean;
  totalRows?: number;
  startedAt?: string | null;
  created?: number;
  updated?: number;
  skipped?: number;
  failed?: number;
}

export interface ImportDetails extends ImportSummary {
  sheets: string[];
  sheet: string;
  headerRow: number;
  columns: ImportColumn[];
  sampleRows: SheetCell[][];
  csv: { encoding: string; delimiter: string } | null;
  mapping: ImportMapping | null;
  /** kind → column → field, guessed from the header names. */
  suggestions: Partial<Record<ImportKind, Record<string, string>>>;
  progress?: ImportProgress;
}

export interface ImportPage {
  items: ImportSummary[];
  total: number;
  page: number;
  limit: number;
}

/** Built-in fields a column may feed, per kind and target (as `mapping/import-mapping.ts` on the server). */
const CONTACT_FIELDS = ['contact.name', 'contact.phone', 'contact.email'];
const LEAD_FIELDS: Record<ImportTarget, readonly string[]> = {
  amocrm: ['lead.name', 'lead.price', 'lead.tags', 'lead.responsible', 'lead.status'],
  lptracker: ['lead.name', 'lead.stage', 'lead.owner', 'view.source', 'view.campaign', 'view.keyword'],
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

export function fieldsFor(kind: ImportKind, target: ImportTarget): readonly string[] {
  if (kind === 'call_results') return CALL_FIELDS;
  if (kind === 'contacts') return CONTACT_FIELDS;
  return [...LEAD_FIELDS[target], ...CONTACT_FIELDS];
}

/** What the mapping still lacks before the server takes it (`null` when nothing). */
export function missingRequired(
  kind: ImportKind,
  columns: Record<string, string>,
): 'needContact' | 'needCall' | null {
  const used = new Set(Object.values(columns));
  if (kind === 'call_results')
    return used.has('call.phone') && used.has('call.started_at') ? null : 'needCall';
  return used.has('contact.phone') || used.has('contact.email') ? null : 'needContact';
}

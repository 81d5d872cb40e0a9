/**
 * Field mappings between LPTracker and amoCRM: the stored and API shape. One mapping per (workspace, LPTracker
 * project, direction); every save is a new version. Field references are strings (see `FieldRef`) so that the
 * console, the validator, the evaluator and the trace all name a field the same way.
 */

export const MAPPING_DIRECTIONS = ['lptracker_to_amocrm', 'amocrm_to_lptracker'] as const;
export type MappingDirection = (typeof MAPPING_DIRECTIONS)[number];

/**
 * A field of one system, as a string:
 * - LPTracker lead (source of `lptracker_to_amocrm`, target of `amocrm_to_lptracker`):
 *   `lead.name`, `lead.stage`, `lead.owner`, `lead.created_at`, `lead.custom.<customId>`,
 *   `contact.name`, `contact.phone` (every phone), `contact.email` (every e-mail), `contact.field.<fieldId>`,
 *   `view.source`, `view.campaign`, `view.keyword`.
 * - amoCRM (target of `lptracker_to_amocrm`, source of `amocrm_to_lptracker`):
 *   `lead.name`, `lead.price`, `lead.tags`, `lead.responsible`, `lead.status`, `lead.custom.<fieldId>`,
 *   `contact.name`, `contact.phone`, `contact.email`, `contact.custom.<fieldId>`.
 * Unknown prefixes, and custom ids not in the metadata cache, are validation errors (or "broken" later).
 */
export type FieldRef = string;

export type MappingTransform =
  | { type: 'none' }
  | { type: 'trim' }
  | { type: 'phone' }
  | { type: 'lowercase' }
  | { type: 'number' }
  /** Parse the source date (any LPTracker form: `d.m.Y H:i`, `dd.mm.yy HH:MM:SS`, unix s/ms, ISO) and write it as `format` (`unix` for amoCRM date fields, or a pattern such as `DD.MM.YYYY`). */
  | { type: 'date'; format: string }
  /** Source value (compared trimmed, case-insensitive) → target option: an amoCRM enum id, or an LPTracker option text. */
  | { type: 'enum_map'; map: { from: string; to: number | string }[] }
  /** The source is ignored (set `source` to null); `value` is written. */
  | { type: 'constant'; value: string | number | boolean }
  /** `{contact.name} — {view.source}`: FieldRefs of the source side in braces; missing ones become ''. */
  | { type: 'template'; template: string };

export interface MappingLine {
  /** The source field; null only with a `constant` or `template` transform. */
  source: FieldRef | null;
  /** The target field; its entity is the part before the first dot (`contact` | `lead`). */
  target: FieldRef;
  transform: MappingTransform;
}

/** LPTracker funnel stage ⇄ amoCRM pipeline status. */
export interface StageMapEntry {
  lptrackerStageId: number;
  amocrmPipelineId: number;
  amocrmStatusId: number;
}

/** LPTracker owner (staff id) ⇄ amoCRM user id. */
export interface UserMapEntry {
  lptrackerOwnerId: number;
  amocrmUserId: number;
}

export interface MappingDocument {
  lines: MappingLine[];
  /** lptracker_to_amocrm only: where a new amoCRM lead is created (null: the main pipeline / its first working stage). */
  pipelineId: number | null;
  statusId: number | null;
  /** lptracker_to_amocrm only: `lead` (default) or `unsorted` (amoCRM «Неразобранное», leads/unsorted/forms). */
  createAs: 'lead' | 'unsorted';
  /** Used in both directions: LPTracker stage → amoCRM status (one row per LPTracker stage), and the reverse (first row whose status matches). */
  stageMap: StageMapEntry[];
  /** Used in both directions like the stage map. */
  userMap: UserMapEntry[];
}

/** One stored version (versions are never edited; restore saves a copy as a new version). */
export interface MappingVersionView {
  projectId: number;
  direction: MappingDirection;
  version: number;
  document: MappingDocument;
  /** The workspace settings version this save bumped to: events received at settings version ≥ this use it. */
  settingsVersion: number;
  createdBy: string | null;
  createdAt: string;
  /** Why this version was made: `default` (on connect / project enabled), `save`, `restore:<n>`. */
  origin: string;
}

/** A line that cannot be applied with the current metadata (a field deleted in either CRM, an enum option gone…). */
export interface MappingProblem {
  /** Path inside the document, e.g. `lines[3].target`, `stageMap[0].amocrmStatusId`, `lines[1].transform.map[2].to`. */
  path: string;
  message: string;
  code: string;
}

/** The result of applying an `lptracker_to_amocrm` mapping to one LPTracker lead (pure, no I/O). */
export interface AmocrmWritePlan {
  contact: {
    name: string | null;
    phones: string[];
    emails: string[];
    customFields: { fieldId: number; values: { value?: string | number | boolean; enumId?: number }[] }[];
  };
  lead: {
    name: string | null;
    price: number | null;
    tags: string[];
    responsibleUserId: number | null;
    /** From the stage map when the LPTracker stage is mapped, else null (a new lead then takes the mapping's pipeline/status). */
    pipelineId: number | null;
    statusId: number | null;
    customFields: { fieldId: number; values: { value?: string | number | boolean; enumId?: number }[] }[];
  };
  /** Which target FieldRef came from which line (for the trace and for update filtering); `line` -1 with `via` for the stage and user maps. */
  written: { line: number; source: FieldRef | null; target: FieldRef; via?: 'stageMap' | 'userMap' }[];
  /** Lines that could not be applied to this lead (never silently skipped: shown in the trace). */
  problems: MappingProblem[];
}

/** The result of applying an `amocrm_to_lptracker` mapping to one amoCRM lead (pure, no I/O). */
export interface LptrackerWritePlan {
  stageId: number | null;
  ownerId: number | null;
  name: string | null;
  /** LPTracker custom field id → value. */
  custom: Record<string, string | number>;
  /** As in AmocrmWritePlan: `line` -1 with `via` for the stage and user maps. */
  written: { line: number; source: FieldRef | null; target: FieldRef; via?: 'stageMap' | 'userMap' }[];
  problems: MappingProblem[];
}

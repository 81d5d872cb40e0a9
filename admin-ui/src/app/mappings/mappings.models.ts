/**
 * The field mappings API (`/api/v1/mappings`): the shapes of `backend/src/sync/mappings/mapping.types.ts`
 * as the console sees them, plus the editor's field catalog and the preview.
 */

export const MAPPING_DIRECTIONS = ['lptracker_to_amocrm', 'amocrm_to_lptracker'] as const;
export type MappingDirection = (typeof MAPPING_DIRECTIONS)[number];

/** A field of one system as a string: `lead.name`, `lead.custom.123`, `contact.phone`, `view.source`… */
export type FieldRef = string;

export const TRANSFORM_TYPES = [
  'none',
  'trim',
  'phone',
  'lowercase',
  'number',
  'date',
  'enum_map',
  'constant',
  'template',
] as const;
export type TransformType = (typeof TRANSFORM_TYPES)[number];

export interface EnumMapRow {
  from: string;
  to: number | string;
}

export type MappingTransform =
  | { type: 'none' }
  | { type: 'trim' }
  | { type: 'phone' }
  | { type: 'lowercase' }
  | { type: 'number' }
  | { type: 'date'; format: string }
  | { type: 'enum_map'; map: EnumMapRow[] }
  | { type: 'constant'; value: string | number | boolean }
  | { type: 'template'; template: string };

export interface MappingLine {
  /** Null only with a `constant` or `template` transform. */
  source: FieldRef | null;
  target: FieldRef;
  transform: MappingTransform;
}

export interface StageMapEntry {
  lptrackerStageId: number;
  amocrmPipelineId: number;
  amocrmStatusId: number;
}

export interface UserMapEntry {
  lptrackerOwnerId: number;
  amocrmUserId: number;
}

export type CreateAs = 'lead' | 'unsorted';

export interface MappingDocument {
  lines: MappingLine[];
  pipelineId: number | null;
  statusId: number | null;
  createAs: CreateAs;
  stageMap: StageMapEntry[];
  userMap: UserMapEntry[];
}

/** A place in the document that cannot be applied with the current metadata. */
export interface MappingProblem {
  /** `lines[3].target`, `stageMap[0].amocrmStatusId`, `lines[1].transform.map[2].to`… */
  path: string;
  message: string;
  code: string;
}

export interface MappingVersionView {
  projectId: number;
  direction: MappingDirection;
  version: number;
  document: MappingDocument;
  settingsVersion: number;
  createdBy: string | null;
  createdAt: string;
  /** `default`, `save` or `restore:<n>`. */
  origin: string;
}

/** `GET /mappings/:projectId/:direction`. */
export interface CurrentMapping extends MappingVersionView {
  problems: MappingProblem[];
}

/** One row of `GET /mappings`. */
export interface MappingSummary {
  projectId: number;
  projectName: string;
  direction: MappingDirection;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
  problems: MappingProblem[];
}

export interface CatalogOption {
  id: number | string;
  value: string;
}

export interface LptrackerCatalogField {
  ref: FieldRef;
  name: string;
  type: string;
  /** LPTracker options are texts; the console accepts `{id, value}` too. */
  options?: (string | CatalogOption)[] | null;
}

export interface AmocrmCatalogField {
  ref: FieldRef;
  name: string;
  type: string;
  entity: string;
  options?: CatalogOption[] | null;
}

export interface NamedId {
  id: number;
  name: string;
}

/** `GET /mappings/:projectId/fields`: what the editor's pickers offer. */
export interface FieldCatalog {
  lptracker: LptrackerCatalogField[];
  amocrm: AmocrmCatalogField[];
  lptrackerStages: NamedId[];
  amocrmPipelines: (NamedId & { statuses: NamedId[] })[];
  lptrackerStaff: NamedId[];
  amocrmUsers: NamedId[];
}

type CustomFieldValues = {
  fieldId: number;
  values: { value?: string | number | boolean; enumId?: number }[];
}[];

export interface AmocrmWritePlan {
  contact: { name: string | null; phones: string[]; emails: string[]; customFields: CustomFieldValues };
  lead: {
    name: string | null;
    price: number | null;
    tags: string[];
    responsibleUserId: number | null;
    pipelineId: number | null;
    statusId: number | null;
    customFields: CustomFieldValues;
  };
  written: { line: number; source: FieldRef | null; target: FieldRef }[];
  problems: MappingProblem[];
}

export interface LptrackerWritePlan {
  stageId: number | null;
  ownerId: number | null;
  name: string | null;
  custom: Record<string, string | number>;
  written: { line: number; source: FieldRef | null; target: FieldRef }[];
  problems: MappingProblem[];
}

/** `POST /mappings/:projectId/:direction/preview`. */
export interface MappingPreview {
  eventId: string;
  /** The LPTracker lead of that event. */
  leadId?: number;
  plan: AmocrmWritePlan | LptrackerWritePlan;
}

/**
 * Rules (issue #13 §1): "when this happens and these conditions hold, do that", per workspace. The stored and API
 * shape; every change is a new version (`rule_versions`), the document carries `schemaVersion`.
 */

/** The document shape this code writes and reads; older shapes would be upgraded on read. */
export const RULE_SCHEMA_VERSION = 1;

export const RULE_SOURCES = ['lptracker', 'amocrm', 'api', 'import'] as const;
export type RuleSource = (typeof RULE_SOURCES)[number];

/** Domain events a rule can be triggered by (the inbox's sources publish these names). */
export const RULE_EVENTS = [
  'lead.created',
  'lead.updated',
  'lead.stage_changed',
  'lead.deleted',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'call.finished',
] as const;
export type RuleEvent = (typeof RULE_EVENTS)[number];

/**
 * A field of the event a condition reads (a `FieldRef` in the sense of `sync/mappings/mapping.types.ts`, with the
 * LPTracker-only fields under `lptracker.`):
 * - the lead, as amoCRM knows it: `lead.name`, `lead.price`, `lead.status` (status id), `lead.pipeline`
 *   (pipeline id), `lead.responsible` (user id), `lead.tags`, `lead.created_at`, `lead.custom.<amoFieldId>`;
 * - the contact: `contact.name`, `contact.phone` (every phone), `contact.email` (every e-mail),
 *   `contact.custom.<amoFieldId>` (amoCRM), `contact.field.<lptrackerContactFieldId>` (LPTracker);
 * - the visit that brought the LPTracker lead: `view.source`, `view.campaign`, `view.keyword`;
 * - the LPTracker lead: `lptracker.name`, `lptracker.stage` (stage id), `lptracker.owner` (staff id),
 *   `lptracker.created_at`, `lptracker.custom.<customId>`;
 * - the event itself: `event.source`, `event.type`.
 * - a finished call (`call.finished`): `call.result`, `call.duration` (seconds), `call.direction`, `call.operator`,
 *   `call.missedCount` (the contact's unanswered calls in a row, this one included).
 * Any of these prefixed with `old.` is the value before the change (`old.lead.price`), when the event carries it.
 */
export type RuleFieldRef = string;

/** How a field compares: numbers as numbers, dates as dates, enums by option id, lists element by element. */
export type RuleFieldType = 'string' | 'number' | 'date' | 'boolean' | 'enum' | 'multi_enum' | 'strings';

export const RULE_OPERATORS = [
  'eq',
  'neq',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'in',
  'not_in',
  'empty',
  'not_empty',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'regex',
  'changed',
  'changed_to',
  'changed_from',
] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

/** A scalar a condition compares with: text, a number, a date (ISO 8601 text or unix seconds), an option id. */
export type RuleScalar = string | number | boolean;

export interface RuleCondition {
  field: RuleFieldRef;
  op: RuleOperator;
  /** Absent for empty, not_empty and changed; a list for in/not_in; `[from, to]` for between; a pattern for regex. */
  value?: RuleScalar | RuleScalar[];
}

export type RuleConditionNode =
  RuleCondition | { all: RuleConditionNode[] } | { any: RuleConditionNode[] } | { not: RuleConditionNode };

export interface RuleTrigger {
  source: RuleSource;
  events: RuleEvent[];
  /** Only when one of these fields changed (empty: any change). */
  changedFields: RuleFieldRef[];
}

/** An explicit value written by `update_lead` (amoCRM lead fields: `lead.name`, `lead.price`, `lead.custom.<id>`). */
export interface RuleFieldValue {
  field: RuleFieldRef;
  value: RuleScalar;
}

export type RuleAction =
  | { type: 'find_or_create_contact' }
  | {
      type: 'find_or_create_lead';
      /** null: the mapping's pipeline / stage. */
      pipelineId: number | null;
      statusId: number | null;
      responsibleUserId: number | null;
      /** `{contact.name} — {view.source}`: field refs in braces; null: the mapping's name. */
      nameTemplate: string | null;
      /** The LPTracker project whose `lptracker_to_amocrm` mapping builds the fields (null: the event's project). */
      mappingProjectId: number | null;
    }
  | { type: 'update_lead'; useMapping: boolean; values: RuleFieldValue[] }
  | { type: 'move_stage'; system: 'amocrm'; pipelineId: number; statusId: number }
  | { type: 'move_stage'; system: 'lptracker'; stageId: number }
  | { type: 'add_tags'; tags: string[] }
  | { type: 'add_note'; text: string }
  | { type: 'create_task'; text: string; dueInHours: number; responsibleUserId: number | null }
  | {
      type: 'update_lptracker_lead';
      stageId: number | null;
      custom: { fieldId: number; value: string | number }[];
    }
  /** LPTracker `callback: true`: only through this action, never retried. */
  | { type: 'call_back' }
  | { type: 'stop' };

export type RuleActionType = RuleAction['type'];
export const RULE_ACTION_TYPES: readonly RuleActionType[] = [
  'find_or_create_contact',
  'find_or_create_lead',
  'update_lead',
  'move_stage',
  'add_tags',
  'add_note',
  'create_task',
  'update_lptracker_lead',
  'call_back',
  'stop',
];

/** A rule as stored in a version and exchanged through the API (export/import use the same shape). */
export interface RuleDocument {
  schemaVersion: number;
  name: string;
  enabled: boolean;
  /** Lower runs first; ties by creation. */
  priority: number;
  trigger: RuleTrigger;
  conditions: RuleConditionNode;
  actions: RuleAction[];
}

/** Caps (issue #13: depth ≤ 10 groups, ≤ 100 conditions, ≤ 50 actions; regex and inputs bounded). */
export const RULE_LIMITS = {
  nameLength: 200,
  groupDepth: 10,
  conditions: 100,
  actions: 50,
  listValues: 500,
  textValue: 1000,
  patternLength: 500,
  /** A value longer than this is cut before a text operator or a regex reads it. */
  inputLength: 20_000,
  changedFields: 50,
  tags: 50,
  tagLength: 100,
  noteLength: 5000,
  taskHours: 24 * 365,
  rulesPerWorkspace: 500,
  importRules: 500,
  priorityMax: 1_000_000,
} as const;

/** One stored version of a rule (versions are never edited; restore saves a copy as a new version). */
export interface RuleVersionView {
  ruleId: string;
  version: number;
  /** The rule as it was; null for the version that deleted the rule. */
  document: RuleDocument | null;
  /** The workspace settings version this change bumped to: events received at settings version ≥ this use it. */
  settingsVersion: number;
  /** Why: `create`, `update`, `enable`, `disable`, `reorder`, `duplicate:<ruleId>`, `restore:<n>`, `import`, `delete`. */
  origin: string;
  createdBy: string | null;
  createdAt: string;
}

/** What `RulesService.forRun` answers: the enabled rules in force at a settings version, in running order. */
export interface RuleForRun {
  ruleId: string;
  version: number;
  document: RuleDocument;
}

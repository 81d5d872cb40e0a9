/** The rule shapes of `/api/v1/rules` (backend `sync/rules/rule.types.ts`, issue #13 §1). */

export const RULE_SOURCES = ['lptracker', 'amocrm', 'api', 'import'] as const;
export type RuleSource = (typeof RULE_SOURCES)[number];

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

export type RuleScalar = string | number | boolean;

export interface RuleCondition {
  field: string;
  op: RuleOperator;
  value?: RuleScalar | RuleScalar[];
}

export type RuleConditionNode =
  RuleCondition | { all: RuleConditionNode[] } | { any: RuleConditionNode[] } | { not: RuleConditionNode };

export interface RuleTrigger {
  source: RuleSource;
  events: RuleEvent[];
  changedFields: string[];
}

export interface RuleFieldValue {
  field: string;
  value: RuleScalar;
}

export type RuleAction =
  | { type: 'find_or_create_contact' }
  | {
      type: 'find_or_create_lead';
      pipelineId: number | null;
      statusId: number | null;
      responsibleUserId: number | null;
      nameTemplate: string | null;
      mappingProjectId: number | null;
    }
  | { type: 'update_lead'; useMapping: boolean; values: RuleFieldValue[] }
  | { type: 'move_stage'; system: 'amocrm'; pipelineId: number | null; statusId: number | null }
  | { type: 'move_stage'; system: 'lptracker'; stageId: number | null }
  | { type: 'add_tags'; tags: string[] }
  | { type: 'add_note'; text: string }
  | { type: 'create_task'; text: string; dueInHours: number; responsibleUserId: number | null }
  | {
      type: 'update_lptracker_lead';
      stageId: number | null;
      custom: { fieldId: number | null; value: string | number }[];
    }
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

/** What the console sends on create and save (the server adds `schemaVersion`; `priority` keeps its place). */
export interface RuleBody {
  name: string;
  enabled: boolean;
  trigger: RuleTrigger;
  conditions: RuleConditionNode;
  actions: RuleAction[];
}

export interface Rule extends RuleBody {
  id: string;
  priority: number;
  version: number;
  schemaVersion: number;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A rule in the list, with how often it fired on live events. */
export interface RuleListItem extends Rule {
  /** When a live event last ran its actions; null: never. */
  lastFiredAt: string | null;
  /** Live event changes that ran its actions in the last 24 hours. */
  matches24h: number;
}

export interface RuleVersionView {
  ruleId: string;
  version: number;
  document: (RuleBody & { priority: number; schemaVersion: number }) | null;
  settingsVersion: number;
  origin: string;
  createdBy: string | null;
  createdAt: string;
}

export interface RuleChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface RuleDiff {
  from: number;
  to: number;
  changes: RuleChange[];
}

export interface RuleSet {
  schemaVersion: number;
  exportedAt: string;
  rules: unknown[];
}

export interface RuleImportResult {
  mode: 'append' | 'replace';
  deleted: number;
  created: Rule[];
}

/** One evaluated condition of a dry run (backend `ConditionOutcome`). */
export interface ConditionOutcome {
  path: string;
  field: string;
  op: RuleOperator;
  value?: RuleScalar | RuleScalar[];
  actual: unknown;
  matched: boolean;
  note?: string;
}

export type ExplanationOutcome = 'matched' | 'trigger' | 'conditions' | 'stopped';

export interface RuleExplanation {
  ruleId: string | null;
  version: number | null;
  name: string;
  outcome: ExplanationOutcome;
  conditions: ConditionOutcome[];
  actions: RuleAction[];
}

export interface PlannedRequest {
  system: 'amocrm' | 'lptracker';
  method: string;
  path: string;
  body: unknown;
}

export interface BacktestSample {
  eventId: string;
  receivedAt: string;
  source: string;
  eventType: string;
  outcome: ExplanationOutcome;
  explanation: RuleExplanation;
  requests: PlannedRequest[];
}

/** `POST /api/v1/rules/backtest` (issue #13 §2, the rules contract). */
export interface BacktestResult {
  scanned: number;
  matched: number;
  byOutcome: { matched: number; trigger: number; conditions: number };
  samples: BacktestSample[];
}

import { parseRuleAction } from './rule-parse-actions';
import { RuleInput } from './rule-input';
import {
  RULE_EVENTS,
  RULE_LIMITS,
  RULE_OPERATORS,
  RULE_SCHEMA_VERSION,
  RULE_SOURCES,
  type RuleAction,
  type RuleConditionNode,
  type RuleDocument,
  type RuleEvent,
  type RuleOperator,
  type RuleScalar,
  type RuleSource,
  type RuleTrigger,
} from './rule.types';

/**
 * The shape check of a rule body (no metadata): every property known and typed, caps on sizes and depth, no
 * prototype keys. Errors name the path (`conditions.any[1].all[0].value`, `actions[0].statusId`), prefixed for
 * an import (`rules[2].…`). `priority` may be left out (the service puts a new rule last).
 */
export interface ParsedRule {
  document: (Omit<RuleDocument, 'priority'> & { priority: number | null }) | null;
  input: RuleInput;
}

const DOCUMENT_KEYS = ['schemaVersion', 'name', 'enabled', 'priority', 'trigger', 'conditions', 'actions'];
const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

export function parseRuleDocument(body: unknown, prefix = '', input = new RuleInput()): ParsedRule {
  const before = input.errors.length;
  const record = input.object(body, prefix, DOCUMENT_KEYS);
  if (!record) return { document: null, input };
  if (record.schemaVersion !== undefined && record.schemaVersion !== RULE_SCHEMA_VERSION)
    input.add(join(prefix, 'schemaVersion'), `schemaVersion must be ${RULE_SCHEMA_VERSION}`, 'schemaVersion');
  const name = input.text(record.name, join(prefix, 'name'), RULE_LIMITS.nameLength);
  const enabled =
    record.enabled === undefined ? true : input.boolean(record.enabled, join(prefix, 'enabled'));
  const priority =
    record.priority === undefined || record.priority === null
      ? null
      : input.integer(record.priority, join(prefix, 'priority'), 0, RULE_LIMITS.priorityMax);
  const trigger = parseTrigger(record.trigger, join(prefix, 'trigger'), input);
  const conditions =
    record.conditions === undefined
      ? { all: [] }
      : parseConditions(record.conditions, join(prefix, 'conditions'), input);
  const actions = parseActions(record.actions, join(prefix, 'actions'), input);
  if (
    input.errors.length > before ||
    name === null ||
    enabled === null ||
    !trigger ||
    !conditions ||
    !actions
  )
    return { document: null, input };
  return {
    document: { schemaVersion: RULE_SCHEMA_VERSION, name, enabled, priority, trigger, conditions, actions },
    input,
  };
}

function parseTrigger(value: unknown, path: string, input: RuleInput): RuleTrigger | null {
  const record = input.object(value, path, ['source', 'events', 'changedFields']);
  if (!record) return null;
  let ok = true;
  const source = record.source as RuleSource;
  if (!RULE_SOURCES.includes(source)) {
    input.add(`${path}.source`, `source must be one of ${RULE_SOURCES.join(', ')}`, 'enum');
    ok = false;
  }
  const events = input.array(record.events, `${path}.events`, RULE_EVENTS.length);
  if (events && events.length === 0) {
    input.add(`${path}.events`, 'events must name at least one event', 'required');
    ok = false;
  }
  events?.forEach((event, i) => {
    if (!RULE_EVENTS.includes(event as RuleEvent)) {
      input.add(`${path}.events[${i}]`, `events[${i}] must be one of ${RULE_EVENTS.join(', ')}`, 'enum');
      ok = false;
    }
  });
  const changed =
    record.changedFields === undefined
      ? []
      : input.array(record.changedFields, `${path}.changedFields`, RULE_LIMITS.changedFields);
  const changedFields: string[] = [];
  changed?.forEach((field, i) => {
    const text = input.text(field, `${path}.changedFields[${i}]`, 200);
    if (text === null) ok = false;
    else changedFields.push(text);
  });
  if (!ok || !events || !changed) return null;
  return { source, events: [...new Set(events as RuleEvent[])], changedFields };
}

interface Budget {
  conditions: number;
}

export function parseConditions(value: unknown, path: string, input: RuleInput): RuleConditionNode | null {
  const budget: Budget = { conditions: 0 };
  const node = parseNode(value, path, input, 0, budget);
  if (budget.conditions > RULE_LIMITS.conditions) {
    input.add(path, `a rule may hold at most ${RULE_LIMITS.conditions} conditions`, 'maxItems');
    return null;
  }
  return node;
}

function parseNode(
  value: unknown,
  path: string,
  input: RuleInput,
  depth: number,
  budget: Budget,
): RuleConditionNode | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    input.add(path, `${path} must be a condition or a group (all, any, not)`, 'type');
    return null;
  }
  const keys = Object.keys(value);
  const group = ['all', 'any', 'not'].find((key) => keys.includes(key));
  if (!group) return parseCondition(value, path, input, budget);
  if (depth >= RULE_LIMITS.groupDepth) {
    input.add(path, `groups may be nested at most ${RULE_LIMITS.groupDepth} deep`, 'maxDepth');
    return null;
  }
  const record = input.object(value, path, [group]);
  if (!record) return null;
  if (group === 'not') {
    const inner = parseNode(record.not, `${path}.not`, input, depth + 1, budget);
    return inner ? { not: inner } : null;
  }
  const items = input.array(record[group], `${path}.${group}`, RULE_LIMITS.conditions);
  if (!items) return null;
  const nodes: RuleConditionNode[] = [];
  for (const [i, item] of items.entries()) {
    if (budget.conditions > RULE_LIMITS.conditions) break;
    const node = parseNode(item, `${path}.${group}[${i}]`, input, depth + 1, budget);
    if (node) nodes.push(node);
  }
  if (nodes.length !== items.length) return null;
  return group === 'all' ? { all: nodes } : { any: nodes };
}

function parseCondition(
  value: object,
  path: string,
  input: RuleInput,
  budget: Budget,
): RuleConditionNode | null {
  budget.conditions += 1;
  const record = input.object(value, path, ['field', 'op', 'value']);
  if (!record) return null;
  const field = input.text(record.field, `${path}.field`, 200);
  const op = record.op as RuleOperator;
  if (!RULE_OPERATORS.includes(op)) {
    input.add(`${path}.op`, `op must be one of ${RULE_OPERATORS.join(', ')}`, 'enum');
    return null;
  }
  if (record.value === undefined) return field === null ? null : { field, op };
  const checked = parseValue(record.value, `${path}.value`, input);
  if (field === null || checked === null) return null;
  return { field, op, value: checked };
}

function isScalar(value: unknown): value is RuleScalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function parseValue(value: unknown, path: string, input: RuleInput): RuleScalar | RuleScalar[] | null {
  const scalar = (item: unknown, at: string): RuleScalar | null => {
    if (!isScalar(item)) {
      input.add(at, `${at} must be text, a number or true/false`, 'type');
      return null;
    }
    if (typeof item === 'string' && item.length > RULE_LIMITS.textValue) {
      input.add(at, `${at} must be at most ${RULE_LIMITS.textValue} characters`, 'maxLength');
      return null;
    }
    return item;
  };
  if (!Array.isArray(value)) return scalar(value, path);
  const items = input.array(value, path, RULE_LIMITS.listValues);
  if (!items) return null;
  const out = items.map((item, i) => scalar(item, `${path}[${i}]`));
  return out.every((item) => item !== null) ? out : null;
}

function parseActions(value: unknown, path: string, input: RuleInput): RuleAction[] | null {
  const items = input.array(value, path, RULE_LIMITS.actions);
  if (!items) return null;
  if (items.length === 0) {
    input.add(path, 'a rule needs at least one action', 'required');
    return null;
  }
  const actions = items.map((item, i) => parseRuleAction(item, `${path}[${i}]`, input));
  return actions.every((action) => action !== null) ? actions : null;
}

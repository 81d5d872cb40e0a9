import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { FieldError } from '../../http/problem';
import {
  needsAmocrmMetadata,
  OPERATORS_BY_TYPE,
  resolveField,
  type ResolvedField,
  type RuleMetadata,
} from './rule-fields';
import { compileLinearPattern } from './rule-regex';
import type { RuleAction, RuleCondition, RuleConditionNode, RuleDocument, RuleScalar } from './rule.types';
import { parseDateValue } from './rule-values';

/**
 * The check of a well-shaped rule against the metadata caches: every field known, every operator fits its
 * field's type, values typed (numbers, dates, option ids of enums), patterns compile, and the ids of actions
 * (pipelines, statuses, users, LPTracker stages and fields) exist. Errors name the path.
 */
type Checked = Pick<RuleDocument, 'trigger' | 'conditions' | 'actions'>;

const NO_VALUE = new Set(['empty', 'not_empty', 'changed']);
const LIST = new Set(['in', 'not_in']);

export function checkRuleAgainstMetadata(rule: Checked, meta: RuleMetadata, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  const add = (path: string, message: string, code: string) =>
    errors.push({ field: at(path), message, code });
  rule.trigger.changedFields.forEach((field, i) => {
    const resolved = resolveField(field, meta);
    if (!resolved.ok) add(`trigger.changedFields[${i}]`, resolved.message, resolved.code);
  });
  walk(rule.conditions, 'conditions', (condition, path) => checkCondition(condition, path, meta, add));
  rule.actions.forEach((action, i) => checkAction(action, `actions[${i}]`, meta, add));
  return errors;
}

/** Whether checking the rule needs the amoCRM metadata (fields, pipelines, statuses or users of amoCRM). */
export function ruleNeedsAmocrm(rule: Checked): boolean {
  let needs = rule.trigger.changedFields.some(needsAmocrmMetadata);
  walk(rule.conditions, 'conditions', (condition) => {
    needs ||= needsAmocrmMetadata(condition.field);
  });
  return (
    needs ||
    rule.actions.some((action) => {
      switch (action.type) {
        case 'find_or_create_lead':
          return action.pipelineId !== null || action.responsibleUserId !== null;
        case 'move_stage':
          return action.system === 'amocrm';
        case 'create_task':
          return action.responsibleUserId !== null;
        case 'update_lead':
          return action.values.length > 0;
        default:
          return false;
      }
    })
  );
}

export function walk(
  node: RuleConditionNode,
  path: string,
  visit: (condition: RuleCondition, path: string) => void,
): void {
  if ('all' in node) node.all.forEach((child, i) => walk(child, `${path}.all[${i}]`, visit));
  else if ('any' in node) node.any.forEach((child, i) => walk(child, `${path}.any[${i}]`, visit));
  else if ('not' in node) walk(node.not, `${path}.not`, visit);
  else visit(node, path);
}

type Add = (path: string, message: string, code: string) => void;

function checkCondition(condition: RuleCondition, path: string, meta: RuleMetadata, add: Add): void {
  const field = resolveField(condition.field, meta);
  if (!field.ok) return add(`${path}.field`, field.message, field.code);
  const { op, value } = condition;
  if (!OPERATORS_BY_TYPE[field.type].includes(op))
    return add(`${path}.op`, `${op} does not apply to ${condition.field} (${field.type})`, 'operator_type');
  if (field.old && op.startsWith('changed'))
    return add(
      `${path}.op`,
      `${op} reads the old value itself: use ${condition.field.slice(4)}`,
      'operator_type',
    );
  const valuePath = `${path}.value`;
  if (NO_VALUE.has(op)) {
    if (value !== undefined) add(valuePath, `${op} takes no value`, 'unexpected');
    return;
  }
  if (value === undefined) return add(valuePath, `${op} needs a value`, 'required');
  if (LIST.has(op) || op === 'between') {
    if (!Array.isArray(value) || value.length === 0)
      return add(valuePath, `${op} needs a list of values`, 'type');
    if (op === 'between' && value.length !== 2) return add(valuePath, 'between needs [from, to]', 'type');
    value.forEach((item, i) => checkScalar(item, `${valuePath}[${i}]`, field, add));
    if (op === 'between') checkRange(value, valuePath, field, add);
    return;
  }
  if (Array.isArray(value)) return add(valuePath, `${op} compares with one value, not a list`, 'type');
  if (op === 'regex') {
    if (typeof value !== 'string') return add(valuePath, 'regex needs a pattern (text)', 'type');
    const compiled = compileLinearPattern(value);
    if (!compiled.ok) add(valuePath, compiled.message, 'pattern');
    return;
  }
  checkScalar(value, valuePath, field, add);
}

function checkScalar(value: RuleScalar, path: string, field: ResolvedField, add: Add): void {
  switch (field.type) {
    case 'string':
    case 'strings':
      if (typeof value !== 'string') add(path, 'must be text', 'type');
      return;
    case 'number':
      if (typeof value !== 'number') add(path, 'must be a number', 'type');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') add(path, 'must be true or false', 'type');
      return;
    case 'date':
      if (typeof value === 'boolean' || parseDateValue(value) === null)
        add(path, 'must be a date (YYYY-MM-DD, ISO 8601 date and time, or unix seconds)', 'type');
      return;
    case 'enum':
    case 'multi_enum':
      if (!(field.options ?? []).includes(value as string | number))
        add(path, `${JSON.stringify(value)} is not an option of this field`, 'enum_option');
      return;
  }
}

function checkRange(value: RuleScalar[], path: string, field: ResolvedField, add: Add): void {
  const [from, to] =
    field.type === 'date'
      ? value.map((item) => (typeof item === 'boolean' ? null : parseDateValue(item)))
      : value.map((item) => (typeof item === 'number' ? item : null));
  if (from !== null && to !== null && from !== undefined && to !== undefined && from > to)
    add(path, 'between needs from ≤ to', 'range');
}

const AMOCRM_LEAD_TARGETS: Record<string, 'string' | 'number'> = {
  'lead.name': 'string',
  'lead.price': 'number',
};

function checkAction(action: RuleAction, path: string, meta: RuleMetadata, add: Add): void {
  const amo = meta.amocrm;
  const stages = new Set(meta.lptracker.flatMap((project) => project.funnel.map((stage) => stage.id)));
  switch (action.type) {
    case 'find_or_create_lead':
      if (action.pipelineId !== null && action.statusId !== null)
        checkPipeline(amo, action.pipelineId, action.statusId, path, add);
      if (action.responsibleUserId !== null)
        checkUser(amo, action.responsibleUserId, `${path}.responsibleUserId`, add);
      if (
        action.mappingProjectId !== null &&
        !meta.lptracker.some((project) => project.project.id === action.mappingProjectId)
      )
        add(`${path}.mappingProjectId`, 'is not an enabled LPTracker project', 'unknown_project');
      for (const ref of templateRefs(action.nameTemplate ?? ''))
        if (!resolveField(ref, meta).ok)
          add(`${path}.nameTemplate`, `{${ref}} is not a known field`, 'unknown_field');
      return;
    case 'move_stage':
      if (action.system === 'amocrm') checkPipeline(amo, action.pipelineId, action.statusId, path, add);
      else if (!stages.has(action.stageId))
        add(`${path}.stageId`, 'is not a stage of an enabled LPTracker project', 'unknown_stage');
      return;
    case 'create_task':
      if (action.responsibleUserId !== null)
        checkUser(amo, action.responsibleUserId, `${path}.responsibleUserId`, add);
      return;
    case 'update_lead':
      action.values.forEach((item, i) => {
        const at = `${path}.values[${i}]`;
        const fixed = AMOCRM_LEAD_TARGETS[item.field];
        if (fixed) {
          if (typeof item.value !== fixed)
            add(`${at}.value`, `must be ${fixed === 'number' ? 'a number' : 'text'}`, 'type');
          return;
        }
        const field = item.field.startsWith('lead.custom.') ? resolveField(item.field, meta) : null;
        if (!field || !field.ok)
          return add(
            `${at}.field`,
            `${item.field} is not an amoCRM lead field a rule can write`,
            'unknown_field',
          );
        checkScalar(item.value, `${at}.value`, field, add);
      });
      return;
    case 'update_lptracker_lead':
      if (action.stageId !== null && !stages.has(action.stageId))
        add(`${path}.stageId`, 'is not a stage of an enabled LPTracker project', 'unknown_stage');
      action.custom.forEach((item, i) => {
        const field = meta.lptracker.flatMap((project) => project.customs).find((c) => c.id === item.fieldId);
        if (!field)
          add(
            `${path}.custom[${i}].fieldId`,
            'is not a custom field of an enabled LPTracker project',
            'unknown_field',
          );
        else if (field.options && field.options.length > 0 && !field.options.includes(String(item.value)))
          add(
            `${path}.custom[${i}].value`,
            `${JSON.stringify(item.value)} is not an option of this field`,
            'enum_option',
          );
      });
      return;
    default:
      return;
  }
}

function checkPipeline(
  amo: AmocrmMetadata | null,
  pipelineId: number,
  statusId: number,
  path: string,
  add: Add,
): void {
  const pipeline = amo?.pipelines.find((candidate) => candidate.id === pipelineId);
  if (!pipeline)
    return add(`${path}.pipelineId`, 'is not a pipeline of the amoCRM account', 'unknown_pipeline');
  if (!pipeline.statuses.some((status) => status.id === statusId))
    add(`${path}.statusId`, `is not a status of pipeline ${pipelineId}`, 'unknown_status');
}

function checkUser(amo: AmocrmMetadata | null, userId: number, path: string, add: Add): void {
  if (!amo?.users.some((user) => user.id === userId))
    add(path, 'is not a user of the amoCRM account', 'unknown_user');
}

/** The field refs named in braces in a template. */
export function templateRefs(template: string): string[] {
  return [...template.matchAll(/\{([a-z_.0-9]+)\}/g)].map((match) => match[1]);
}

import type { RuleInput } from './rule-input';
import {
  RULE_ACTION_TYPES,
  RULE_LIMITS,
  type RuleAction,
  type RuleActionType,
  type RuleFieldValue,
} from './rule.types';

/** The shape check of one action (ids are checked against the metadata later, in `rule-check.ts`). */
export function parseRuleAction(value: unknown, path: string, input: RuleInput): RuleAction | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    input.add(path, `${path} must be an object`, 'type');
    return null;
  }
  const type = (value as { type?: unknown }).type as RuleActionType;
  if (!RULE_ACTION_TYPES.includes(type)) {
    input.add(`${path}.type`, `type must be one of ${RULE_ACTION_TYPES.join(', ')}`, 'enum');
    return null;
  }
  const before = input.errors.length;
  const action = PARSERS[type](value, path, input);
  return input.errors.length > before ? null : action;
}

type Parser = (value: object, path: string, input: RuleInput) => RuleAction | null;

const bare =
  (type: 'find_or_create_contact' | 'call_back' | 'stop'): Parser =>
  (value, path, input) =>
    input.object(value, path, ['type']) ? { type } : null;

const PARSERS: Record<RuleActionType, Parser> = {
  find_or_create_contact: bare('find_or_create_contact'),
  call_back: bare('call_back'),
  stop: bare('stop'),
  find_or_create_lead: (value, path, input) => {
    const keys = ['type', 'pipelineId', 'statusId', 'responsibleUserId', 'nameTemplate', 'mappingProjectId'];
    const r = input.object(value, path, keys);
    if (!r) return null;
    const pipelineId = input.id(r.pipelineId, `${path}.pipelineId`, true);
    const statusId = input.id(r.statusId, `${path}.statusId`, true);
    if ((pipelineId === null) !== (statusId === null))
      input.add(`${path}.statusId`, 'pipelineId and statusId are given together or not at all', 'pair');
    const nameTemplate =
      r.nameTemplate === undefined || r.nameTemplate === null
        ? null
        : input.text(r.nameTemplate, `${path}.nameTemplate`, RULE_LIMITS.textValue);
    return {
      type: 'find_or_create_lead',
      pipelineId: pipelineId ?? null,
      statusId: statusId ?? null,
      responsibleUserId: input.id(r.responsibleUserId, `${path}.responsibleUserId`, true) ?? null,
      nameTemplate,
      mappingProjectId: input.id(r.mappingProjectId, `${path}.mappingProjectId`, true) ?? null,
    };
  },
  update_lead: (value, path, input) => {
    const r = input.object(value, path, ['type', 'useMapping', 'values']);
    if (!r) return null;
    const useMapping = r.useMapping === undefined ? false : input.boolean(r.useMapping, `${path}.useMapping`);
    const items = r.values === undefined ? [] : input.array(r.values, `${path}.values`, 100);
    const values: RuleFieldValue[] = [];
    items?.forEach((item, i) => {
      const at = `${path}.values[${i}]`;
      const v = input.object(item, at, ['field', 'value']);
      if (!v) return;
      const field = input.text(v.field, `${at}.field`, 200);
      const scalar = v.value;
      if (
        !(typeof scalar === 'string' && scalar.length <= RULE_LIMITS.textValue) &&
        !(typeof scalar === 'number' && Number.isFinite(scalar)) &&
        typeof scalar !== 'boolean'
      )
        input.add(
          `${at}.value`,
          `${at}.value must be text (at most ${RULE_LIMITS.textValue}), a number or true/false`,
          'type',
        );
      else if (field !== null) values.push({ field, value: scalar });
    });
    if (useMapping === false && items && items.length === 0)
      input.add(`${path}.values`, 'update_lead needs values or useMapping: true', 'required');
    return { type: 'update_lead', useMapping: useMapping ?? false, values };
  },
  move_stage: (value, path, input) => {
    const system = (value as { system?: unknown }).system;
    if (system === 'lptracker') {
      const r = input.object(value, path, ['type', 'system', 'stageId']);
      const stageId = r ? input.id(r.stageId, `${path}.stageId`, false) : null;
      return stageId ? { type: 'move_stage', system, stageId } : null;
    }
    if (system !== 'amocrm') {
      input.add(`${path}.system`, 'system must be amocrm or lptracker', 'enum');
      return null;
    }
    const r = input.object(value, path, ['type', 'system', 'pipelineId', 'statusId']);
    if (!r) return null;
    const pipelineId = input.id(r.pipelineId, `${path}.pipelineId`, false);
    const statusId = input.id(r.statusId, `${path}.statusId`, false);
    return pipelineId && statusId ? { type: 'move_stage', system, pipelineId, statusId } : null;
  },
  add_tags: (value, path, input) => {
    const r = input.object(value, path, ['type', 'tags']);
    const items = r ? input.array(r.tags, `${path}.tags`, RULE_LIMITS.tags) : null;
    if (!items) return null;
    if (items.length === 0) input.add(`${path}.tags`, 'tags must name at least one tag', 'required');
    const tags = items.map((tag, i) => input.text(tag, `${path}.tags[${i}]`, RULE_LIMITS.tagLength));
    return tags.every((tag) => tag !== null) ? { type: 'add_tags', tags: [...new Set(tags)] } : null;
  },
  add_note: (value, path, input) => {
    const r = input.object(value, path, ['type', 'text']);
    const text = r ? input.text(r.text, `${path}.text`, RULE_LIMITS.noteLength) : null;
    return text === null ? null : { type: 'add_note', text };
  },
  create_task: (value, path, input) => {
    const r = input.object(value, path, ['type', 'text', 'dueInHours', 'responsibleUserId']);
    if (!r) return null;
    const text = input.text(r.text, `${path}.text`, RULE_LIMITS.noteLength);
    const dueInHours = input.integer(r.dueInHours, `${path}.dueInHours`, 1, RULE_LIMITS.taskHours);
    const responsibleUserId = input.id(r.responsibleUserId, `${path}.responsibleUserId`, true) ?? null;
    return text === null || dueInHours === null
      ? null
      : { type: 'create_task', text, dueInHours, responsibleUserId };
  },
  update_lptracker_lead: (value, path, input) => {
    const r = input.object(value, path, ['type', 'stageId', 'custom']);
    if (!r) return null;
    const stageId = input.id(r.stageId, `${path}.stageId`, true) ?? null;
    const items = r.custom === undefined ? [] : input.array(r.custom, `${path}.custom`, 100);
    const custom: { fieldId: number; value: string | number }[] = [];
    items?.forEach((item, i) => {
      const at = `${path}.custom[${i}]`;
      const c = input.object(item, at, ['fieldId', 'value']);
      if (!c) return;
      const fieldId = input.id(c.fieldId, `${at}.fieldId`, false);
      const v = c.value;
      if (
        !(typeof v === 'string' && v.length <= RULE_LIMITS.textValue) &&
        !(typeof v === 'number' && Number.isFinite(v))
      )
        input.add(
          `${at}.value`,
          `${at}.value must be text (at most ${RULE_LIMITS.textValue}) or a number`,
          'type',
        );
      else if (fieldId) custom.push({ fieldId, value: v });
    });
    if (stageId === null && items && items.length === 0)
      input.add(path, 'update_lptracker_lead needs a stageId or custom values', 'required');
    return { type: 'update_lptracker_lead', stageId, custom };
  },
};

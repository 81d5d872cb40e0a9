import { compileLinearPattern } from './rule-regex';
import type {
  RuleCondition,
  RuleConditionNode,
  RuleEvent,
  RuleFieldRef,
  RuleFieldType,
  RuleOperator,
  RuleScalar,
  RuleSource,
  RuleTrigger,
} from './rule.types';
import {
  asBoolean,
  asList,
  asNumber,
  isEmptyValue,
  normalText,
  parseDateRange,
  sameValue,
  type RuleValue,
} from './rule-values';

/**
 * The condition evaluator (pure, no I/O): typed operators over the values of one event. A number compares as a
 * number, a date as a date (a calendar day as the whole day), an enum by option id, a list (phones, e-mails,
 * tags) element by element (matches when any element does; the negations when none does); text compares
 * trimmed and ignoring case; `regex` runs in linear time (RE2JS). Each evaluated condition is explained with the
 * actual value it saw.
 */
export interface RuleEventContext {
  source: RuleSource;
  event: RuleEvent;
  /** The values after the change, by field ref (without `old.`). */
  values: Record<RuleFieldRef, RuleValue>;
  /** The values before the change, when the event carries them (amoCRM old/new, a stored previous version). */
  old: Record<RuleFieldRef, RuleValue> | null;
  /** The fields the source reported as changed (LPTracker `action_update_fields`), when it did. */
  changedFields: RuleFieldRef[] | null;
}

/** The type of a field now (from the metadata caches); null when it is no longer known. */
export type FieldTypeOf = (ref: RuleFieldRef) => RuleFieldType | null;

export interface ConditionOutcome {
  path: string;
  field: RuleFieldRef;
  op: RuleOperator;
  value?: RuleScalar | RuleScalar[];
  /** The value the condition read (the old value for `old.…` and `changed_from`). */
  actual: RuleValue;
  matched: boolean;
  /** Why it could not match as written (field no longer known, pattern invalid). */
  note?: string;
}

export interface ConditionsResult {
  matched: boolean;
  /** The conditions evaluated, in order (groups stop at the first deciding child). */
  conditions: ConditionOutcome[];
}

export const read = (values: Record<string, RuleValue> | null, ref: string): RuleValue =>
  values && Object.hasOwn(values, ref) ? values[ref] : null;

export function evaluateConditions(
  node: RuleConditionNode,
  ctx: RuleEventContext,
  typeOf: FieldTypeOf,
): ConditionsResult {
  const conditions: ConditionOutcome[] = [];
  const matched = evaluateNode(node, 'conditions', ctx, typeOf, conditions);
  return { matched, conditions };
}

function evaluateNode(
  node: RuleConditionNode,
  path: string,
  ctx: RuleEventContext,
  typeOf: FieldTypeOf,
  out: ConditionOutcome[],
): boolean {
  if ('all' in node)
    return node.all.every((child, i) => evaluateNode(child, `${path}.all[${i}]`, ctx, typeOf, out));
  if ('any' in node)
    return node.any.some((child, i) => evaluateNode(child, `${path}.any[${i}]`, ctx, typeOf, out));
  if ('not' in node) return !evaluateNode(node.not, `${path}.not`, ctx, typeOf, out);
  const outcome = evaluateCondition(node, path, ctx, typeOf);
  out.push(outcome);
  return outcome.matched;
}

export function evaluateCondition(
  condition: RuleCondition,
  path: string,
  ctx: RuleEventContext,
  typeOf: FieldTypeOf,
): ConditionOutcome {
  const seen: Seen = {};
  const matched = conditionMatches(condition, ctx, typeOf, seen);
  const out: ConditionOutcome = {
    path,
    field: condition.field,
    op: condition.op,
    actual: seen.actual ?? null,
    matched,
  };
  if (condition.value !== undefined) out.value = condition.value;
  if (seen.note) out.note = seen.note;
  return out;
}

/** What a condition read (the explanation), filled only when asked for. */
interface Seen {
  actual?: RuleValue;
  note?: string;
}

/**
 * Whether the conditions hold, without the explanation (no outcome objects or paths: the cheap check a run makes
 * for every enabled rule; `evaluateConditions` explains the same answer).
 */
export function conditionsMatch(
  node: RuleConditionNode,
  ctx: RuleEventContext,
  typeOf: FieldTypeOf,
): boolean {
  if ('all' in node) return node.all.every((child) => conditionsMatch(child, ctx, typeOf));
  if ('any' in node) return node.any.some((child) => conditionsMatch(child, ctx, typeOf));
  if ('not' in node) return !conditionsMatch(node.not, ctx, typeOf);
  return conditionMatches(node, ctx, typeOf, null);
}

function conditionMatches(
  condition: RuleCondition,
  ctx: RuleEventContext,
  typeOf: FieldTypeOf,
  seen: Seen | null,
): boolean {
  const { field, op, value } = condition;
  const old = field.startsWith('old.');
  const base = old ? field.slice(4) : field;
  const type = typeOf(field);
  const actual = old ? read(ctx.old, base) : read(ctx.values, base);
  if (seen) seen.actual = actual;
  const note = (why: string): false => {
    if (seen) seen.note = why;
    return false;
  };
  if (!type) return note(`${field} is no longer a known field`);
  if (op === 'changed' || op === 'changed_to' || op === 'changed_from') {
    if (!fieldChanged(base, type, ctx)) return false;
    if (op === 'changed') return true;
    if (op === 'changed_to') return compare('eq', type, actual, value);
    if (!ctx.old || !Object.hasOwn(ctx.old, base)) {
      if (seen) seen.actual = null;
      return note('the old value is not known');
    }
    const before = ctx.old[base];
    if (seen) seen.actual = before;
    return compare('eq', type, before, value);
  }
  if (op === 'regex') {
    const compiled = compileLinearPattern(String(value));
    if (!compiled.ok) return note(compiled.message);
    return asList(actual).some((text) => compiled.pattern.test(String(text)));
  }
  if ((type === 'string' || type === 'strings') && TEXT_OPS.has(op)) {
    const negated = NEGATED[op];
    const matched = textMatches(negated ?? op, textsOf(ctx, field, actual), wantedOf(condition));
    return negated ? !matched : matched;
  }
  return compare(op, type, actual, value);
}

export const TEXT_OPS = new Set<RuleOperator>([
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
]);
/** Normalised texts, computed once per event field and once per condition (the rules of a run share an event). */
const eventTexts = new WeakMap<RuleEventContext, Map<string, string[]>>();
const conditionTexts = new WeakMap<RuleCondition, string[]>();

export function textsOf(ctx: RuleEventContext, field: string, actual: RuleValue): string[] {
  let byField = eventTexts.get(ctx);
  if (!byField) eventTexts.set(ctx, (byField = new Map<string, string[]>()));
  let texts = byField.get(field);
  if (!texts) byField.set(field, (texts = normalTexts(isEmptyValue(actual) ? [] : asList(actual))));
  return texts;
}

function wantedOf(condition: RuleCondition): string[] {
  let wanted = conditionTexts.get(condition);
  if (!wanted) {
    const list = Array.isArray(condition.value) ? condition.value : [condition.value];
    conditionTexts.set(condition, (wanted = normalTexts(list)));
  }
  return wanted;
}

export const normalTexts = (values: unknown[]): string[] =>
  values.map(normalText).filter((text): text is string => text !== null);

/** Whether the field changed in this event: old and new differ, or the source said it changed. */
export function fieldChanged(ref: string, type: RuleFieldType, ctx: RuleEventContext): boolean {
  if (ctx.changedFields?.includes(ref)) return true;
  if (!ctx.old || !Object.hasOwn(ctx.old, ref)) return false;
  return !sameValue(type, ctx.old[ref], read(ctx.values, ref));
}

export const NEGATED: Partial<Record<RuleOperator, RuleOperator>> = {
  neq: 'eq',
  not_contains: 'contains',
  not_in: 'in',
  not_empty: 'empty',
};

/** One typed comparison (no changed*, no regex). */
export function compare(
  op: RuleOperator,
  type: RuleFieldType,
  actual: RuleValue,
  value: RuleScalar | RuleScalar[] | undefined,
): boolean {
  const negated = NEGATED[op];
  if (negated) return !compare(negated, type, actual, value);
  if (op === 'empty') return isEmptyValue(actual);
  if (isEmptyValue(actual)) return false;
  const list = Array.isArray(value) ? value : [value];
  switch (type) {
    case 'number':
      return compareOrdered(
        op,
        asNumber(actual),
        list.map((item) => ({ start: asNumber(item), end: null })),
      );
    case 'date': {
      const range = parseDateRange(actual);
      return compareOrdered(
        op,
        range?.start ?? null,
        list.map((item) => parseDateRange(item) ?? { start: null, end: null }),
      );
    }
    case 'boolean':
      return op === 'eq' && asBoolean(actual) === value;
    case 'enum':
    case 'multi_enum': {
      const have = asList(actual).map(String);
      const wanted = list.map(String);
      return op === 'eq' || op === 'in' || op === 'contains'
        ? have.some((item) => wanted.includes(item))
        : false;
    }
    default:
      return compareText(op, asList(actual), list);
  }
}

/** Numbers and dates: `end` is the end of a calendar day's range (exclusive), null for a number. */
export function compareOrdered(
  op: RuleOperator,
  actual: number | null,
  values: { start: number | null; end: number | null }[],
): boolean {
  if (actual === null) return false;
  const [first, second] = values;
  const endOf = (bound: { start: number | null; end: number | null }) =>
    bound.end ?? (bound.start === null ? null : bound.start);
  const inBound = (bound: { start: number | null; end: number | null }) =>
    bound.start !== null &&
    actual >= bound.start &&
    (bound.end === null ? actual === bound.start : actual < bound.end);
  switch (op) {
    case 'eq':
    case 'changed_to':
      return inBound(first);
    case 'in':
      return values.some(inBound);
    case 'gt': {
      const end = endOf(first);
      return end !== null && (first.end === null ? actual > end : actual >= end);
    }
    case 'gte':
      return first.start !== null && actual >= first.start;
    case 'lt':
      return first.start !== null && actual < first.start;
    case 'lte': {
      const end = endOf(first);
      return end !== null && (first.end === null ? actual <= end : actual < end);
    }
    case 'between': {
      const end = second ? endOf(second) : null;
      if (first.start === null || end === null || !second) return false;
      return actual >= first.start && (second.end === null ? actual <= end : actual < end);
    }
    default:
      return false;
  }
}

function compareText(
  op: RuleOperator,
  actual: (string | number)[],
  values: (RuleScalar | undefined)[],
): boolean {
  return textMatches(op, normalTexts(actual), normalTexts(values));
}

export function textMatches(op: RuleOperator, texts: string[], wanted: string[]): boolean {
  const test = (text: string): boolean => {
    switch (op) {
      case 'eq':
      case 'in':
        return wanted.includes(text);
      case 'contains':
        return wanted.some((w) => text.includes(w));
      case 'starts_with':
        return wanted.some((w) => text.startsWith(w));
      case 'ends_with':
        return wanted.some((w) => text.endsWith(w));
      default:
        return false;
    }
  };
  return texts.some(test);
}

/** Whether a trigger fires for the event: source, event name, and "only when these fields changed". */
export function triggerMatches(trigger: RuleTrigger, ctx: RuleEventContext, typeOf: FieldTypeOf): boolean {
  if (trigger.source !== ctx.source || !trigger.events.includes(ctx.event)) return false;
  if (trigger.changedFields.length === 0 || ctx.event.endsWith('.created')) return true;
  return trigger.changedFields.some((ref) => {
    const type = typeOf(ref);
    return type !== null && fieldChanged(ref.startsWith('old.') ? ref.slice(4) : ref, type, ctx);
  });
}

import { compileLinearPattern } from './rule-regex';
import {
  compareOrdered,
  fieldChanged,
  NEGATED,
  normalTexts,
  read,
  TEXT_OPS,
  textsOf,
  type FieldTypeOf,
  type RuleEventContext,
} from './rule-evaluate';
import type {
  RuleCondition,
  RuleConditionNode,
  RuleDocument,
  RuleFieldType,
  RuleOperator,
  RuleScalar,
  RuleTrigger,
} from './rule.types';
import { asBoolean, asList, asNumber, isEmptyValue, parseDateRange, type RuleValue } from './rule-values';

/**
 * The cheap check of a rule compiled once into closures: the same answer as `triggerMatches` + `conditionsMatch`
 * (rule-evaluate.ts, which defines the semantics and still explains), with each condition's field split, operator
 * chosen, condition values normalised (numbers, dates, texts, option ids) and regex compiled once per field type,
 * instead of on every event. A field's type is still asked of `typeOf` on every event (the metadata may change);
 * each type seen gets its own compiled comparison. Groups stop at the first deciding child. No explanation is
 * built: `explainRule` explains the rules that need it.
 */
export type CompiledCheck = (ctx: RuleEventContext, typeOf: FieldTypeOf) => boolean;

export interface CompiledRule {
  trigger: CompiledCheck;
  conditions: CompiledCheck;
  /** Trigger first, then the conditions. */
  matches: CompiledCheck;
}

type Test = (ctx: RuleEventContext) => boolean;
type Value = RuleScalar | RuleScalar[] | undefined;

export function compileRule(rule: Pick<RuleDocument, 'trigger' | 'conditions'>): CompiledRule {
  const trigger = compileTrigger(rule.trigger);
  const conditions = compileConditions(rule.conditions);
  return { trigger, conditions, matches: (ctx, typeOf) => trigger(ctx, typeOf) && conditions(ctx, typeOf) };
}

export function compileTrigger(trigger: RuleTrigger): CompiledCheck {
  const { source } = trigger;
  const events = new Set<string>(trigger.events);
  const watched = trigger.changedFields.map((ref) => ({
    ref,
    base: ref.startsWith('old.') ? ref.slice(4) : ref,
  }));
  return (ctx, typeOf) => {
    if (source !== ctx.source || !events.has(ctx.event)) return false;
    if (watched.length === 0 || ctx.event.endsWith('.created')) return true;
    for (const { ref, base } of watched) {
      const type = typeOf(ref);
      if (type !== null && fieldChanged(base, type, ctx)) return true;
    }
    return false;
  };
}

export function compileConditions(node: RuleConditionNode): CompiledCheck {
  if ('all' in node) {
    const children = node.all.map(compileConditions);
    return (ctx, typeOf) => {
      for (const child of children) if (!child(ctx, typeOf)) return false;
      return true;
    };
  }
  if ('any' in node) {
    const children = node.any.map(compileConditions);
    return (ctx, typeOf) => {
      for (const child of children) if (child(ctx, typeOf)) return true;
      return false;
    };
  }
  if ('not' in node) {
    const inner = compileConditions(node.not);
    return (ctx, typeOf) => !inner(ctx, typeOf);
  }
  return compileCondition(node);
}

/**
 * Identical conditions (same field, operator and value) share one compiled check, which remembers its answer for
 * the last event and field type: the rules of a run share the event, so a condition many rules repeat is evaluated
 * once per event. An event context is not changed once built (the evaluator already caches its texts by it).
 */
const shared = new Map<string, CompiledCheck>();
const SHARED_CAP = 10_000;

function compileCondition(condition: RuleCondition): CompiledCheck {
  const key = JSON.stringify([condition.field, condition.op, condition.value ?? null]);
  const known = shared.get(key);
  if (known) return known;
  const byType = new Map<RuleFieldType, Test>();
  let lastCtx: RuleEventContext | null = null;
  let lastType: RuleFieldType | null = null;
  let lastAnswer = false;
  const check: CompiledCheck = (ctx, typeOf) => {
    const type = typeOf(condition.field);
    if (!type) return false;
    if (ctx === lastCtx && type === lastType) return lastAnswer;
    let test = byType.get(type);
    if (!test) byType.set(type, (test = compileTyped(condition, type)));
    lastAnswer = test(ctx);
    lastCtx = ctx;
    lastType = type;
    return lastAnswer;
  };
  if (shared.size < SHARED_CAP) shared.set(key, check);
  return check;
}

/** One condition for one field type: mirrors `conditionMatches` in rule-evaluate.ts. */
function compileTyped(condition: RuleCondition, type: RuleFieldType): Test {
  const { field, op, value } = condition;
  const old = field.startsWith('old.');
  const base = old ? field.slice(4) : field;
  const actualOf = old
    ? (ctx: RuleEventContext): RuleValue => read(ctx.old, base)
    : (ctx: RuleEventContext): RuleValue => read(ctx.values, base);
  if (op === 'changed') return (ctx) => fieldChanged(base, type, ctx);
  if (op === 'changed_to') {
    const eq = compileCompare('eq', type, value);
    return (ctx) => fieldChanged(base, type, ctx) && eq(actualOf(ctx));
  }
  if (op === 'changed_from') {
    const eq = compileCompare('eq', type, value);
    return (ctx) =>
      fieldChanged(base, type, ctx) && ctx.old !== null && Object.hasOwn(ctx.old, base) && eq(ctx.old[base]);
  }
  if (op === 'regex') {
    const compiled = compileLinearPattern(String(value));
    if (!compiled.ok) return () => false;
    const { pattern } = compiled;
    return (ctx) => asList(actualOf(ctx)).some((text) => pattern.test(String(text)));
  }
  if ((type === 'string' || type === 'strings') && TEXT_OPS.has(op)) {
    const negated = NEGATED[op];
    const textOp = negated ?? op;
    const wanted = normalTexts(Array.isArray(value) ? value : [value]);
    const texts = fieldTexts(field, actualOf);
    const matches = textMatcher(textOp, wanted);
    return negated ? (ctx) => !matches(texts(ctx)) : (ctx) => matches(texts(ctx));
  }
  const compare = compileCompare(op, type, value);
  return (ctx) => compare(actualOf(ctx));
}

/** The normalised texts of a field on an event (`textsOf`), remembered for the last event, one reader per field. */
const textReaders = new Map<string, (ctx: RuleEventContext) => string[]>();

function fieldTexts(field: string, actualOf: (ctx: RuleEventContext) => RuleValue) {
  const known = textReaders.get(field);
  if (known) return known;
  let lastCtx: RuleEventContext | null = null;
  let lastTexts: string[] = [];
  const reader = (ctx: RuleEventContext): string[] => {
    if (ctx !== lastCtx) {
      lastTexts = textsOf(ctx, field, actualOf(ctx));
      lastCtx = ctx;
    }
    return lastTexts;
  };
  if (textReaders.size < SHARED_CAP) textReaders.set(field, reader);
  return reader;
}

/** `textMatches(op, texts, wanted)` of rule-evaluate.ts with the operator chosen once. */
function textMatcher(op: RuleOperator, wanted: string[]): (texts: string[]) => boolean {
  const any = (test: (text: string) => boolean) => (texts: string[]) => {
    for (const text of texts) if (test(text)) return true;
    return false;
  };
  switch (op) {
    case 'eq':
    case 'in': {
      if (wanted.length === 1) {
        const [only] = wanted;
        return any((text) => text === only);
      }
      const set = new Set(wanted);
      return any((text) => set.has(text));
    }
    case 'contains':
      return any((text) => wanted.some((w) => text.includes(w)));
    case 'starts_with':
      return any((text) => wanted.some((w) => text.startsWith(w)));
    case 'ends_with':
      return any((text) => wanted.some((w) => text.endsWith(w)));
    default:
      return () => false;
  }
}

/** `compare(op, type, actual, value)` of rule-evaluate.ts with the value side prepared once. */
function compileCompare(op: RuleOperator, type: RuleFieldType, value: Value): (actual: RuleValue) => boolean {
  const negated = NEGATED[op];
  if (negated) {
    const inner = compileCompare(negated, type, value);
    return (actual) => !inner(actual);
  }
  if (op === 'empty') return isEmptyValue;
  const list = Array.isArray(value) ? value : [value];
  const present = (test: (actual: RuleValue) => boolean) => (actual: RuleValue) =>
    !isEmptyValue(actual) && test(actual);
  switch (type) {
    case 'number': {
      const bounds = list.map((item) => ({ start: asNumber(item), end: null }));
      return present((actual) => compareOrdered(op, asNumber(actual), bounds));
    }
    case 'date': {
      const bounds = list.map((item) => parseDateRange(item) ?? { start: null, end: null });
      return present((actual) => compareOrdered(op, parseDateRange(actual)?.start ?? null, bounds));
    }
    case 'boolean':
      return op === 'eq' ? present((actual) => asBoolean(actual) === value) : () => false;
    case 'enum':
    case 'multi_enum': {
      if (op !== 'eq' && op !== 'in' && op !== 'contains') return () => false;
      const wanted = new Set(list.map(String));
      return present((actual) => asList(actual).some((item) => wanted.has(String(item))));
    }
    default: {
      const wanted = normalTexts(list);
      const matches = textMatcher(op, wanted);
      return present((actual) => matches(normalTexts(asList(actual))));
    }
  }
}

const compiledById = new Map<string, CompiledRule>();
const compiledByDocument = new WeakMap<object, CompiledRule>();
/** Rule versions kept compiled by id (the oldest compiled one goes first). */
export const COMPILED_RULES_CAP = 5000;

/**
 * The compiled check of a rule version: by its document object when seen before (the runner keeps the rules of a
 * settings version in memory), else by rule id and version (a saved version never changes); a draft (no id) only
 * by its document object.
 */
export function compiledRule(rule: {
  ruleId: string | null;
  version: number | null;
  document: Pick<RuleDocument, 'trigger' | 'conditions'>;
}): CompiledRule {
  let compiled = compiledByDocument.get(rule.document);
  if (compiled) return compiled;
  if (rule.ruleId !== null && rule.version !== null) {
    const key = `${rule.ruleId}#${rule.version}`;
    compiled = compiledById.get(key);
    if (!compiled) {
      compiled = compileRule(rule.document);
      if (compiledById.size >= COMPILED_RULES_CAP)
        compiledById.delete(compiledById.keys().next().value as string);
      compiledById.set(key, compiled);
    }
  } else compiled = compileRule(rule.document);
  compiledByDocument.set(rule.document, compiled);
  return compiled;
}

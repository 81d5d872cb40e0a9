import { type RuleField, LIST_VALUE, NO_VALUE } from './rule-catalog';
import type { RuleCondition, RuleOperator, RuleScalar } from './rules.models';

/** Which control a condition's value takes. */
export type ValueKind =
  'none' | 'between' | 'options' | 'list' | 'option' | 'boolean' | 'number' | 'date' | 'text';

export function valueKind(field: RuleField | null, op: RuleOperator): ValueKind {
  if (NO_VALUE.includes(op)) {
    return 'none';
  }
  if (op === 'between') {
    return 'between';
  }
  const options = field?.options ?? null;
  if (LIST_VALUE.includes(op)) {
    return options ? 'options' : 'list';
  }
  if (op === 'regex') {
    return 'text';
  }
  if (options && (field?.type === 'enum' || field?.type === 'multi_enum')) {
    return 'option';
  }
  switch (field?.type) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    default:
      return 'text';
  }
}

/** What a typed text becomes for a field: a number for number fields (when it reads as one), else the text. */
export function scalarOf(field: RuleField | null, text: string): RuleScalar {
  const trimmed = text.trim();
  if (field?.type === 'number' && trimmed !== '' && Number.isFinite(Number(trimmed))) {
    return Number(trimmed);
  }
  return text;
}

/** A comma separated list as values. */
export function listOf(field: RuleField | null, text: string): RuleScalar[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => scalarOf(field, part));
}

/** The condition after its field changed: the operator kept when the new type allows it, the value cleared. */
export function withField(
  condition: RuleCondition,
  ref: string,
  allowed: readonly RuleOperator[],
): RuleCondition {
  const op = allowed.includes(condition.op) ? condition.op : (allowed[0] ?? 'eq');
  return { field: ref, op };
}

/** The condition after its operator changed: the value kept when it still fits, else cleared. */
export function withOperator(
  condition: RuleCondition,
  op: RuleOperator,
  field: RuleField | null,
): RuleCondition {
  const before = valueKind(field, condition.op);
  const after = valueKind(field, op);
  const next: RuleCondition = { field: condition.field, op };
  if (after !== 'none' && before === after && condition.value !== undefined) {
    next.value = condition.value;
  }
  return next;
}

/** A value as text in an input. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  const scalar = (item: unknown): string => (typeof item === 'string' ? item : JSON.stringify(item));
  return Array.isArray(value) ? value.map(scalar).join(', ') : scalar(value);
}

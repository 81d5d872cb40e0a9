import { ValidationProblem, type FieldError } from '../http/problem';
import { isPrototypeKey } from '../http/prototype-keys';

/**
 * The bodies of the rule dry-run routes, checked by hand (they carry a rule document, checked by the rules'
 * own parser, and a webhook payload as the source sends it): unknown keys, types, sizes, depth and prototype keys
 * answer 400 naming the field.
 */

export type DryRunSource = 'lptracker' | 'amocrm';

export interface TestInput {
  /** The draft (the draft route only). */
  rule: unknown;
  eventId: string | null;
  payload: Record<string, unknown> | string | null;
  source: DryRunSource | null;
}

export interface BacktestInput {
  rule: unknown;
  /** The newest N events, or the events received within [from, to]. */
  last: number | null;
  from: Date | null;
  to: Date | null;
}

export const BACKTEST_MAX_LAST = 1000;
/** A payload as big as a webhook the inbox accepts at most. */
const PAYLOAD_MAX_CHARS = 1_000_000;
const PAYLOAD_MAX_DEPTH = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const fail = (field: string, code: string, message: string) =>
  new ValidationProblem([{ field, code, message }]);

function record(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw fail('body', 'isObject', `The body must be an object {${allowed.join(', ')}}`);
  const value = body as Record<string, unknown>;
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) throw fail(key, 'unknownField', `${key} is not an accepted field`);
  return value;
}

/** The first prototype key or the depth beyond the cap in a payload (iterative: no recursion on input). */
function payloadProblem(payload: object): FieldError | null {
  const stack: { value: unknown; depth: number; path: string }[] = [
    { value: payload, depth: 1, path: 'payload' },
  ];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > PAYLOAD_MAX_DEPTH)
      return {
        field: path,
        code: 'maxDepth',
        message: `payload nests deeper than ${PAYLOAD_MAX_DEPTH} levels`,
      };
    for (const key of Object.keys(value)) {
      if (isPrototypeKey(key))
        return { field: `${path}.${key}`, code: 'forbiddenKey', message: `${key} is not an accepted key` };
      stack.push({
        value: (value as Record<string, unknown>)[key],
        depth: depth + 1,
        path: `${path}.${key}`,
      });
    }
  }
  return null;
}

export function parseTestBody(body: unknown, withRule: boolean): TestInput {
  const keys = withRule ? ['rule', 'eventId', 'payload', 'source'] : ['eventId', 'payload', 'source'];
  const value = record(body, keys);
  if (withRule && value.rule === undefined) throw fail('rule', 'isNotEmpty', 'rule is required');
  const eventId = value.eventId ?? null;
  if (eventId !== null && (typeof eventId !== 'string' || !UUID.test(eventId)))
    throw fail('eventId', 'isUuid', 'eventId must be an event id');
  const source = value.source ?? null;
  if (source !== null && source !== 'lptracker' && source !== 'amocrm')
    throw fail('source', 'isIn', "source must be 'lptracker' or 'amocrm'");
  const payload = value.payload ?? null;
  if ((eventId === null) === (payload === null))
    throw fail('eventId', 'exactlyOne', 'give either eventId or payload (a webhook body)');
  if (payload !== null) {
    if (typeof payload === 'string') {
      if (payload.length > PAYLOAD_MAX_CHARS)
        throw fail('payload', 'maxLength', `payload is longer than ${PAYLOAD_MAX_CHARS} characters`);
    } else if (typeof payload !== 'object' || Array.isArray(payload)) {
      throw fail('payload', 'isObject', 'payload must be an object (or a form-encoded text for amoCRM)');
    } else {
      const problem = payloadProblem(payload);
      if (problem) throw new ValidationProblem([problem]);
      if (JSON.stringify(payload).length > PAYLOAD_MAX_CHARS)
        throw fail('payload', 'maxLength', `payload is larger than ${PAYLOAD_MAX_CHARS} characters`);
    }
  }
  return {
    rule: value.rule,
    eventId: eventId,
    payload: payload as TestInput['payload'],
    source: source,
  };
}

function date(value: unknown, field: string): Date | null {
  if (value === undefined || value === null) return null;
  const parsed = typeof value === 'string' && ISO.test(value) ? new Date(value) : null;
  if (!parsed || Number.isNaN(parsed.getTime()))
    throw fail(field, 'isIso8601', `${field} must be an ISO 8601 date or date and time`);
  return parsed;
}

export function parseBacktestBody(body: unknown, withRule: boolean): BacktestInput {
  const keys = withRule ? ['rule', 'last', 'from', 'to'] : ['last', 'from', 'to'];
  const value = record(body, keys);
  if (withRule && value.rule === undefined) throw fail('rule', 'isNotEmpty', 'rule is required');
  const last = value.last ?? null;
  if (
    last !== null &&
    (typeof last !== 'number' || !Number.isInteger(last) || last < 1 || last > BACKTEST_MAX_LAST)
  )
    throw fail('last', 'isInt', `last must be a whole number from 1 to ${BACKTEST_MAX_LAST}`);
  const from = date(value.from, 'from');
  const to = date(value.to, 'to');
  if (last === null && from === null && to === null)
    throw fail('last', 'isNotEmpty', 'give last (the newest N events) or from/to');
  if (last !== null && (from !== null || to !== null))
    throw fail('last', 'exactlyOne', 'give either last or from/to, not both');
  if (from && to && from > to) throw fail('to', 'isAfter', 'to must not be before from');
  return { rule: value.rule, last: last, from, to };
}

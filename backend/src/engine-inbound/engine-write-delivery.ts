import type { JsonObject } from '../database/columns';
import { checkBodyShape, describeBodyShapeViolation } from '../http/body-shape';
import { isPrototypeKey } from '../http/prototype-keys';
import { checkedKey, keyPart } from '../inbox/idempotency-key';
import {
  InboxBadRequest,
  type AcceptedDelivery,
  type InboxDelivery,
  type InboxKey,
} from '../inbox/source-adapter';
import {
  WRITE_ORIGINS,
  type EngineWriteEvent,
  type EngineWriteNotice,
  type WriteOrigin,
} from '../sync/engine-writes';
import type { MirrorFieldValue, MirrorFieldValues } from '../sync/mirror-field-values';

/**
 * What the engine's own writes (sources `api` and `import`) store in the inbox: one JSON delivery per notice,
 * naming the record (mirror row id, amoCRM id), the domain events it stands for, the changed fields with their
 * values before an update, and when it happened. The values after are read from the mirror when the event runs.
 * `watched` false: no enabled rule of the source was in force when it was recorded; such a delivery names no change,
 * so it is stored `skipped` (filtered) and never queued (the events page still lists it).
 */

export const JSON_CONTENT_TYPE = 'application/json';
const MAX_BODY_BYTES = 256 * 1024;
const MAX_CHANGED_FIELDS = 500;
const MAX_FIELD_REF = 200;
const MAX_TEXT = 10_000;
const MAX_LIST = 1_000;
const ENTITIES = ['lead', 'contact', 'call'] as const;
const EVENTS: readonly EngineWriteEvent[] = [
  'lead.created',
  'lead.updated',
  'lead.stage_changed',
  'contact.created',
  'contact.updated',
  'call.finished',
];
const ID = /^[0-9A-Za-z-]{1,64}$/;
const AMOCRM_ID = /^[1-9]\d{0,18}$/;

/** A notice as stored (dates as ISO text). */
export interface EngineWriteBody {
  origin: WriteOrigin;
  entity: EngineWriteNotice['entity'];
  id: string;
  amocrmId: string | null;
  events: EngineWriteEvent[];
  changedFields: string[];
  old: MirrorFieldValues | null;
  occurredAt: string;
  watched: boolean;
}

export function engineWriteBody(notice: EngineWriteNotice, watched: boolean): string {
  const body: EngineWriteBody = {
    origin: notice.origin,
    entity: notice.entity,
    id: notice.id,
    amocrmId: notice.amocrmId,
    events: notice.events,
    changedFields: notice.changedFields,
    old: notice.old ?? null,
    occurredAt: notice.occurredAt.toISOString(),
    watched,
  };
  return JSON.stringify(body);
}

/**
 * One key per notice: (entity, id, events, occurredAt) — the same notice stored twice is one change, a later write
 * of the record is another. Found by the amoCRM id in the events search (the mirror id when there is none).
 */
export function engineWriteKey(body: EngineWriteBody): InboxKey {
  const parts = [
    keyPart(body.entity, 'entity'),
    keyPart(body.id, 'id'),
    body.events.map((event) => keyPart(event, 'event')).join('+'),
    keyPart(body.occurredAt, 'occurredAt'),
  ];
  return checkedKey({ key: parts.join(':'), entityType: body.entity, entityId: body.amocrmId ?? body.id });
}

const fail = (message: string): never => {
  throw new InboxBadRequest('malformed_body', message);
};

function isFieldValue(value: unknown): value is MirrorFieldValue {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return value.length <= MAX_TEXT;
  return (
    Array.isArray(value) &&
    value.length <= MAX_LIST &&
    value.every(
      (item) =>
        (typeof item === 'number' && Number.isFinite(item)) ||
        (typeof item === 'string' && item.length <= MAX_TEXT),
    )
  );
}

function checkOld(old: unknown, changedFields: readonly string[]): MirrorFieldValues | null {
  if (old === null || old === undefined) return null;
  if (typeof old !== 'object' || Array.isArray(old)) return fail('old must be an object or null');
  const values: MirrorFieldValues = {};
  for (const [ref, value] of Object.entries(old as Record<string, unknown>)) {
    if (!changedFields.includes(ref)) fail(`old.${ref.slice(0, MAX_FIELD_REF)} is not a changed field`);
    if (!isFieldValue(value)) fail(`old.${ref} is not a field value`);
    values[ref] = value as MirrorFieldValue;
  }
  return values;
}

function strings(value: unknown, name: string, max: number, each: (item: string) => boolean): string[] {
  if (!Array.isArray(value) || value.length > max) return fail(`${name} must be a list of at most ${max}`);
  if (!value.every((item) => typeof item === 'string' && each(item))) fail(`${name} holds a bad entry`);
  if (new Set(value).size !== value.length) fail(`${name} repeats an entry`);
  return value as string[];
}

/** Parses and checks a stored notice of `origin`; anything else is a 400 (nothing stored). */
export function parseEngineWriteBody(rawBody: Buffer, origin: WriteOrigin): EngineWriteBody {
  if (rawBody.length > MAX_BODY_BYTES) fail(`the body is over ${MAX_BODY_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'), (key, value: unknown) => {
      if (isPrototypeKey(key)) throw new InboxBadRequest('malformed_body', `the key "${key}" is not allowed`);
      return value;
    });
  } catch (error) {
    if (error instanceof InboxBadRequest) throw error;
    return fail('the body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return fail('not an object');
  const violation = checkBodyShape(parsed);
  if (violation) fail(describeBodyShapeViolation(violation));
  const body = parsed as Record<string, unknown>;
  if (body.origin !== origin) fail(`origin must be "${origin}"`);
  const entity = body.entity;
  if (!ENTITIES.includes(entity as (typeof ENTITIES)[number])) fail('entity must be lead, contact or call');
  if (typeof body.id !== 'string' || !ID.test(body.id)) fail('id must be a record id');
  const amocrmId = body.amocrmId;
  if (amocrmId !== null && (typeof amocrmId !== 'string' || !AMOCRM_ID.test(amocrmId)))
    fail('amocrmId must be an id in text or null');
  const events = strings(body.events, 'events', EVENTS.length, (event) =>
    EVENTS.includes(event as EngineWriteEvent),
  );
  if (events.length === 0) fail('events must name at least one event');
  const changedFields = strings(
    body.changedFields,
    'changedFields',
    MAX_CHANGED_FIELDS,
    (ref) => ref.length > 0 && ref.length <= MAX_FIELD_REF,
  );
  const occurredAt = body.occurredAt;
  if (typeof occurredAt !== 'string' || occurredAt.length > 40 || Number.isNaN(Date.parse(occurredAt)))
    fail('occurredAt must be a date');
  if (typeof body.watched !== 'boolean') fail('watched must be true or false');
  return {
    origin,
    entity: entity as EngineWriteBody['entity'],
    id: body.id as string,
    amocrmId: amocrmId as string | null,
    events: events as EngineWriteEvent[],
    changedFields,
    old: checkOld(body.old, changedFields),
    occurredAt: occurredAt as string,
    watched: body.watched as boolean,
  };
}

/** The hot path of the `api` / `import` sources: a JSON notice of that origin, one key. */
export function acceptEngineWrite(delivery: InboxDelivery, origin: WriteOrigin): AcceptedDelivery {
  if (delivery.contentType !== JSON_CONTENT_TYPE)
    throw new InboxBadRequest('unsupported_content_type', `expected ${JSON_CONTENT_TYPE}`);
  const body = parseEngineWriteBody(delivery.rawBody, origin);
  const summary: JsonObject = { entity: body.entity, id: body.amocrmId ?? body.id, events: body.events };
  return { eventType: eventTypeOf(body.events), keys: body.watched ? [engineWriteKey(body)] : [], summary };
}

/** The event's type in lists: the most telling of its events (a stage change over an update). */
export function eventTypeOf(events: readonly EngineWriteEvent[]): string {
  for (const wanted of ['lead.created', 'lead.stage_changed', 'lead.updated'] as const)
    if (events.includes(wanted)) return wanted;
  return events[0];
}

export const isWriteOrigin = (source: string): source is WriteOrigin =>
  (WRITE_ORIGINS as readonly string[]).includes(source);

import type { TranslationKey, TranslationParams } from '../core/i18n/i18n.types';
import { formatAge } from '../shared/format-age';
import type {
  AttemptMode,
  AttemptResult,
  EventListItem,
  EventStatus,
  JsonObject,
  JsonValue,
  SkipReason,
} from './events.models';

export type Translate = (key: TranslationKey, params?: TranslationParams) => string;

const ENTITIES = {
  lead: 'events.entities.lead',
  leads: 'events.entities.lead',
  contact: 'events.entities.contact',
  contacts: 'events.entities.contact',
  company: 'events.entities.company',
  companies: 'events.entities.company',
  task: 'events.entities.task',
  tasks: 'events.entities.task',
  customer: 'events.entities.customer',
  customers: 'events.entities.customer',
} as const satisfies Record<string, TranslationKey>;

const ACTIONS = {
  add: 'events.actions.add',
  added: 'events.actions.add',
  create: 'events.actions.add',
  created: 'events.actions.add',
  update: 'events.actions.update',
  updated: 'events.actions.update',
  change: 'events.actions.update',
  changed: 'events.actions.update',
  status: 'events.actions.status',
  stage_changed: 'events.actions.status',
  delete: 'events.actions.delete',
  deleted: 'events.actions.delete',
  restore: 'events.actions.restore',
  restored: 'events.actions.restore',
  responsible: 'events.actions.responsible',
  note: 'events.actions.note',
} as const satisfies Record<string, TranslationKey>;

type Entity = keyof typeof ENTITIES;
type Action = keyof typeof ACTIONS;

function isEntity(value: string): value is Entity {
  return Object.hasOwn(ENTITIES, value);
}

function isAction(value: string): value is Action {
  return Object.hasOwn(ACTIONS, value);
}

/**
 * A readable event type: `leads.status` / `lead.status` / `status_lead` → «Сделка: смена этапа»;
 * `mixed` → «Несколько изменений»; anything else is shown as it came.
 */
export function eventTypeLabel(type: string, t: Translate): string {
  const normalised = type.trim().toLowerCase();
  if (normalised === 'mixed') {
    return t('events.mixedType');
  }
  let entity: string | undefined;
  let action: string | undefined;
  const dotted = /^([a-z]+)[.:/]([a-z]+(?:_[a-z]+)?)$/.exec(normalised);
  const amoStyle = /^([a-z]+)_([a-z]+)$/.exec(normalised);
  if (dotted) {
    [entity, action] = [dotted[1], dotted[2]];
  } else if (amoStyle) {
    [action, entity] = [amoStyle[1], amoStyle[2]];
  }
  if (entity === undefined || action === undefined || !isEntity(entity) || !isAction(action)) {
    return type;
  }
  return t('events.typeFormat', { entity: t(ENTITIES[entity]), action: t(ACTIONS[action]) });
}

/** `amocrm` → amoCRM, `lptracker` → LPTracker, `api` / `import` (the service's own writes); others keep their name. */
export function sourceLabel(source: string, t: Translate): string {
  if (source === 'amocrm') {
    return t('events.sources.amocrm');
  }
  if (source === 'lptracker') {
    return t('events.sources.lptracker');
  }
  if (source === 'api') {
    return t('events.sources.api');
  }
  if (source === 'import') {
    return t('events.sources.import');
  }
  return source;
}

export function statusLabel(status: EventStatus, skipReason: SkipReason | null, t: Translate): string {
  if (status === 'skipped' && skipReason) {
    return t('events.skippedWithReason', { reason: skipReasonLabel(skipReason, t) });
  }
  return t(`events.status.${status}`);
}

export function skipReasonLabel(reason: string, t: Translate): string {
  return reason === 'duplicate' || reason === 'echo' || reason === 'filtered'
    ? t(`events.skipReason.${reason}`)
    : reason;
}

export function attemptModeLabel(mode: AttemptMode, t: Translate): string {
  return ['first', 'retry', 'as_received', 'current_settings'].includes(mode)
    ? t(`events.attemptMode.${mode}`)
    : mode;
}

export function attemptResultLabel(result: AttemptResult, t: Translate): string {
  return ['done', 'skipped', 'retry', 'failed', 'lease_lost', 'interrupted'].includes(result)
    ? t(`events.attemptResult.${result}`)
    : result;
}

/** Summary keys that carry entity ids, in the order they are read. */
const ID_LIST_KEYS = [
  'entities',
  'entityIds',
  'entity_ids',
  'ids',
  'leadIds',
  'lead_ids',
  'contactIds',
  'contact_ids',
  'leads',
  'contacts',
];
const ID_KEYS = ['entityId', 'entity_id', 'leadId', 'lead_id', 'contactId', 'contact_id', 'id'];

function scalarId(value: JsonValue | undefined): string | null {
  if (typeof value === 'string' && value.trim() !== '') {
    return value.trim();
  }
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

/**
 * The entity ids an event is about, as far as its summary says (lists such as `entities: ['31', '32']`,
 * `leadIds`, or single ids such as `leadId`). Counts (`leads: 2`) are not ids.
 */
export function summaryEntityIds(summary: JsonObject | null | undefined): string[] {
  const ids = new Set<string>();
  if (!summary || typeof summary !== 'object') {
    return [];
  }
  for (const key of ID_LIST_KEYS) {
    const value = summary[key];
    if (Array.isArray(value)) {
      for (const item of value) {
        const id = scalarId(item);
        if (id !== null) {
          ids.add(id);
        }
      }
    }
  }
  for (const key of ID_KEYS) {
    const id = scalarId(summary[key]);
    if (id !== null) {
      ids.add(id);
    }
  }
  return [...ids];
}

/** Entity ids of a stored event: from its idempotency keys (`lead:status:123:1700…` → 123), else its summary. */
export function eventEntityIds(event: EventListItem & { keys?: string[] }): string[] {
  const fromKeys = new Set<string>();
  for (const key of event.keys ?? []) {
    const parts = key.split(':');
    // amoCRM and generic keys: entity:action:id:version; LPTracker: project:id:action:timestamp.
    const id = /^[a-z]/i.test(parts[0] ?? '') ? parts[2] : parts[1];
    if (id) {
      fromKeys.add(id);
    }
  }
  return fromKeys.size > 0 ? [...fromKeys] : summaryEntityIds(event.summary);
}

/** A duration in milliseconds: `12 мс`, `1,5 с`, `2 мин 5 с`. */
export function formatDuration(ms: number, locale: string, t: Translate): string {
  if (ms < 1000) {
    const value = new Intl.NumberFormat(locale, { maximumFractionDigits: ms < 10 ? 1 : 0 }).format(ms);
    return t('events.units.ms', { value });
  }
  return formatAge(ms / 1000, locale, t);
}

/** When an event came: the time with seconds today, the date and time otherwise. */
export function formatEventTime(value: string | null | undefined, locale: string, now = new Date()): string {
  if (!value) {
    return '';
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return value;
  }
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  const today = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(
    locale,
    today ? time : { day: '2-digit', month: '2-digit', year: 'numeric', ...time },
  ).format(date);
}

/** When an event came, for the list: always the date (the year only when not this year) and the time. */
export function formatEventDateTime(
  value: string | null | undefined,
  locale: string,
  now = new Date(),
): string {
  if (!value) {
    return '';
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return value;
  }
  return new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(date);
}

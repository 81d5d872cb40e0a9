import { CALL_DIRECTIONS, CALL_RESULTS } from '../call-results/call-result.types';
import { amocrmFieldType, OPERATORS_BY_TYPE, type RuleMetadata } from './rule-fields';
import {
  RULE_ACTION_TYPES,
  RULE_EVENTS,
  RULE_SOURCES,
  type RuleActionType,
  type RuleEvent,
  type RuleFieldType,
  type RuleOperator,
  type RuleSource,
} from './rule.types';

export interface RuleCatalogOption {
  id: number | string;
  name: string;
}

export interface RuleCatalogField {
  ref: string;
  name: string;
  type: RuleFieldType;
  /** Whose field: `amocrm`, `lptracker`, or `event` (the visit, the contact's phones and e-mails, the event). */
  system: 'amocrm' | 'lptracker' | 'event';
  options: RuleCatalogOption[] | null;
}

export interface RuleCatalog {
  fields: RuleCatalogField[];
  operators: Record<RuleFieldType, readonly RuleOperator[]>;
  sources: readonly RuleSource[];
  events: readonly RuleEvent[];
  actions: readonly RuleActionType[];
}

const FIXED: [string, string, RuleFieldType, RuleCatalogField['system']][] = [
  ['lead.name', 'Сделка: название', 'string', 'amocrm'],
  ['lead.price', 'Сделка: бюджет', 'number', 'amocrm'],
  ['lead.tags', 'Сделка: теги', 'strings', 'amocrm'],
  ['lead.created_at', 'Сделка: создана', 'date', 'amocrm'],
  ['contact.name', 'Контакт: имя', 'string', 'event'],
  ['contact.phone', 'Контакт: телефоны', 'strings', 'event'],
  ['contact.email', 'Контакт: почта', 'strings', 'event'],
  ['view.source', 'Визит: источник', 'string', 'lptracker'],
  ['view.campaign', 'Визит: кампания', 'string', 'lptracker'],
  ['view.keyword', 'Визит: ключевое слово', 'string', 'lptracker'],
  ['lptracker.name', 'LPTracker: название лида', 'string', 'lptracker'],
  ['lptracker.created_at', 'LPTracker: лид создан', 'date', 'lptracker'],
  ['call.duration', 'Звонок: длительность, секунд', 'number', 'event'],
  ['call.operator', 'Звонок: оператор', 'string', 'event'],
  ['call.missedCount', 'Звонок: неотвеченных подряд', 'number', 'event'],
];

const CALL_RESULT_NAMES: Record<(typeof CALL_RESULTS)[number], string> = {
  answered: 'ответили',
  missed: 'не ответили',
  busy: 'занято',
  failed: 'не дозвонились',
};

/**
 * Every field a rule can read with its type and options, from the metadata caches (for the rule editor's pickers:
 * fields of both systems, the operators that fit each type, option names for enums). Pure.
 */
export function ruleCatalog(meta: RuleMetadata): RuleCatalog {
  const fields: RuleCatalogField[] = FIXED.map(([ref, name, type, system]) => ({
    ref,
    name,
    type,
    system,
    options: null,
  }));
  const list = (values: readonly string[]) => values.map((value) => ({ id: value, name: value }));
  fields.push(
    {
      ref: 'event.source',
      name: 'Событие: откуда',
      type: 'enum',
      system: 'event',
      options: list(RULE_SOURCES),
    },
    {
      ref: 'event.type',
      name: 'Событие: что произошло',
      type: 'enum',
      system: 'event',
      options: list(RULE_EVENTS),
    },
    {
      ref: 'call.result',
      name: 'Звонок: чем закончился',
      type: 'enum',
      system: 'event',
      options: CALL_RESULTS.map((id) => ({ id, name: CALL_RESULT_NAMES[id] })),
    },
    {
      ref: 'call.direction',
      name: 'Звонок: входящий или исходящий',
      type: 'enum',
      system: 'event',
      options: CALL_DIRECTIONS.map((id) => ({ id, name: id === 'in' ? 'входящий' : 'исходящий' })),
    },
  );
  const amo = meta.amocrm;
  if (amo) {
    const statuses = amo.pipelines.flatMap((p) =>
      p.statuses.map((s) => ({ id: s.id, name: `${p.name}: ${s.name}` })),
    );
    fields.push(
      { ref: 'lead.status', name: 'Сделка: этап', type: 'enum', system: 'amocrm', options: statuses },
      {
        ref: 'lead.pipeline',
        name: 'Сделка: воронка',
        type: 'enum',
        system: 'amocrm',
        options: amo.pipelines.map((p) => ({ id: p.id, name: p.name })),
      },
      {
        ref: 'lead.responsible',
        name: 'Сделка: ответственный',
        type: 'enum',
        system: 'amocrm',
        options: amo.users.map((u) => ({ id: u.id, name: u.name })),
      },
    );
    for (const [entity, label, custom] of [
      ['lead', 'Сделка', amo.leadFields],
      ['contact', 'Контакт', amo.contactFields],
    ] as const)
      for (const field of custom)
        fields.push({
          ref: `${entity}.custom.${field.id}`,
          name: `${label}: ${field.name}`,
          type: amocrmFieldType(field),
          system: 'amocrm',
          options: field.enums ? field.enums.map((e) => ({ id: e.id, name: e.value })) : null,
        });
  }
  const seen = new Set<string>();
  const once = (field: RuleCatalogField) => {
    if (!seen.has(field.ref)) fields.push(field);
    seen.add(field.ref);
  };
  const stages = meta.lptracker.flatMap((p) => p.funnel.map((s) => ({ id: s.id, name: s.name })));
  const staff = meta.lptracker.flatMap((p) => p.staff.map((s) => ({ id: s.id, name: s.name })));
  if (meta.lptracker.length > 0) {
    once({
      ref: 'lptracker.stage',
      name: 'LPTracker: этап',
      type: 'enum',
      system: 'lptracker',
      options: stages,
    });
    once({
      ref: 'lptracker.owner',
      name: 'LPTracker: ответственный',
      type: 'enum',
      system: 'lptracker',
      options: staff,
    });
  }
  for (const project of meta.lptracker) {
    for (const field of project.customs) {
      const options = field.options && field.options.length > 0 ? list(field.options) : null;
      const type = options ? 'enum' : 'string';
      once({
        ref: `lptracker.custom.${field.id}`,
        name: `LPTracker: ${field.name}`,
        type,
        system: 'lptracker',
        options,
      });
    }
    for (const field of project.contactFields)
      once({
        ref: `contact.field.${field.id}`,
        name: `Контакт LPTracker: ${field.name}`,
        type: 'string',
        system: 'lptracker',
        options: null,
      });
  }
  return {
    fields,
    operators: OPERATORS_BY_TYPE,
    sources: RULE_SOURCES,
    events: RULE_EVENTS,
    actions: RULE_ACTION_TYPES,
  };
}

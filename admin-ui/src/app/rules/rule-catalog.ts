import type { AmocrmMetadata } from '../core/amocrm/amocrm.models';
import type { LptrackerProjectMetadata } from '../core/lptracker/lptracker.models';
import {
  RULE_EVENTS,
  RULE_SOURCES,
  type RuleFieldType,
  type RuleOperator,
  type RuleScalar,
} from './rules.models';

/** Where a field lives, for the picker's groups (keys of `rules.groups`). */
export type RuleFieldGroup = 'lead' | 'contact' | 'view' | 'lptracker' | 'event';

export interface RuleOption {
  id: RuleScalar;
  label: string;
}

/** One field a condition can read (as the backend's `rule-fields.ts` resolves it). */
export interface RuleField {
  ref: string;
  name: string;
  type: RuleFieldType;
  group: RuleFieldGroup;
  /** The choices of an enum (amoCRM: option/stage/user ids; LPTracker: option texts or ids); null otherwise. */
  options: RuleOption[] | null;
}

const ALL: readonly RuleOperator[] = ['empty', 'not_empty', 'changed'];
const TEXT: readonly RuleOperator[] = ['contains', 'not_contains', 'starts_with', 'ends_with', 'regex'];
const ORDER: readonly RuleOperator[] = ['gt', 'gte', 'lt', 'lte', 'between'];
const EQUALITY: readonly RuleOperator[] = ['eq', 'neq', 'in', 'not_in'];
const TRANSITION: readonly RuleOperator[] = ['changed_to', 'changed_from'];

/** The operators that make sense for each type (the backend refuses the others). */
export const OPERATORS_BY_TYPE: Record<RuleFieldType, readonly RuleOperator[]> = {
  string: [...EQUALITY, ...TEXT, ...ALL, ...TRANSITION],
  number: [...EQUALITY, ...ORDER, ...ALL, ...TRANSITION],
  date: ['eq', 'neq', ...ORDER, ...ALL, ...TRANSITION],
  boolean: ['eq', 'neq', ...ALL, ...TRANSITION],
  enum: [...EQUALITY, ...ALL, ...TRANSITION],
  multi_enum: ['contains', 'not_contains', 'in', 'not_in', ...ALL],
  strings: [...EQUALITY, ...TEXT, ...ALL],
};

/** Operators that take no value. */
export const NO_VALUE: readonly RuleOperator[] = ['empty', 'not_empty', 'changed'];
/** Operators that take a list of values. */
export const LIST_VALUE: readonly RuleOperator[] = ['in', 'not_in'];

type Name = (key: string) => string;

/** The fields every workspace has: `[ref, type, group]`; names are `rules.fields.<ref with _>`. */
const FIXED: readonly [string, RuleFieldType, RuleFieldGroup][] = [
  ['lead.name', 'string', 'lead'],
  ['lead.price', 'number', 'lead'],
  ['lead.tags', 'strings', 'lead'],
  ['lead.created_at', 'date', 'lead'],
  ['contact.name', 'string', 'contact'],
  ['contact.phone', 'strings', 'contact'],
  ['contact.email', 'strings', 'contact'],
  ['view.source', 'string', 'view'],
  ['view.campaign', 'string', 'view'],
  ['view.keyword', 'string', 'view'],
  ['lptracker.name', 'string', 'lptracker'],
  ['lptracker.created_at', 'date', 'lptracker'],
];

/** The key of a fixed field's name in the dictionaries (`lead.price` → `lead_price`). */
export function fixedNameKey(ref: string): string {
  return ref.replace(/\./g, '_');
}

export function amocrmFieldType(type: string): RuleFieldType {
  switch (type) {
    case 'numeric':
    case 'price':
    case 'monetary':
      return 'number';
    case 'date':
    case 'date_time':
    case 'birthday':
      return 'date';
    case 'checkbox':
      return 'boolean';
    case 'select':
    case 'radiobutton':
    case 'category':
      return 'enum';
    case 'multiselect':
      return 'multi_enum';
    case 'multitext':
      return 'strings';
    default:
      return 'string';
  }
}

function unique(options: RuleOption[]): RuleOption[] {
  const seen = new Set<RuleScalar>();
  return options.filter((option) => !seen.has(option.id) && seen.add(option.id));
}

function amocrmFields(meta: AmocrmMetadata | null, name: Name): RuleField[] {
  if (!meta) {
    return [];
  }
  const statuses = meta.pipelines.flatMap((pipeline) =>
    pipeline.statuses.map((status) => ({ id: status.id, label: `${pipeline.name} → ${status.name}` })),
  );
  const custom = (entity: 'lead' | 'contact'): RuleField[] =>
    (entity === 'lead' ? meta.leadFields : meta.contactFields).map((field) => {
      const type = amocrmFieldType(field.type);
      const enumLike = type === 'enum' || type === 'multi_enum';
      return {
        ref: `${entity}.custom.${field.id}`,
        name: `${field.name} (amoCRM)`,
        type,
        group: entity,
        options: enumLike ? (field.enums ?? []).map((e) => ({ id: e.id, label: e.value })) : null,
      };
    });
  return [
    { ref: 'lead.status', name: name('lead_status'), type: 'enum', group: 'lead', options: unique(statuses) },
    {
      ref: 'lead.pipeline',
      name: name('lead_pipeline'),
      type: 'enum',
      group: 'lead',
      options: meta.pipelines.map((p) => ({ id: p.id, label: p.name })),
    },
    {
      ref: 'lead.responsible',
      name: name('lead_responsible'),
      type: 'enum',
      group: 'lead',
      options: meta.users.map((u) => ({ id: u.id, label: u.name })),
    },
    ...custom('lead'),
    ...custom('contact'),
  ];
}

function lptrackerFields(projects: readonly LptrackerProjectMetadata[], name: Name): RuleField[] {
  const stages = projects.flatMap((p) => p.funnel.map((s) => ({ id: s.id, label: s.name })));
  const staff = projects.flatMap((p) => p.staff.map((s) => ({ id: s.id, label: s.name })));
  const customs = new Map<number, RuleField>();
  const contactFields = new Map<number, RuleField>();
  for (const project of projects) {
    for (const field of project.customs) {
      const options = field.options && field.options.length > 0 ? field.options : null;
      customs.set(field.id, {
        ref: `lptracker.custom.${field.id}`,
        name: `${field.name} (LPTracker)`,
        type: options ? 'enum' : 'string',
        group: 'lptracker',
        options: options ? options.map((option) => ({ id: option, label: option })) : null,
      });
    }
    for (const field of project.contactFields) {
      contactFields.set(field.id, {
        ref: `contact.field.${field.id}`,
        name: `${field.name} (LPTracker)`,
        type: 'string',
        group: 'contact',
        options: null,
      });
    }
  }
  if (projects.length === 0) {
    return [];
  }
  return [
    {
      ref: 'lptracker.stage',
      name: name('lptracker_stage'),
      type: 'enum',
      group: 'lptracker',
      options: unique(stages),
    },
    {
      ref: 'lptracker.owner',
      name: name('lptracker_owner'),
      type: 'enum',
      group: 'lptracker',
      options: unique(staff),
    },
    ...customs.values(),
    ...contactFields.values(),
  ];
}

/**
 * Every field a condition can read: the fixed ones, amoCRM's (statuses, pipelines, users, custom fields) and
 * LPTracker's (stages, staff, custom and contact fields of the enabled projects), and the event itself.
 */
export function ruleFields(
  amocrm: AmocrmMetadata | null,
  lptracker: readonly LptrackerProjectMetadata[],
  name: Name,
  label: (group: 'source' | 'event', id: string) => string,
): RuleField[] {
  return [
    ...FIXED.map(([ref, type, group]) => ({
      ref,
      name: name(fixedNameKey(ref)),
      type,
      group,
      options: null,
    })),
    ...amocrmFields(amocrm, name),
    ...lptrackerFields(lptracker, name),
    {
      ref: 'event.source',
      name: name('event_source'),
      type: 'enum',
      group: 'event',
      options: RULE_SOURCES.map((id) => ({ id, label: label('source', id) })),
    },
    {
      ref: 'event.type',
      name: name('event_type'),
      type: 'enum',
      group: 'event',
      options: RULE_EVENTS.map((id) => ({ id, label: label('event', id) })),
    },
  ];
}

/** The field a reference names (`old.` read as the field itself), or null when the catalog does not know it. */
export function findField(fields: readonly RuleField[], ref: string): RuleField | null {
  const base = ref.startsWith('old.') ? ref.slice(4) : ref;
  return fields.find((field) => field.ref === base) ?? null;
}

/** The operators a field allows (all of them for a field the catalog does not know). */
export function operatorsFor(field: RuleField | null): readonly RuleOperator[] {
  return field ? OPERATORS_BY_TYPE[field.type] : OPERATORS_BY_TYPE.string;
}

/** Fields whose name or reference contains `query` (any case). */
export function searchFields(fields: readonly RuleField[], query: string): RuleField[] {
  const needle = query.trim().toLowerCase();
  return needle === ''
    ? [...fields]
    : fields.filter((f) => f.name.toLowerCase().includes(needle) || f.ref.toLowerCase().includes(needle));
}

import type { AmocrmCustomFieldMeta, AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { LptrackerProjectMetadata } from '../../lptracker/metadata/lptracker-metadata.types';
import { CALL_DIRECTIONS, CALL_RESULTS } from '../call-results/call-result.types';
import {
  RULE_EVENTS,
  RULE_SOURCES,
  type RuleFieldRef,
  type RuleFieldType,
  type RuleOperator,
} from './rule.types';

/** The metadata caches a rule is checked against (amoCRM null: not loaded / not needed). */
export interface RuleMetadata {
  amocrm: AmocrmMetadata | null;
  /** Every enabled LPTracker project's cached metadata. */
  lptracker: LptrackerProjectMetadata[];
}

export interface ResolvedField {
  type: RuleFieldType;
  /** The allowed option values of enum fields (amoCRM: option/status/user ids; LPTracker: option texts or ids). */
  options: (string | number)[] | null;
  /** `old.…`: the value before the change. */
  old: boolean;
}

export type FieldResolution =
  | ({ ok: true } & ResolvedField)
  | { ok: false; code: 'unknown_field' | 'amocrm_metadata_missing'; message: string };

const ALL: readonly RuleOperator[] = ['empty', 'not_empty', 'changed'];
const TEXT: readonly RuleOperator[] = ['contains', 'not_contains', 'starts_with', 'ends_with', 'regex'];
const ORDER: readonly RuleOperator[] = ['gt', 'gte', 'lt', 'lte', 'between'];
const EQUALITY: readonly RuleOperator[] = ['eq', 'neq', 'in', 'not_in'];
const TRANSITION: readonly RuleOperator[] = ['changed_to', 'changed_from'];

/** The operators that make sense for each type. */
export const OPERATORS_BY_TYPE: Record<RuleFieldType, readonly RuleOperator[]> = {
  string: [...EQUALITY, ...TEXT, ...ALL, ...TRANSITION],
  number: [...EQUALITY, ...ORDER, ...ALL, ...TRANSITION],
  date: ['eq', 'neq', ...ORDER, ...ALL, ...TRANSITION],
  boolean: ['eq', 'neq', ...ALL, ...TRANSITION],
  enum: [...EQUALITY, ...ALL, ...TRANSITION],
  /** contains: has the option; in: has any of; not_in: has none of. */
  multi_enum: ['contains', 'not_contains', 'in', 'not_in', ...ALL],
  /** Lists (phones, e-mails, tags): true when any element matches (the negations: when none does). */
  strings: [...EQUALITY, ...TEXT, ...ALL],
};

const FIXED: Record<string, RuleFieldType> = {
  'lead.name': 'string',
  'lead.price': 'number',
  'lead.tags': 'strings',
  'lead.created_at': 'date',
  'contact.name': 'string',
  'contact.phone': 'strings',
  'contact.email': 'strings',
  'view.source': 'string',
  'view.campaign': 'string',
  'view.keyword': 'string',
  'lptracker.name': 'string',
  'lptracker.created_at': 'date',
  'call.duration': 'number',
  'call.operator': 'string',
  'call.missedCount': 'number',
};

/** Fields whose options come from amoCRM: they need its metadata. */
const AMOCRM_ENUMS = ['lead.status', 'lead.pipeline', 'lead.responsible'];

export function amocrmFieldType(field: AmocrmCustomFieldMeta): RuleFieldType {
  switch (field.type) {
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

/** Whether a field (without `old.`) reads amoCRM metadata. */
export function needsAmocrmMetadata(ref: RuleFieldRef): boolean {
  const base = ref.startsWith('old.') ? ref.slice(4) : ref;
  return AMOCRM_ENUMS.includes(base) || /^(lead|contact)\.custom\./.test(base);
}

const customId = (ref: string, prefix: string): number | null => {
  if (!ref.startsWith(prefix)) return null;
  const rest = ref.slice(prefix.length);
  return /^[1-9]\d{0,15}$/.test(rest) ? Number(rest) : null;
};

const unknown = (ref: string, why = 'is not a field rules can read'): FieldResolution => ({
  ok: false,
  code: 'unknown_field',
  message: `${ref} ${why}`,
});

function resolveAmocrm(base: string, amocrm: AmocrmMetadata | null): FieldResolution | null {
  const leadField = customId(base, 'lead.custom.');
  const contactField = customId(base, 'contact.custom.');
  if (!AMOCRM_ENUMS.includes(base) && leadField === null && contactField === null) return null;
  if (!amocrm)
    return {
      ok: false,
      code: 'amocrm_metadata_missing',
      message: `${base} needs the amoCRM account metadata`,
    };
  if (base === 'lead.status') {
    const ids = amocrm.pipelines.flatMap((pipeline) => pipeline.statuses.map((status) => status.id));
    return { ok: true, type: 'enum', options: [...new Set(ids)], old: false };
  }
  if (base === 'lead.pipeline')
    return { ok: true, type: 'enum', options: amocrm.pipelines.map((p) => p.id), old: false };
  if (base === 'lead.responsible')
    return { ok: true, type: 'enum', options: amocrm.users.map((u) => u.id), old: false };
  const field = (leadField !== null ? amocrm.leadFields : amocrm.contactFields).find(
    (candidate) => candidate.id === (leadField ?? contactField),
  );
  if (!field) return unknown(base, 'is not a custom field of the amoCRM account');
  const type = amocrmFieldType(field);
  const options = type === 'enum' || type === 'multi_enum' ? (field.enums ?? []).map((e) => e.id) : null;
  return { ok: true, type, options, old: false };
}

function resolveLptracker(base: string, projects: LptrackerProjectMetadata[]): FieldResolution | null {
  if (base === 'lptracker.stage') {
    const ids = projects.flatMap((project) => project.funnel.map((stage) => stage.id));
    return { ok: true, type: 'enum', options: [...new Set(ids)], old: false };
  }
  if (base === 'lptracker.owner') {
    const ids = projects.flatMap((project) => project.staff.map((person) => person.id));
    return { ok: true, type: 'enum', options: [...new Set(ids)], old: false };
  }
  const custom = customId(base, 'lptracker.custom.');
  if (custom !== null) {
    const field = projects.flatMap((project) => project.customs).find((candidate) => candidate.id === custom);
    if (!field) return unknown(base, 'is not a custom field of an enabled LPTracker project');
    const options = field.options && field.options.length > 0 ? field.options : null;
    return { ok: true, type: options ? 'enum' : 'string', options, old: false };
  }
  const contactField = customId(base, 'contact.field.');
  if (contactField !== null) {
    const known = projects.some((project) => project.contactFields.some((f) => f.id === contactField));
    return known
      ? { ok: true, type: 'string', options: null, old: false }
      : unknown(base, 'is not a contact field of an enabled LPTracker project');
  }
  return null;
}

/** What a field reference names, checked against the metadata caches. */
export function resolveField(ref: RuleFieldRef, meta: RuleMetadata): FieldResolution {
  const old = ref.startsWith('old.');
  const base = old ? ref.slice(4) : ref;
  if (old && (base.startsWith('event.') || base.startsWith('call.'))) return unknown(ref, 'has no old value');
  const withOld = (resolved: FieldResolution): FieldResolution =>
    resolved.ok ? { ...resolved, old } : resolved;
  const fixed = FIXED[base];
  if (fixed) return withOld({ ok: true, type: fixed, options: null, old });
  if (base === 'event.source') return { ok: true, type: 'enum', options: [...RULE_SOURCES], old };
  if (base === 'event.type') return { ok: true, type: 'enum', options: [...RULE_EVENTS], old };
  if (base === 'call.result') return { ok: true, type: 'enum', options: [...CALL_RESULTS], old };
  if (base === 'call.direction') return { ok: true, type: 'enum', options: [...CALL_DIRECTIONS], old };
  const resolved = resolveAmocrm(base, meta.amocrm) ?? resolveLptracker(base, meta.lptracker);
  return resolved ? withOld(resolved) : unknown(ref);
}

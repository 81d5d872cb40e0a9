import { ROLES } from '../core/auth/auth.models';
import type { TranslationKey, TranslationParams, Translations } from '../core/i18n/i18n.types';
import { ru } from '../core/i18n/ru';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;
type ActionGroup = keyof Translations['audit']['groups'];

/** Groups of the action filter: a group filters by prefix (`auth.`), then its known actions. */
export interface AuditActionGroup {
  id: ActionGroup;
  prefix: string;
  actions: readonly string[];
}

/** Every action the console has a label for (`audit.actions.<group>.<name>` in `ru.ts`). */
const KNOWN_ACTIONS: ReadonlySet<string> = new Set(
  Object.entries(ru.audit.actions).flatMap(([group, names]) =>
    Object.keys(names).map((name) => `${group}.${name}`),
  ),
);

export const AUDIT_ACTION_GROUPS: readonly AuditActionGroup[] = (
  Object.keys(ru.audit.groups) as ActionGroup[]
).map((id) => ({
  id,
  prefix: `${id}.`,
  actions: [...KNOWN_ACTIONS].filter((action) => action.startsWith(`${id}.`)),
}));

/** A readable label for an action; the raw action (`amocrm.token_refreshed`) when it is unknown. */
export function actionLabel(action: string, t: Translate): string {
  return KNOWN_ACTIONS.has(action) ? t(`audit.actions.${action}` as TranslationKey) : action;
}

/** One `key: value` of an entry's details, ready to show. */
export interface AuditDetail {
  key: string;
  label: string;
  value: string;
}

const ROLE_KEYS = new Set(['role', 'from', 'to']);

function detailLabel(key: string, t: Translate): string {
  return Object.hasOwn(ru.audit.details, key) ? t(`audit.details.${key}` as TranslationKey) : key;
}

function detailValue(key: string, value: unknown, t: Translate): string {
  if (value === null || value === undefined) {
    return t('common.none');
  }
  if (typeof value === 'boolean') {
    return t(value ? 'audit.yes' : 'audit.no');
  }
  if (typeof value === 'string') {
    return ROLE_KEYS.has(key) && (ROLES as readonly string[]).includes(value)
      ? t(`roles.${value}` as TranslationKey)
      : value;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** An entry's details as `label: value` pairs, known keys and role names translated. */
export function auditDetails(details: Readonly<Record<string, unknown>> | null, t: Translate): AuditDetail[] {
  return Object.entries(details ?? {}).map(([key, value]) => ({
    key,
    label: detailLabel(key, t),
    value: detailValue(key, value, t),
  }));
}

/** "user", "API key"… for the actor's kind; `null` for an unknown kind. */
export function actorTypeLabel(actorType: string, t: Translate): string | null {
  return Object.hasOwn(ru.audit.actorTypes, actorType)
    ? t(`audit.actorTypes.${actorType}` as TranslationKey)
    : null;
}

/**
 * A text cut into pieces that are kept whole, for e-mails: the line may break before `@` and before each dot,
 * never at a hyphen inside a name (`anna-maria.petrova@romashka-group.ru`). Other text is one piece.
 */
export function unbrokenParts(text: string): string[] {
  if (!/^[^\s@]+@[^\s@]+$/.test(text)) {
    return [text];
  }
  return text.split(/(?=[@.])/);
}

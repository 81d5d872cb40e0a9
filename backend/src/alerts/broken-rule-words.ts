import type { FieldError } from '../http/problem';
import type { LptrackerProjectMetadata } from '../lptracker/metadata/lptracker-metadata.types';
import { checkRuleAgainstMetadata, walk } from '../sync/rules/rule-check';
import type { RuleMetadata } from '../sync/rules/rule-fields';
import type { RuleDocument } from '../sync/rules/rule.types';

/** Why a saved rule no longer passes the metadata check, as the check's problem codes tell it. */
export type BrokenRuleCause =
  | 'project_off'
  | 'field_deleted'
  | 'option_deleted'
  | 'pipeline_deleted'
  | 'stage_deleted'
  | 'lptracker_stage_deleted'
  | 'user_gone'
  | 'field_type_changed'
  | 'amocrm_metadata_missing';

type System = 'amoCRM' | 'LPTracker' | 'CRM';

const FIELD_TYPE_CODES = new Set(['operator_type', 'type', 'pattern', 'range', 'required', 'unexpected']);

/**
 * The cause of one problem of `checkRuleAgainstMetadata`: a turned-off LPTracker project when `projectOff` says the
 * problem goes away with that project's metadata, else its code.
 */
export function causeOf(problem: FieldError, projectOff = false): BrokenRuleCause {
  if (projectOff) return 'project_off';
  switch (problem.code) {
    case 'unknown_project':
      return 'project_off';
    case 'unknown_pipeline':
      return 'pipeline_deleted';
    case 'unknown_status':
      return 'stage_deleted';
    case 'unknown_stage':
      return 'lptracker_stage_deleted';
    case 'unknown_user':
      return 'user_gone';
    case 'enum_option':
      return 'option_deleted';
    case 'amocrm_metadata_missing':
      return 'amocrm_metadata_missing';
    default:
      return FIELD_TYPE_CODES.has(problem.code ?? '') ? 'field_type_changed' : 'field_deleted';
  }
}

type Checked = Pick<RuleDocument, 'trigger' | 'conditions' | 'actions'>;

/**
 * Which system a problem names: an LPTracker custom field of an action, an amoCRM lead field an action writes, the
 * field of the condition at the problem's path, else the field ref its message starts with (trigger, template).
 */
function systemsOf(document: Checked): (problem: FieldError) => System {
  const conditions: [string, string][] = [];
  walk(document.conditions, 'conditions', (condition, path) =>
    conditions.push([`${path}.`, condition.field]),
  );
  return (problem) => {
    if (/\.custom\[\d+\]\.(fieldId|value)$/.test(problem.field)) return 'LPTracker';
    if (/^actions\[\d+\]\.values\[/.test(problem.field)) return 'amoCRM';
    const ref =
      conditions.find(([path]) => problem.field.startsWith(path))?.[1] ??
      /^\{?([a-z_.0-9]+)/.exec(problem.message)?.[1] ??
      '';
    const base = ref.startsWith('old.') ? ref.slice(4) : ref;
    if (base.startsWith('lptracker.')) return 'LPTracker';
    if (base.startsWith('lead.') || base.startsWith('contact.')) return 'amoCRM';
    return 'CRM';
  };
}

function sentence(cause: BrokenRuleCause, system: System): string {
  switch (cause) {
    case 'project_off':
      return 'В LPTracker отключили проект, который указан в правиле.';
    case 'field_deleted':
      return `В ${system} удалили поле, которое есть в правиле.`;
    case 'option_deleted':
      return `В ${system} удалили вариант списка, который выбран в правиле.`;
    case 'pipeline_deleted':
      return 'В amoCRM удалили воронку, которая указана в правиле.';
    case 'stage_deleted':
      return 'В amoCRM удалили этап воронки, который указан в правиле.';
    case 'lptracker_stage_deleted':
      return 'В LPTracker удалили этап, который указан в правиле.';
    case 'user_gone':
      return 'Пользователя amoCRM, который указан в правиле, больше нет.';
    case 'field_type_changed':
      return `В ${system} изменили поле, и условие правила к нему больше не подходит.`;
    case 'amocrm_metadata_missing':
      return 'Нет сведений из amoCRM: проверьте подключение.';
  }
}

/**
 * The alert's detail for a broken rule: how many problems, each distinct cause in words (a project turned off is
 * not told as a deleted field), and what to do. `projectOff`: whether a problem goes away with the metadata of the
 * workspace's turned-off LPTracker projects (its field, stage or the project itself is there); `systemOf`: which
 * CRM the problem's field belongs to.
 */
function brokenRuleDetail(
  problems: FieldError[],
  projectOff: (problem: FieldError) => boolean,
  systemOf: (problem: FieldError) => System,
): string {
  const causes = problems.map((problem) => causeOf(problem, projectOff(problem)));
  const sentences = [...new Set(problems.map((problem, i) => sentence(causes[i], systemOf(problem))))];
  const onlyProjectOff = causes.every((cause) => cause === 'project_off');
  const todo = onlyProjectOff
    ? 'Включите проект снова в подключении LPTracker или откройте правило и выберите другой проект.'
    : 'Откройте правило и выберите другое.';
  return `Ошибок: ${problems.length}. ${sentences.join(' ')} ${todo}`;
}

/**
 * A saved rule checked against the metadata caches as saving checks it: null when it passes, else the alert's
 * detail. `turnedOff`: the last metadata of the workspace's LPTracker projects turned off — a problem that goes away
 * with it (the project itself, its stage, its field or option) is told as "project turned off".
 */
export function brokenRuleCheck(
  document: Checked,
  meta: RuleMetadata,
  turnedOff: LptrackerProjectMetadata[],
): { problems: FieldError[]; detail: string } | null {
  const problems = checkRuleAgainstMetadata(document, meta);
  if (problems.length === 0) return null;
  const enabled = new Set(meta.lptracker.map((project) => project.project.id));
  const off = turnedOff.filter((project) => !enabled.has(project.project.id));
  const remaining = new Set(
    (off.length === 0
      ? problems
      : checkRuleAgainstMetadata(document, { ...meta, lptracker: [...meta.lptracker, ...off] })
    ).map((problem) => problem.field),
  );
  const detail = brokenRuleDetail(problems, (problem) => !remaining.has(problem.field), systemsOf(document));
  return { problems, detail };
}

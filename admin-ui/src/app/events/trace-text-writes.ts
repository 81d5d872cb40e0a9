/**
 * The trace words of the events of the service's own writes (sources `api` and `import`: a record made or changed
 * through the client API or by an imported row, on which the rules of that source run). Used by trace-text.ts.
 */

type Rule = readonly [RegExp, (match: RegExpExecArray) => string];

const ORIGIN: Readonly<Record<string, string>> = {
  api: 'Запись через API',
  import: 'Строка импорта',
};

const EVENT: Readonly<Record<string, string>> = {
  'lead.created': 'сделка создана',
  'lead.updated': 'сделка изменена',
  'lead.stage_changed': 'сменился этап сделки',
  'contact.created': 'контакт создан',
  'contact.updated': 'контакт изменён',
  'call.finished': 'звонок завершён',
};

const WHOSE: Readonly<Record<string, string>> = {
  api: 'для записей через API',
  import: 'для импорта',
};

const GONE: Readonly<Record<string, string>> = {
  lead: 'сделки',
  contact: 'контакта',
  call: 'звонка',
};

function events(list: string): string {
  return list
    .split(',')
    .map((event) => EVENT[event.trim()] ?? 'изменение')
    .join(', ');
}

export const WRITE_STEP_RULES: readonly Rule[] = [
  [/^(api|import): ([a-z_.]+(?:, [a-z_.]+)*)$/, (m) => `${ORIGIN[m[1]]}: ${events(m[2])}`],
];

export const WRITE_REASON_RULES: readonly Rule[] = [
  [/^no enabled rule for the source (api|import)$/, (m) => `нет включённых правил ${WHOSE[m[1]]}`],
  [/^no rule of the source (api|import) matched$/, () => 'ни одно правило не подошло'],
  [/^the (lead|contact|call) is no longer here$/, (m) => `${GONE[m[1]]} уже нет в сохранённых данных`],
];

/** The backend's names and reasons of these events, for the trace-text spec. */
export const WRITE_TRACE_NAMES: readonly string[] = [
  'api: lead.created, contact.created',
  'import: lead.updated, lead.stage_changed',
  'api: contact.updated',
  'import: call.finished',
];

export const WRITE_TRACE_REASONS: readonly string[] = [
  'no enabled rule for the source api',
  'no rule of the source import matched',
  'the lead is no longer here',
];

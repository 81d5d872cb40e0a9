import type { JsonValue } from './events.models';
import { WRITE_REASON_RULES, WRITE_STEP_RULES } from './trace-text-writes';

/**
 * The processing trace in Russian. The backend names its steps, notes and reasons in English (they are
 * written for the logs too); the console shows them in simple Russian words. Every name the backend emits
 * (`context.step(` / `context.note(` / `skip(` in src/amocrm-inbound, src/inbox, src/lptracker-inbound,
 * src/sync) has a rule here; a name no rule knows is shown in a readable generic form, never as raw English.
 * In English mode the names are shown as they came.
 */

type Rule = readonly [RegExp, (match: RegExpExecArray) => string];

const ENTITY: Readonly<Record<string, string>> = {
  lead: 'сделка',
  leads: 'сделки',
  contact: 'контакт',
  contacts: 'контакты',
  company: 'компания',
  companies: 'компании',
};

const ACTION: Readonly<Record<string, string>> = {
  add: 'создание',
  update: 'изменение',
  status: 'смена этапа',
  delete: 'удаление',
  restore: 'восстановление',
  responsible: 'смена ответственного',
  note: 'примечание',
};

function entityWord(value: string | undefined): string {
  return (value !== undefined && ENTITY[value]) || 'объект';
}

function actionWord(value: string | undefined): string {
  return (value !== undefined && ACTION[value]) || 'изменение';
}

/** What a rule's request to amoCRM does, from its method and path (`POST /api/v4/leads/notes` → «примечание»). */
function amocrmRequestWord(method: string, path: string): string {
  if (path.includes('/notes')) return 'примечание к сделке';
  if (path.includes('/tasks')) return 'задача';
  if (path.includes('/tags')) return 'теги';
  if (path.includes('/leads')) return method === 'PATCH' ? 'изменение сделки' : 'сделка';
  if (path.includes('/contacts')) return method === 'PATCH' ? 'изменение контакта' : 'контакт';
  return 'запрос';
}

/** Field names the backend lists in its reasons (`the payload has no name, status_id`). */
const FIELD: Readonly<Record<string, string>> = {
  name: 'название',
  status_id: 'этап',
  pipeline_id: 'воронка',
  price: 'бюджет',
  responsible_user_id: 'ответственный',
  custom_fields_values: 'поля',
  contacts: 'контакты',
  updated_at: 'время изменения',
};

function fieldList(list: string): string {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => FIELD[item] ?? 'другие поля')
    .filter((item, index, all) => all.indexOf(item) === index)
    .join(', ');
}

/** Step and note names, in the order they are tried. */
const STEP_RULES: readonly Rule[] = [
  [/^parse$/, () => 'Разбор запроса'],
  [/^claim changes$/, () => 'Проверка на дубли'],
  [/^changes$/, () => 'Изменения в запросе'],
  [/^read mirror$/, () => 'Чтение сохранённых данных'],
  [/^echo check$/, () => 'Проверка: не наше ли это изменение'],
  [/^fetch ([a-z]+) (\d+)$/, (m) => `Запрос в amoCRM: ${entityWord(m[1])} ${m[2]}`],
  [/^fetch (\d+) ([a-z]+)s$/, (m) => `Запрос в amoCRM: ${entityWord(m[2] + 's')}, ${m[1]} шт.`],
  [
    /^LPTracker: lead (\d+) ([a-z_]+) \(project (\d+)\)$/,
    (m) => `LPTracker: сделка ${m[1]}, ${actionWord(m[2])} (проект ${m[3]})`,
  ],
  [/^LPTracker: lead deleted$/, () => 'LPTracker: сделка удалена'],
  [
    /^LPTracker: an older change than the one applied last$/,
    () => 'LPTracker: изменение старее уже учтённого',
  ],
  [/^LPTracker: our own write to the lead coming back$/, () => 'LPTracker: вернулось наше же изменение'],
  [/^LPTracker: changed fields$/, () => 'LPTracker: изменённые поля'],
  [/^LPTracker: PUT \/lead\/(\d+)\/funnel$/, (m) => `LPTracker: смена этапа сделки ${m[1]}`],
  [/^LPTracker: PUT \/lead\/(\d+)$/, (m) => `LPTracker: изменение сделки ${m[1]}`],
  [/^LPTracker: calls of lead (\d+) recorded$/, (m) => `LPTracker: звонки по сделке ${m[1]} сохранены`],
  [/^LPTracker: GET \/lead\/(\d+)\/calls$/, (m) => `LPTracker: запрос звонков по сделке ${m[1]}`],
  [/^LPTracker back-flow: find links$/, () => 'Обратная передача в LPTracker: поиск связей'],
  [/^LPTracker back-flow: mapping problems$/, () => 'Обратная передача в LPTracker: ошибки сопоставления'],
  [/^rules: (\d+) matched$/, (m) => `Правила: сработало ${m[1]}`],
  [/^rules: explained$/, () => 'Правила: проверка условий'],
  [/^rules: ran$/, () => 'Правила: выполнены'],
  [/^rules: amoCRM find or create the contact$/, () => 'Правило: поиск или создание контакта в amoCRM'],
  [/^rules: amoCRM read the contact (\d+)$/, (m) => `Правило: чтение контакта ${m[1]} из amoCRM`],
  [
    /^rules: mapping of project (\d+), version (\d+)$/,
    (m) => `Правило: сопоставление проекта ${m[1]}, версия ${m[2]}`,
  ],
  [/^rules: amoCRM ([A-Z]+) (\S+)/, (m) => `Правило: amoCRM — ${amocrmRequestWord(m[1], m[2])}`],
  [/^rules: LPTracker POST \/lead \(callback: true\)$/, () => 'Правило: обратный звонок через LPTracker'],
  [/^rules: LPTracker PUT \/lead\/(\d+)\/funnel$/, (m) => `Правило: смена этапа сделки ${m[1]} в LPTracker`],
  [/^rules: LPTracker PUT \/lead\/(\d+)$/, (m) => `Правило: изменение сделки ${m[1]} в LPTracker`],
  [
    /^rules: action (\d+) \([a-z_]+\) already done$/,
    (m) => `Правило: действие ${Number(m[1]) + 1} уже выполнено раньше, не повторяется`,
  ],
  [
    /^rules: [a-z_]+ sent before, its answer unknown: not sent again$/,
    () => 'Правило: запрос уже отправлялся, ответ неизвестен — повторно не отправлен',
  ],
  [/^amoCRM: load (lead|contact)s?\b/, (m) => `Запрос в amoCRM: ${entityWord(m[1])}`],
  [/^amoCRM: not connected$/, () => 'amoCRM не подключена'],
  [/^amoCRM: answered$/, () => 'amoCRM ответила'],
  [/^amoCRM: lead updated$/, () => 'amoCRM: сделка изменена'],
  [/^amoCRM: find the contact$/, () => 'amoCRM: поиск контакта'],
  [/^amoCRM: create the contact and lead/, () => 'amoCRM: создание контакта и сделки'],
  [/^amoCRM: create the lead/, () => 'amoCRM: создание сделки'],
  [/^amoCRM: create an incoming lead/, () => 'amoCRM: создание заявки в «Неразобранном»'],
  [/^amoCRM: set the responsible user of lead (\d+)$/, (m) => `amoCRM: смена ответственного сделки ${m[1]}`],
  [/^amoCRM: update contact ?(\d*)$/, (m) => `amoCRM: изменение контакта ${m[1]}`.trim()],
  [/^amoCRM: update lead ?(\d*)$/, (m) => `amoCRM: изменение сделки ${m[1]}`.trim()],
  [
    /^amoCRM: «Неразобранное» is not available/,
    () => 'amoCRM: «Неразобранное» пока недоступно, создана обычная сделка',
  ],
  [/^mapping: none$/, () => 'Сопоставление полей не настроено'],
  [/^mapping: version (\d+)$/, (m) => `Сопоставление полей: версия ${m[1]}`],
  [/^mapping: fields to write$/, () => 'Сопоставление: какие поля записать'],
  [/^mapping: problems for this lead$/, () => 'Сопоставление: ошибки для этой сделки'],
  [
    /^mapping: values amoCRM would refuse/,
    () => 'Сопоставление: значения, которые amoCRM не примет, пропущены',
  ],
  [
    /^mapping: fields an update of an existing deal does not write$/,
    () => 'Сопоставление: поля, которые не меняются в уже созданной сделке',
  ],
  [/^link: found$/, () => 'Связь сделок найдена'],
  [/^link: save$/, () => 'Сохранение связи сделок'],
  [
    /^link: this LPTracker lead was linked meanwhile$/,
    () => 'Связь этой сделки LPTracker уже создана другим обработчиком',
  ],
  [/^contact: no valid phone or e-mail/, () => 'Контакт: нет телефона или почты для поиска, создан новый'],
  [/^contact: none found, created with the lead$/, () => 'Контакт не найден, создан вместе со сделкой'],
  [/^contact: found in the mirror$/, () => 'Контакт найден в сохранённых данных'],
  [/^contact: found in amoCRM$/, () => 'Контакт найден в amoCRM'],
  ...WRITE_STEP_RULES,
];

/** Reasons of skipped changes and outcomes (the `detail` of a skip). */
const REASON_RULES: readonly Rule[] = [
  [
    /^([a-z]+) ([a-z]+) changes are not mirrored$/,
    (m) => `${capital(entityWord(m[1]))}: ${actionWord(m[2])} не сохраняется в сервисе`,
  ],
  [
    /^an older version \((\d+)\) than the mirror has \((\d+)\)$/,
    (m) => `версия старее сохранённой (${m[1]} < ${m[2]})`,
  ],
  [
    /^already up to date: version (\d+) was applied before$/,
    (m) => `уже учтено: версия ${m[1]} обработана раньше`,
  ],
  [/^our own write coming back/, () => 'вернулось наше же изменение: данные обновлены, дальше не передаётся'],
  [
    /^our own write: the mirror is refreshed/,
    () => 'наше же изменение: данные обновлены, дальше не передаётся',
  ],
  [/^amoCRM is not connected/, () => 'amoCRM не подключена: сделка записана здесь и никуда не передана'],
  [
    /^LPTracker project (\d+) has no mapping to amoCRM/,
    (m) => `у проекта LPTracker ${m[1]} нет сопоставления с amoCRM (проект включён?)`,
  ],
  [/^An older change than the one already applied$/, () => 'изменение старее уже учтённого'],
  [/^The change is our own write to LPTracker coming back$/, () => 'вернулось наше же изменение в LPTracker'],
  [/^No mapped field changed/, () => 'не изменилось ни одно сопоставленное поле'],
  [
    /^Deleted in LPTracker; the amoCRM lead (\d+) is kept/,
    (m) => `удалено в LPTracker; сделка amoCRM ${m[1]} остаётся (сервис ничего не удаляет в amoCRM)`,
  ],
  [
    /^Deleted in LPTracker; it was never synced/,
    () => 'удалено в LPTracker; в amoCRM эта сделка не передавалась',
  ],
  [
    /^the lead has no contact in the mirror/,
    () => 'у сделки нет контакта в сохранённых данных, и в запросе контакты не указаны',
  ],
  [
    /^the payload has no (.+): it may be partial$/,
    (m) => `в запросе нет: ${fieldList(m[1])}; данные могут быть неполными`,
  ],
  [/^The linked amoCRM lead has no mirror row/, () => 'связанной сделки amoCRM нет в сохранённых данных'],
  [/^the link changed meanwhile$/, () => 'связь изменилась за это время'],
  [/^the project has no amoCRM → LPTracker mapping$/, () => 'у проекта нет сопоставления amoCRM → LPTracker'],
  [/^nothing mapped differs from what LPTracker has$/, () => 'в LPTracker уже всё так же'],
  [/^LPTracker is not usable/, () => 'LPTracker сейчас недоступен'],
  [/^LPTracker refused/, () => 'LPTracker отказал'],
  ...WRITE_REASON_RULES,
];

/** Known prefixes of names no rule matches: «amoCRM: шаг обработки». */
const PREFIXES: Readonly<Record<string, string>> = {
  amocrm: 'amoCRM',
  lptracker: 'LPTracker',
  'lptracker back-flow': 'Обратная передача в LPTracker',
  mapping: 'Сопоставление',
  rules: 'Правила',
  link: 'Связь сделок',
  contact: 'Контакт',
};

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function applyRules(rules: readonly Rule[], text: string): string | null {
  for (const [pattern, render] of rules) {
    const match = pattern.exec(text.trim());
    if (match) {
      return render(match);
    }
  }
  return null;
}

/** A step or note name in Russian («parse» → «Разбор запроса»); unknown ones in a generic form. */
export function traceStepText(name: string, note: boolean): string {
  const known = applyRules(STEP_RULES, name);
  if (known !== null) {
    return known;
  }
  const generic = note ? 'заметка' : 'шаг обработки';
  const prefix = /^([^:]{1,40}):/.exec(name)?.[1]?.trim().toLowerCase();
  const said = prefix !== undefined ? PREFIXES[prefix] : undefined;
  return said ? `${said}: ${generic}` : capital(generic);
}

/** A reason of a skip or an outcome in Russian; an unknown one in a generic form. */
export function traceReasonText(reason: string): string {
  return applyRules(REASON_RULES, reason) ?? 'подробности есть в данных события';
}

/**
 * An idempotency key in words: amoCRM `lead:update:123:1700…` → «сделка 123, изменение»; LPTracker
 * `7:55:add:1700…` (project, lead, action) → «сделка LPTracker 55, создание»; anything else → «изменение».
 */
export function traceKeyText(key: string): string {
  const parts = key.split(':');
  if (/^[a-z]+$/.test(parts[0] ?? '') && /^\d+$/.test(parts[2] ?? '')) {
    return `${entityWord(parts[0])} ${parts[2]}, ${actionWord(parts[1])}`;
  }
  if (/^\d+$/.test(parts[0] ?? '') && /^\d+$/.test(parts[1] ?? '')) {
    return `сделка LPTracker ${parts[1]}, ${actionWord(parts[2])}`;
  }
  return 'изменение';
}

/** Keys of a step's detail in Russian, values that are known reasons too; unknown keys stay (they are codes). */
const DETAIL_KEYS: Readonly<Record<string, string>> = {
  key: 'ключ',
  entity: 'объект',
  action: 'действие',
  id: 'ID',
  apply: 'что сделать',
  skipped: 'пропущено',
  reason: 'причина',
  reasons: 'причины',
  ids: 'ID',
  more: 'ещё',
  owned: 'новых изменений',
  duplicates: 'дублей',
  fetched: 'запрошено',
  name: 'название',
  stageId: 'этап',
  phones: 'телефонов',
  emails: 'почт',
  updateFields: 'изменённые поля',
  projectId: 'проект',
  settingsVersion: 'версия настроек',
  linkId: 'связь',
  amocrmLeadId: 'сделка amoCRM',
  amocrmContactId: 'контакт amoCRM',
  pipelineId: 'воронка',
  statusId: 'этап',
};

export function traceDetailInRussian(detail: JsonValue): JsonValue {
  if (Array.isArray(detail)) {
    return detail.map((item) => traceDetailInRussian(item));
  }
  if (detail !== null && typeof detail === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(detail)) {
      out[Object.hasOwn(DETAIL_KEYS, key) ? DETAIL_KEYS[key] : key] = traceDetailInRussian(value);
    }
    return out;
  }
  if (typeof detail === 'string') {
    return applyRules(REASON_RULES, detail) ?? applyRules(STEP_RULES, detail) ?? detail;
  }
  return detail;
}

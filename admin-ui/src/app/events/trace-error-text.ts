/**
 * A Russian explanation of an error text in the processing trace (the event's last error, a run's error, a step's
 * error). The backend keeps the text as amoCRM, LPTracker or the service wrote it (`AmocrmApiError: amoCRM answered
 * 404: …`, `LptrackerUnavailableError: LPTracker could not be reached …`): it is shown too, as a detail, and this
 * says in simple words what happened and what to do. Every text gets an explanation; an unknown one a general one.
 */

type Rule = readonly [RegExp, (match: RegExpExecArray) => string];

const AMOCRM_STATUS: Readonly<Record<string, string>> = {
  '400': 'amoCRM счёл запрос неверным (код 400): какое-то значение не подходит.',
  '401': 'amoCRM не принял вход (код 401): администратору нужно заново подключить amoCRM.',
  '404': 'amoCRM не нашёл запись (код 404): возможно, её удалили в amoCRM.',
  '405': 'amoCRM не умеет выполнять такой запрос (код 405).',
};

/** Tried in this order: the first that matches explains the text. */
const RULES: readonly Rule[] = [
  [
    /LptrackerCallbackNotRetried|places a phone call/,
    () =>
      'Запрос на звонок клиенту в LPTracker не повторяется, чтобы клиенту не позвонили дважды. Проверьте в LPTracker, был ли звонок.',
  ],
  [
    /AmocrmNeedsReauth|amoCRM refused the stored credentials/,
    () => 'amoCRM больше не принимает сохранённый вход: администратору нужно заново подключить amoCRM.',
  ],
  [
    /AmocrmPaused|amoCRM blocked the account|amoCRM refused access|amoCRM subscription has lapsed/,
    () =>
      'Обращения к amoCRM остановлены: аккаунт заблокирован, нет доступа или не оплачена подписка. Когда причина устранена, администратор снова включает подключение.',
  ],
  [
    /AmocrmNotConnected|amoCRM is not connected/,
    () => 'amoCRM не подключён: администратор подключает его на странице подключения amoCRM.',
  ],
  [
    /AmocrmUnavailable|amoCRM could not be reached|amoCRM is unavailable/,
    () => 'amoCRM не ответил или был перегружен. Сервис повторит попытку сам.',
  ],
  [
    /AmocrmValidation|amoCRM refused the data|amoCRM cannot take this lead/,
    () => 'amoCRM не принял данные: какое-то значение не подходит к полю. Проверьте сопоставление полей.',
  ],
  [
    /amoCRM answered (\d{3})/,
    (m) =>
      AMOCRM_STATUS[m[1] ?? ''] ??
      (m[1]?.startsWith('5')
        ? `В amoCRM произошёл сбой (код ${m[1]}).`
        : `amoCRM отказался выполнить запрос (код ${m[1]}).`),
  ],
  [
    /LptrackerNeedsReauth|LPTracker refused the stored login/,
    () =>
      'LPTracker больше не принимает сохранённые логин и пароль: администратору нужно заново подключить LPTracker.',
  ],
  [
    /LptrackerNotConnected|LPTracker is not connected/,
    () => 'LPTracker не подключён: администратор подключает его на странице подключения LPTracker.',
  ],
  [
    /LptrackerUnavailable|LPTracker could not be reached|LPTracker is unavailable|LPTracker kept refusing|LPTracker refused the token/,
    () => 'LPTracker не ответил или был перегружен. Сервис повторит попытку сам.',
  ],
  [
    /LPTracker answered (\d+) to/,
    (m) => `LPTracker отказался выполнить запрос (код ${m[1]}): проверьте проект и поля в LPTracker.`,
  ],
  [/LPTracker answered/, () => 'LPTracker отказался выполнить запрос: проверьте проект и поля в LPTracker.'],
  [
    /has no mirror row/,
    () => 'Связанная сделка или контакт amoCRM не найдены в данных сервиса, поэтому изменение не перенесено.',
  ],
  [
    /The worker stopped (\d+) times/,
    (m) =>
      `Обработка этого события прерывалась ${m[1]} раз(а), поэтому сервис остановил её, чтобы не повторять без конца.`,
  ],
  [
    /processing lease was lost/,
    () => 'Событие взял другой обработчик: эта попытка прервана, событие обработает он.',
  ],
  [/stored body cannot be read/, () => 'Сохранённый запрос не удалось прочитать: повтор не поможет.'],
  [
    /HttpNetworkError|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|timed out|connection failed/,
    () => 'Не удалось связаться с сервером: нет ответа. Сервис повторит попытку сам.',
  ],
  [/RuleActionRefused/, () => 'Правило не смогло выполнить действие.'],
  [/InboxPermanentError/, () => 'Повтор не поможет: данные не подходят, событие остановлено.'],
];

/** What an error text of the trace means, in Russian. */
export function traceErrorText(error: string): string {
  for (const [pattern, text] of RULES) {
    const match = pattern.exec(error);
    if (match) {
      return text(match);
    }
  }
  return 'Внутренняя ошибка сервиса при обработке. Текст ошибки ниже пригодится поддержке.';
}

import { traceErrorText } from './trace-error-text';

/** The general explanation, given to a text no rule knows. */
const GENERAL = traceErrorText('something nobody wrote');

/** Error texts as the backend stores them (errorText(): `<class name>: <message>`), one per kind it throws. */
const BACKEND_ERRORS: readonly [string, string][] = [
  [
    'AmocrmNeedsReauthError: amoCRM refused the stored credentials: an admin must reconnect amoCRM.',
    'заново подключить amoCRM',
  ],
  [
    'AmocrmPausedError: The amoCRM subscription has lapsed (402): calls are stopped until it is renewed',
    'остановлены',
  ],
  ['AmocrmNotConnectedError: amoCRM is not connected for this workspace', 'не подключён'],
  ['AmocrmUnavailableError: amoCRM could not be reached (timed out)', 'повторит попытку сам'],
  [
    'AmocrmValidationError: amoCRM refused the data: custom_fields_values.0 InvalidType',
    'сопоставление полей',
  ],
  ['AmocrmApiError: amoCRM answered 404: Contact not found', 'код 404'],
  ['InboxPermanentError: amoCRM answered 400: Bad Request', 'код 400'],
  ['amoCRM answered 500', 'сбой (код 500)'],
  [
    'LptrackerNeedsReauthError: LPTracker refused the stored login and password',
    'заново подключить LPTracker',
  ],
  ['LptrackerNotConnectedError: LPTracker is not connected for this workspace', 'не подключён'],
  ['LptrackerUnavailableError: LPTracker kept refusing for rate (error 503): try again shortly.', 'повторит'],
  ['LptrackerApiError: LPTracker answered 404 to /project/5/customs: Project not found', 'код 404'],
  [
    'LptrackerCallbackNotRetriedError: A request that places a phone call (callback: true) is never repeated',
    'дважды',
  ],
  ['InboxPermanentError: The linked amoCRM lead has no mirror row to update', 'не найдены'],
  ['InboxPermanentError: amoCRM cannot take this lead: Стадия не найдена', 'не принял данные'],
  ['InboxPermanentError: The worker stopped 3 times while processing this event.', 'прерывалась 3 раз'],
  ['the processing lease was lost', 'другой обработчик'],
  ['InboxPermanentError: the stored body cannot be read: Unexpected token', 'не удалось прочитать'],
  ['HttpNetworkError: connect ECONNREFUSED 127.0.0.1:1', 'связаться'],
  ['InboxPermanentError: the payload has no id', 'Повтор не поможет'],
];

describe('traceErrorText', () => {
  it.each(BACKEND_ERRORS)('explains %s in Russian', (error, expected) => {
    const explained = traceErrorText(error);
    expect(explained).toContain(expected);
    expect(explained).not.toBe(GENERAL);
  });

  it('has no English words but the product names', () => {
    for (const [error] of BACKEND_ERRORS) {
      const words = traceErrorText(error).match(/[A-Za-z][A-Za-z-]*/g) ?? [];
      expect(words.filter((word) => !['amoCRM', 'LPTracker'].includes(word))).toEqual([]);
    }
    expect(GENERAL).toContain('ошибка');
  });
});

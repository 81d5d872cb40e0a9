import {
  DEFAULT_ALERT_SETTINGS,
  conditionEnabled,
  effectiveSettings,
  telegramText,
} from './alert-conditions';

describe('alert conditions', () => {
  it('takes stored settings over the defaults, ignoring values of a wrong type', () => {
    expect(effectiveSettings(null)).toEqual(DEFAULT_ALERT_SETTINGS);
    const stored = { inboxLag: false, inboxLagMinutes: '30', deadLetterCount: 5 } as unknown as Parameters<
      typeof effectiveSettings
    >[0];
    expect(effectiveSettings(stored)).toEqual({
      ...DEFAULT_ALERT_SETTINGS,
      inboxLag: false,
      deadLetterCount: 5,
    });
  });

  it('keeps stored working days only when they are a list', () => {
    const listed = effectiveSettings({ workingDays: [6, 7] });
    expect(listed.workingDays).toEqual([6, 7]);
    const text = { workingDays: '6,7', timeZone: 3 } as unknown as Parameters<typeof effectiveSettings>[0];
    expect(effectiveSettings(text)).toMatchObject({
      workingDays: [1, 2, 3, 4, 5],
      timeZone: 'Europe/Moscow',
    });
    const object = { workingDays: { 0: 6 } } as unknown as Parameters<typeof effectiveSettings>[0];
    expect(effectiveSettings(object).workingDays).toEqual([1, 2, 3, 4, 5]);
  });

  it('maps each condition to its switch', () => {
    const settings = { ...DEFAULT_ALERT_SETTINGS, amocrmWebhook: false };
    expect(conditionEnabled(settings, 'amocrm_webhook')).toBe(false);
    expect(conditionEnabled(settings, 'amocrm_connection')).toBe(true);
    expect(conditionEnabled(DEFAULT_ALERT_SETTINGS, 'import_failed')).toBe(true);
    // the silence condition is optional: off until a workspace switches it on
    expect(conditionEnabled(DEFAULT_ALERT_SETTINGS, 'no_webhook')).toBe(false);
    expect(conditionEnabled({ ...DEFAULT_ALERT_SETTINGS, noWebhook: true }, 'no_webhook')).toBe(true);
  });

  it('writes the raise and the resolution in Russian with the console link', () => {
    const alert = {
      title: 'amoCRM: нужно заново войти',
      detail: 'Сделки не передаются.',
      link: '/connections/amocrm',
    };
    expect(telegramText('raised', alert, 'Отдел продаж', 'https://sync.example.ru')).toBe(
      '⚠️ amoCRM: нужно заново войти\nСделки не передаются.\nПространство: Отдел продаж\nОткрыть: https://sync.example.ru/connections/amocrm',
    );
    expect(telegramText('resolved', alert, 'Отдел продаж', 'https://sync.example.ru')).toContain(
      '✅ Снова в порядке: amoCRM: нужно заново войти',
    );
  });
});

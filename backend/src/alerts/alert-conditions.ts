/** The conditions an alert can be raised for, their per-workspace settings and their defaults. */
export const ALERT_CONDITIONS = [
  'amocrm_connection',
  'lptracker_connection',
  'amocrm_webhook',
  'dead_letter',
  'inbox_lag',
  'mapping_broken',
  'import_failed',
  'no_webhook',
] as const;
export type AlertConditionId = (typeof ALERT_CONDITIONS)[number];

export interface AlertConditionSettings {
  amocrmConnection: boolean;
  lptrackerConnection: boolean;
  amocrmWebhook: boolean;
  deadLetter: boolean;
  /** Raised when at least this many events are in the dead letter. */
  deadLetterCount: number;
  inboxLag: boolean;
  /** Raised when the oldest unprocessed event is older than this. */
  inboxLagMinutes: number;
  mappingBroken: boolean;
  /** An import ended `failed` (one alert per import, cleared when a later import ends `done` or it is deleted). */
  importFailed: boolean;
  /** No webhook (amoCRM or LPTracker) for `noWebhookHours` of working time: off unless switched on. */
  noWebhook: boolean;
  noWebhookHours: number;
  /** Working days (1 = Monday … 7 = Sunday) and hours [from, to) in `timeZone`. */
  workingDays: number[];
  workingHoursFrom: number;
  workingHoursTo: number;
  timeZone: string;
}

export const DEFAULT_ALERT_SETTINGS: AlertConditionSettings = {
  amocrmConnection: true,
  lptrackerConnection: true,
  amocrmWebhook: true,
  deadLetter: true,
  deadLetterCount: 1,
  inboxLag: true,
  inboxLagMinutes: 15,
  mappingBroken: true,
  importFailed: true,
  noWebhook: false,
  noWebhookHours: 4,
  workingDays: [1, 2, 3, 4, 5],
  workingHoursFrom: 9,
  workingHoursTo: 18,
  timeZone: 'Europe/Moscow',
};

/** The stored settings over the defaults (a stored value of a wrong type is ignored). */
export function effectiveSettings(stored: Partial<AlertConditionSettings> | null): AlertConditionSettings {
  const result: AlertConditionSettings = { ...DEFAULT_ALERT_SETTINGS };
  for (const key of Object.keys(DEFAULT_ALERT_SETTINGS) as (keyof AlertConditionSettings)[]) {
    const value: unknown = stored?.[key];
    if (
      typeof value === typeof DEFAULT_ALERT_SETTINGS[key] &&
      Array.isArray(value) === Array.isArray(result[key])
    )
      Object.assign(result, { [key]: value });
  }
  return result;
}

/** Whether a condition is switched on. */
export function conditionEnabled(settings: AlertConditionSettings, condition: AlertConditionId): boolean {
  switch (condition) {
    case 'amocrm_connection':
      return settings.amocrmConnection;
    case 'lptracker_connection':
      return settings.lptrackerConnection;
    case 'amocrm_webhook':
      return settings.amocrmWebhook;
    case 'dead_letter':
      return settings.deadLetter;
    case 'inbox_lag':
      return settings.inboxLag;
    case 'mapping_broken':
      return settings.mappingBroken;
    case 'import_failed':
      return settings.importFailed;
    case 'no_webhook':
      return settings.noWebhook;
  }
}

/** A condition that holds now for one subject, with the words shown in the console and sent to Telegram. */
export interface Holding {
  condition: AlertConditionId;
  subject: string;
  title: string;
  detail: string;
  link: string;
}

/**
 * The outcome of checking one condition: what holds now. `complete: false` when the check could not tell (a
 * CRM did not answer): then nothing of that condition is resolved, only new raises are made.
 */
export interface ConditionCheck {
  condition: AlertConditionId;
  complete: boolean;
  holding: Holding[];
}

export const activeKeyOf = (condition: AlertConditionId, subject: string): string =>
  `${condition}:${subject}`;

/** The Telegram text of a raise or a resolution, in Russian, with a link to the console page. */
export function telegramText(
  kind: 'raised' | 'resolved',
  alert: { title: string; detail: string; link: string },
  workspaceName: string,
  publicUrl: string,
): string {
  const head = kind === 'raised' ? `⚠️ ${alert.title}` : `✅ Снова в порядке: ${alert.title}`;
  const body = kind === 'raised' ? alert.detail : 'Проблема больше не повторяется.';
  return `${head}\n${body}\nПространство: ${workspaceName}\nОткрыть: ${publicUrl}${alert.link}`;
}

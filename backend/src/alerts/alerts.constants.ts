export const ALERTS_QUEUE = 'alerts';
/** The periodic check of every workspace. */
export const EVALUATE_ALERTS_JOB = 'evaluate';
/** A Telegram message of an alert that failed to go out, tried again with backoff. */
export const DELIVER_TELEGRAM_JOB = 'telegram';

/** Tries of a Telegram message after the first one, 30 s apart at first, doubling (about 15 min in all). */
export const TELEGRAM_RETRIES = 5;
export const TELEGRAM_RETRY_DELAY_MS = 30_000;

export interface DeliverTelegramJob {
  workspaceId: string;
  alertId: string;
  kind: 'raised' | 'resolved';
}

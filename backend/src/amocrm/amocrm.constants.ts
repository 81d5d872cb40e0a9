/** Queue and job names of the amoCRM module. */
export const AMOCRM_QUEUE = 'amocrm';
/** Daily: refreshes OAuth pairs idle for about a day, so the 3-month refresh token never lapses. */
export const REFRESH_IDLE_TOKENS_JOB = 'refresh-idle-tokens';
/** Hourly: reloads the metadata of every connected account. */
export const REFRESH_METADATA_JOB = 'refresh-metadata';

export const REFRESH_IDLE_TOKENS_EVERY_MS = 24 * 3_600_000;
export const REFRESH_METADATA_EVERY_MS = 3_600_000;

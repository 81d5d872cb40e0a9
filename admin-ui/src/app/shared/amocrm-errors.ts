import { HttpErrorResponse } from '@angular/common/http';

import { describeHttpError, readProblem, readRetryAfterSeconds } from '../core/api/problem-details';
import type { TranslationKey, TranslationParams } from '../core/i18n/i18n.types';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/** Problem types the backend answers when amoCRM cannot be used right now (all with 503). */
export const AMOCRM_PROBLEM = {
  notConnected: 'urn:problem-type:amocrm-not-connected',
  needsReauth: 'urn:problem-type:amocrm-needs-reauth',
  paused: 'urn:problem-type:amocrm-paused',
  unavailable: 'urn:problem-type:amocrm-unavailable',
} as const;

/**
 * What to tell the user when a call failed because amoCRM cannot be reached or used (503):
 * "not connected" and "reconnect" in their own words, anything else as
 * «amoCRM сейчас недоступна, попробуйте через N с» (N from `Retry-After`). `null` for other errors.
 */
export function amocrmUnavailableMessage(error: unknown, t: Translate): string | null {
  if (!(error instanceof HttpErrorResponse) || error.status !== 503) {
    return null;
  }
  const type = readProblem(error)?.type;
  if (type === AMOCRM_PROBLEM.notConnected) {
    return t('amocrm.errors.notConnected');
  }
  if (type === AMOCRM_PROBLEM.needsReauth) {
    return t('amocrm.errors.needsReauth');
  }
  const seconds = readRetryAfterSeconds(error);
  return seconds === null
    ? t('amocrm.errors.unavailableSoon')
    : t('amocrm.errors.unavailable', { seconds: Math.max(1, seconds) });
}

/** The message for a failed action that may have involved amoCRM: the amoCRM wording for a 503, else the general one. */
export function actionErrorMessage(error: unknown, t: Translate): string {
  return amocrmUnavailableMessage(error, t) ?? describeHttpError(error, t).message;
}

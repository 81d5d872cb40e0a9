import { HttpErrorResponse } from '@angular/common/http';

import { describeHttpError, readProblem, readRetryAfterSeconds } from '../core/api/problem-details';
import type { TranslationKey, TranslationParams } from '../core/i18n/i18n.types';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/** Problem types the backend answers when LPTracker cannot be used right now. */
export const LPTRACKER_PROBLEM = {
  notConnected: 'urn:problem-type:lptracker-not-connected',
  needsReauth: 'urn:problem-type:lptracker-needs-reauth',
  unavailable: 'urn:problem-type:lptracker-unavailable',
  refused: 'urn:problem-type:lptracker-error',
} as const;

/**
 * What to tell the user when a call failed because of LPTracker: "not connected", "reconnect",
 * «LPTracker сейчас недоступен, попробуйте через N с» and «LPTracker отклонил запрос»; else the
 * general wording of `describeHttpError`.
 */
export function lptrackerActionErrorMessage(error: unknown, t: Translate): string {
  if (error instanceof HttpErrorResponse) {
    const type = readProblem(error)?.type;
    if (type === LPTRACKER_PROBLEM.notConnected) {
      return t('lptracker.errors.notConnected');
    }
    if (type === LPTRACKER_PROBLEM.needsReauth) {
      return t('lptracker.errors.needsReauth');
    }
    if (type === LPTRACKER_PROBLEM.refused) {
      return t('lptracker.errors.refused');
    }
    if (error.status === 503 || type === LPTRACKER_PROBLEM.unavailable) {
      const seconds = readRetryAfterSeconds(error);
      return seconds === null
        ? t('lptracker.errors.unavailableSoon')
        : t('lptracker.errors.unavailable', { seconds: Math.max(1, seconds) });
    }
  }
  return describeHttpError(error, t).message;
}

/**
 * The connection's `lastError` (English, written by the server) in plain words: the kind of
 * problem it names, or `null` when it is none the console knows (then the text is shown as is).
 */
export function lptrackerLastErrorKey(lastError: string): TranslationKey | null {
  if (/refused the stored login|wrong login|password/i.test(lastError)) {
    return 'lptracker.lastErrors.credentials';
  }
  if (/rate|too many/i.test(lastError)) {
    return 'lptracker.lastErrors.rate';
  }
  if (/could not be reached|unavailable|timed out|connection failed|did not answer/i.test(lastError)) {
    return 'lptracker.lastErrors.unavailable';
  }
  if (lastError.startsWith('LPTracker answered ')) {
    return 'lptracker.lastErrors.refused';
  }
  return null;
}

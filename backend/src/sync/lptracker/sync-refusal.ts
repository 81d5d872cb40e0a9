import { AmocrmApiError } from '../../amocrm/amocrm.problems';
import { ProblemException } from '../../http/problem';
import { LptrackerSyncRefused } from './lptracker-sync.types';

/** amoCRM answers that say "not now" (auth, payment, conflicts, limits) rather than "never": retried. */
const RETRIED_STATUSES = new Set([401, 402, 403, 408, 409, 423, 429]);

/**
 * Why retrying cannot help, when the error is a refusal of the data: the sync's own refusal, a 4xx problem of the
 * engine (a field amoCRM's metadata refuses, amoCRM's validation answer), or amoCRM answering 4xx other than
 * auth, payment, conflict and limits. Null: a failure worth retrying (unreachable, 5xx, locks busy, plain errors).
 */
export function refusalReason(error: unknown): string | null {
  if (error instanceof LptrackerSyncRefused) return error.message;
  if (error instanceof AmocrmApiError) {
    const status = error.amocrmStatus;
    return status >= 400 && status < 500 && !RETRIED_STATUSES.has(status) ? describe(error) : null;
  }
  if (error instanceof ProblemException) {
    const status = error.getStatus();
    return status >= 400 && status < 500 && !RETRIED_STATUSES.has(status) ? describe(error) : null;
  }
  return null;
}

function describe(error: ProblemException): string {
  const detail = error.problem.detail ?? error.message;
  const fields = (error.problem.errors ?? []).map((field) => `${field.field}: ${field.message}`);
  return [detail, ...fields].filter(Boolean).join('; ');
}

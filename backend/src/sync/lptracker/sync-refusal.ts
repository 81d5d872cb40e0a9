import { AmocrmApiError } from '../../amocrm/amocrm.problems';
import { ProblemException } from '../../http/problem';
import { LptrackerApiError } from '../../lptracker/lptracker.problems';
import { LptrackerSyncRefused } from './lptracker-sync.types';

/** Answers that say "not now" (auth, payment, conflicts, limits) rather than "never": retried. */
const RETRIED_STATUSES = new Set([401, 402, 403, 408, 409, 423, 429]);

/**
 * Why retrying cannot help, when the error is a refusal of the data: the sync's own refusal, a 4xx problem of the
 * engine (a field amoCRM's metadata refuses, amoCRM's validation answer), amoCRM answering 4xx other than
 * auth, payment, conflict and limits, or LPTracker refusing the request with such a 4xx error code (bad input 400,
 * unknown lead or route 404…). Null: a failure worth retrying (unreachable, 5xx, locks busy, plain errors,
 * LPTracker's token/limit/unavailable errors, an LPTracker refusal without a code or with a 5xx code, and a
 * `callback: true` request that was not repeated — its event is retried as a whole).
 */
export function refusalReason(error: unknown): string | null {
  if (error instanceof LptrackerSyncRefused) return error.message;
  if (error instanceof AmocrmApiError) return refusedStatus(error.amocrmStatus) ? describe(error) : null;
  if (error instanceof LptrackerApiError) return refusedStatus(error.lptrackerCode) ? describe(error) : null;
  if (error instanceof ProblemException) return refusedStatus(error.getStatus()) ? describe(error) : null;
  return null;
}

function refusedStatus(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500 && !RETRIED_STATUSES.has(status);
}

function describe(error: ProblemException): string {
  const detail = error.problem.detail ?? error.message;
  const fields = (error.problem.errors ?? []).map((field) => `${field.field}: ${field.message}`);
  return [detail, ...fields].filter(Boolean).join('; ');
}

import { readProblem } from '../core/api/problem-details';
import type { TranslationKey } from '../core/i18n/i18n.types';

export const EMAIL_TAKEN_PROBLEM = 'urn:problem-type:email-taken';
export const SELF_LOCKOUT_PROBLEM = 'urn:problem-type:self-lockout';

/** The backend's (English) self-lockout details, and how the console words them. */
const SELF_LOCKOUT_REASONS: readonly (readonly [RegExp, TranslationKey])[] = [
  [/own role/i, 'users.errors.ownRole'],
  [/disable yourself/i, 'users.errors.ownDisable'],
  [/delete yourself/i, 'users.errors.ownDelete'],
  [/super-?admin/i, 'users.errors.superAdmin'],
  [/last active admin/i, 'users.errors.lastAdmin'],
];

export function problemType(error: unknown): string | null {
  return readProblem(error)?.type ?? null;
}

/**
 * For a 409 `self-lockout` (own role, disabling or deleting yourself, the last admin): the
 * message key that explains it; `null` for any other error.
 */
export function selfLockoutMessage(error: unknown): TranslationKey | null {
  const problem = readProblem(error);
  if (problem?.type !== SELF_LOCKOUT_PROBLEM) {
    return null;
  }
  const detail = problem.detail ?? '';
  return SELF_LOCKOUT_REASONS.find(([pattern]) => pattern.test(detail))?.[1] ?? 'users.errors.selfLockout';
}

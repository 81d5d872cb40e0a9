import { HttpErrorResponse } from '@angular/common/http';

import type { TranslationKey, TranslationParams } from '../i18n/i18n.types';

/** One invalid field in a problem response. */
export interface ProblemFieldError {
  field: string;
  message: string;
}

/** The backend's error body (`application/problem+json`, RFC 9457). */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: ProblemFieldError[];
}

/** An HTTP error made readable for the user. */
export interface DescribedError {
  /** HTTP status; 0 when the server could not be reached at all. */
  status: number;
  /** What to tell the user, in the current language. */
  message: string;
  /** The backend's own `detail`, if any (its language is the backend's). */
  detail: string | null;
  /** Field name → backend message, for form fields (see `applyServerErrors`). */
  fieldErrors: Record<string, string>;
  /** From `Retry-After` on 429/503, in seconds. */
  retryAfterSeconds: number | null;
}

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

export function isProblemDetails(body: unknown): body is ProblemDetails {
  return (
    typeof body === 'object' &&
    body !== null &&
    ('title' in body || 'detail' in body || 'status' in body || 'type' in body)
  );
}

/** The problem body of an HTTP error, or `null` when there is none. */
export function readProblem(error: unknown): ProblemDetails | null {
  if (!(error instanceof HttpErrorResponse)) {
    return null;
  }
  let body: unknown = error.error;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return null;
    }
  }
  return isProblemDetails(body) ? body : null;
}

/** The workspace was turned off by the platform administrator (403 `workspace-disabled`). */
export function isWorkspaceDisabled(problem: ProblemDetails | null): boolean {
  return problem?.type?.endsWith('workspace-disabled') === true;
}

/** `Retry-After` (seconds or an HTTP date) in whole seconds, or `null`. */
export function readRetryAfterSeconds(error: unknown, now: number = Date.now()): number | null {
  if (!(error instanceof HttpErrorResponse)) {
    return null;
  }
  const header = error.headers.get('Retry-After')?.trim();
  if (!header) {
    return null;
  }
  if (/^\d+$/.test(header)) {
    return Number(header);
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Whole minutes to wait, at least 1. */
export function minutesToWait(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/**
 * Turns any error of an API call into a message for the user (in the current language of `t`)
 * and field errors for a form. Call it inside a `computed()` to follow language switches.
 *
 * ```ts
 * const described = describeHttpError(err, (k, p) => this.i18n.t(k, p));
 * ```
 */
export function describeHttpError(error: unknown, t: Translate): DescribedError {
  const status = error instanceof HttpErrorResponse ? error.status : -1;
  const problem = readProblem(error);
  const retryAfterSeconds = readRetryAfterSeconds(error);
  const fieldErrors: Record<string, string> = {};
  for (const fieldError of problem?.errors ?? []) {
    fieldErrors[fieldError.field] ??= fieldError.message;
  }
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;

  return {
    status: Math.max(status, 0),
    message: isWorkspaceDisabled(problem)
      ? t('errors.workspaceDisabled')
      : messageFor(status, hasFieldErrors, retryAfterSeconds, t),
    detail: problem?.detail ?? null,
    fieldErrors,
    retryAfterSeconds,
  };
}

function messageFor(
  status: number,
  hasFieldErrors: boolean,
  retryAfterSeconds: number | null,
  t: Translate,
): string {
  switch (true) {
    case status === 0:
      return t('errors.network');
    case hasFieldErrors && (status === 400 || status === 422):
      return t('errors.validation');
    case status === 400 || status === 422:
      return t('errors.badRequest');
    case status === 401:
      return t('errors.unauthorized');
    case status === 403:
      return t('errors.forbidden');
    case status === 404:
      return t('errors.notFound');
    case status === 409:
      return t('errors.conflict');
    case status === 429:
      return retryAfterSeconds === null
        ? t('errors.tooManyRequestsSoon')
        : t('errors.tooManyRequests', { minutes: minutesToWait(retryAfterSeconds) });
    case status === 502 || status === 503 || status === 504:
      return t('errors.unavailable');
    case status >= 500:
      return t('errors.server');
    default:
      return t('errors.unknown');
  }
}

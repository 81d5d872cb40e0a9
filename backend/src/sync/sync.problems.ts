import { HttpStatus } from '@nestjs/common';
import type { AmocrmValidationIssue } from '../amocrm/amocrm.problems';
import { ProblemException, type FieldError } from '../http/problem';

/** Another request for the same contact or lead held the lock for too long: the caller may simply retry. */
export class LockBusyProblem extends ProblemException {
  constructor(retryAfterSeconds: number) {
    super(HttpStatus.SERVICE_UNAVAILABLE, {
      type: 'busy',
      title: 'Another request for the same record is in progress',
      detail: 'Another request for the same contact or lead is still being processed; try again shortly.',
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

/** The lock expired while the request was working (a stall longer than its TTL): nothing more is written. */
export class LockLostProblem extends ProblemException {
  constructor() {
    super(HttpStatus.SERVICE_UNAVAILABLE, {
      type: 'busy',
      title: 'The request took too long',
      detail:
        'The request stalled and lost its lock before writing to amoCRM; nothing was written. Try again.',
      headers: { 'Retry-After': '1' },
    });
  }
}

/**
 * amoCRM's 400 `validation-errors`, answered as our 422 with each amoCRM `path` turned back into the name of the
 * field the client sent (`custom_fields_values.0.values.0.value` → `customFields[0].values[0].value`).
 */
export class AmocrmRefusedProblem extends ProblemException {
  constructor(
    readonly issues: readonly AmocrmValidationIssue[],
    errors: FieldError[],
    extensions: Record<string, unknown> = {},
  ) {
    super(HttpStatus.UNPROCESSABLE_ENTITY, {
      type: 'amocrm-validation-failed',
      title: 'amoCRM refused the data',
      detail: `amoCRM refused the data: ${errors.map((error) => `${error.field}: ${error.message}`).join('; ') || 'validation failed'}`,
      errors,
      extensions: { ...extensions, amocrmErrors: issues },
    });
  }
}

/**
 * The same problem (status, headers, errors) with more said: e.g. that the contact was saved although the lead
 * failed. Works for any ProblemException, so a 503 keeps its Retry-After.
 */
export function withProblemContext(
  error: ProblemException,
  detailPrefix: string,
  extensions: Record<string, unknown>,
): ProblemException {
  const { type, title, status, detail, errors, ...rest } = error.problem;
  const slug = type.startsWith('urn:problem-type:') ? type.slice('urn:problem-type:'.length) : undefined;
  return new ProblemException(status, {
    type: slug,
    title,
    detail: `${detailPrefix} ${detail}`,
    errors,
    headers: error.headers,
    extensions: { ...rest, ...extensions },
  });
}

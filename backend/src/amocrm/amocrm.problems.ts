import { HttpStatus } from '@nestjs/common';
import { connectionErrors, RemoteApiError } from '../http/remote-api-error';

/** Why a connection is paused; an admin resumes it once the cause is fixed. */
export type AmocrmPauseReason = 'blocked' | 'forbidden' | 'payment_required';

/** One entry of amoCRM's `validation-errors`: `path` points into what was sent, `requestId` names the entity. */
export interface AmocrmValidationIssue {
  requestId: string;
  path: string;
  code: string;
  detail: string;
}

/** Base of every error the amoCRM client throws (a problem exception: see RemoteApiError). */
export abstract class AmocrmError extends RemoteApiError {}

const amocrm = connectionErrors(AmocrmError, {
  slug: 'amocrm',
  label: 'amoCRM',
  credentials: 'the stored credentials',
});

/** The workspace has no usable amoCRM connection (never connected, disconnected, or OAuth not finished). */
export class AmocrmNotConnectedError extends amocrm.NotConnected {}

/** The tokens were refused for good (revoked refresh token, expired long-lived token): an admin must reconnect. */
export class AmocrmNeedsReauthError extends amocrm.NeedsReauth {}

/** amoCRM answered 402 or 403: every call to the account is stopped until an admin resumes the connection. */
export class AmocrmPausedError extends AmocrmError {
  readonly retryable = false;

  constructor(
    readonly reason: AmocrmPauseReason,
    detail = pauseReasonText(reason),
  ) {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      {
        type: 'amocrm-paused',
        title: 'amoCRM connection is paused',
        detail,
        extensions: { pausedReason: reason },
      },
      300,
    );
  }
}

/** amoCRM did not answer usefully within the retry budget (429, 5xx, network, limiter queue too long). */
export class AmocrmUnavailableError extends amocrm.Unavailable {}

/**
 * amoCRM's 400 `validation-errors`: never retried. `issues` keep the request ids and paths exactly as amoCRM
 * gave them; `completed` holds what earlier batches of the same call had already written.
 */
export class AmocrmValidationError extends AmocrmError {
  readonly retryable = false;

  constructor(
    readonly issues: AmocrmValidationIssue[],
    readonly completed: { requestId: string; id: number }[] = [],
  ) {
    super(HttpStatus.UNPROCESSABLE_ENTITY, {
      type: 'amocrm-validation-failed',
      title: 'amoCRM refused the data',
      detail: `amoCRM refused the data: ${issues.map((issue) => `${issue.path || '(entity)'} ${issue.code}`).join(', ') || 'validation failed'}`,
      errors: issues.map((issue) => ({
        field: issue.path ? `[${issue.requestId}].${issue.path}` : `[${issue.requestId}]`,
        message: issue.detail || issue.code,
        code: issue.code,
      })),
      extensions: { amocrmErrors: issues },
    });
  }
}

/** Any other answer amoCRM should not have given (404 of a path, 400 without details, 405…). */
export class AmocrmApiError extends AmocrmError {
  readonly retryable = false;

  constructor(
    readonly amocrmStatus: number,
    detail: string,
    readonly amocrmRequestId: string | null = null,
  ) {
    super(HttpStatus.BAD_GATEWAY, {
      type: 'amocrm-error',
      title: 'amoCRM refused the request',
      detail: `amoCRM answered ${amocrmStatus}: ${detail}`,
      extensions: { amocrmStatus, ...(amocrmRequestId ? { amocrmRequestId } : {}) },
    });
  }
}

export function pauseReasonText(reason: AmocrmPauseReason): string {
  switch (reason) {
    case 'blocked':
      return 'amoCRM blocked the account for too many requests (403): calls are stopped until an admin resumes the connection after amoCRM support lifts the block.';
    case 'forbidden':
      return 'amoCRM refused access (403): calls are stopped until an admin checks the integration user’s rights and resumes the connection.';
    case 'payment_required':
      return 'The amoCRM subscription has lapsed (402): calls are stopped until it is renewed and an admin resumes the connection.';
  }
}

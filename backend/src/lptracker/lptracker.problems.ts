import { HttpStatus } from '@nestjs/common';
import { ValidationProblem } from '../http/problem';
import { connectionErrors, RemoteApiError } from '../http/remote-api-error';

/** Base of every error the LPTracker client throws (a problem exception: see RemoteApiError). */
export abstract class LptrackerError extends RemoteApiError {}

const lptracker = connectionErrors(LptrackerError, {
  slug: 'lptracker',
  label: 'LPTracker',
  credentials: 'the stored login and password',
});

/** The workspace has no LPTracker connection (never connected, or disconnected). */
export class LptrackerNotConnectedError extends lptracker.NotConnected {}

/** LPTracker refused the stored login and password (changed or blocked): an admin must connect again. */
export class LptrackerNeedsReauthError extends lptracker.NeedsReauth {}

/** LPTracker did not answer usefully within the retry budget (error 503, 5xx, network, limiter queue too long). */
export class LptrackerUnavailableError extends lptracker.Unavailable {}

/**
 * LPTracker answered `{status:"error"}` (whatever the HTTP status) with a code other than 401 and 503: the
 * request itself was refused (unknown project, missing field…). Never retried. `lptrackerCode` is its code.
 */
export class LptrackerApiError extends LptrackerError {
  readonly retryable = false;

  constructor(
    readonly lptrackerCode: number | null,
    readonly lptrackerMessage: string,
    readonly path: string,
  ) {
    super(HttpStatus.BAD_GATEWAY, {
      type: 'lptracker-error',
      title: 'LPTracker refused the request',
      detail: `LPTracker answered ${lptrackerCode ?? 'an error'} to ${path}: ${lptrackerMessage}`,
      extensions: { lptrackerCode },
    });
  }
}

/**
 * A call that asked LPTracker to place a phone call (`callback: true`) failed or got no usable answer: it is never
 * repeated (a repeat may ring the customer twice), whatever went wrong. `sent` tells whether it may have arrived.
 */
export class LptrackerCallbackNotRetriedError extends LptrackerError {
  readonly retryable = false;

  constructor(
    readonly failure: LptrackerError,
    readonly sent: boolean,
  ) {
    super(HttpStatus.BAD_GATEWAY, {
      type: 'lptracker-callback-not-retried',
      title: 'LPTracker call request not repeated',
      detail: `A request that places a phone call (callback: true) is never repeated: ${failure.message}`,
      extensions: { mayHaveArrived: sent },
    });
  }
}

/** 400 naming `projectId`: the login does not see this project. */
export function unknownProject(
  login: string,
  projectId: number,
  visible: readonly { id: number; name: string }[],
): ValidationProblem {
  const seen =
    visible.length === 0 ? 'none' : visible.map((project) => `${project.id} «${project.name}»`).join(', ');
  return new ValidationProblem([
    {
      field: 'projectId',
      message: `The LPTracker login ${login} sees no project ${projectId} (it sees: ${seen.slice(0, 500)}).`,
      code: 'lptrackerUnknownProject',
    },
  ]);
}

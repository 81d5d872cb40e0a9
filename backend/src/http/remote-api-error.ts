import { HttpStatus } from '@nestjs/common';
import { ProblemException, type ProblemInit } from './problem';

/**
 * Base of the errors a client of a remote API (amoCRM, LPTracker) throws. They are problem exceptions, so a
 * controller that lets one through answers the right problem+json (503 with Retry-After, 502, 422…) without any
 * mapping code; workers look at `retryable` and `retryAfterSeconds` instead.
 */
export abstract class RemoteApiError extends ProblemException {
  /** Whether the same call may succeed later without anyone doing anything. */
  abstract readonly retryable: boolean;

  constructor(
    status: number,
    init: ProblemInit,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(status, {
      ...init,
      headers:
        retryAfterSeconds === null
          ? init.headers
          : { ...init.headers, 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
    this.name = new.target.name;
    this.message = init.detail;
  }
}

/** How a remote API's connection errors name it: `amocrm` in problem types, `amoCRM` in titles and details. */
export interface RemoteApiNames {
  slug: string;
  label: string;
  /** What it refused when stored credentials stop working: `the stored credentials`, `the stored login and password`. */
  credentials: string;
}

/** A remote API's own error base (`AmocrmError`, `LptrackerError`), so that `instanceof` it keeps working. */
type RemoteApiErrorBase = abstract new (
  status: number,
  init: ProblemInit,
  retryAfterSeconds?: number | null,
) => RemoteApiError;

/**
 * The three errors every remote API's client throws when it cannot be used now, the same for each: not connected
 * and needs reconnecting (503, an admin must act: Retry-After 300 s, not retryable), unavailable (503, retryable,
 * Retry-After as asked, default 30 s, and whether a write may have arrived anyway). A client exports named
 * subclasses of them (`class AmocrmUnavailableError extends amocrm.Unavailable {}`).
 */
export function connectionErrors(Base: RemoteApiErrorBase, names: RemoteApiNames) {
  abstract class NotConnected extends Base {
    readonly retryable = false;

    constructor(
      detail = `${names.label} is not connected for this workspace: an admin connects it under Connections.`,
    ) {
      super(
        HttpStatus.SERVICE_UNAVAILABLE,
        { type: `${names.slug}-not-connected`, title: `${names.label} is not connected`, detail },
        300,
      );
    }
  }

  abstract class NeedsReauth extends Base {
    readonly retryable = false;

    constructor(
      detail = `${names.label} refused ${names.credentials}: an admin must reconnect ${names.label}.`,
    ) {
      super(
        HttpStatus.SERVICE_UNAVAILABLE,
        { type: `${names.slug}-needs-reauth`, title: `${names.label} needs to be reconnected`, detail },
        300,
      );
    }
  }

  abstract class Unavailable extends Base {
    readonly retryable = true;

    constructor(
      detail: string,
      retryAfterSeconds = 30,
      /** True when a write may have reached the remote side although no answer came back. */
      readonly outcomeUnknown = false,
    ) {
      super(
        HttpStatus.SERVICE_UNAVAILABLE,
        { type: `${names.slug}-unavailable`, title: `${names.label} is unavailable`, detail },
        retryAfterSeconds,
      );
    }
  }

  return { NotConnected, NeedsReauth, Unavailable };
}

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

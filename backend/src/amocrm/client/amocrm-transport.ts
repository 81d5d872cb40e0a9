import { AmocrmUnavailableError } from '../amocrm.problems';
import { nextRetryDelay, parseRetryAfter, type BackoffPolicy, DEFAULT_BACKOFF } from './amocrm-backoff';
import { headerValue, HttpNetworkError, sendHttp, type HttpAnswer, type HttpCall } from './amocrm-http';
import type { AmocrmLane, AmocrmRateLimiter } from './amocrm-rate-limiter';

/**
 * Sends one logical call to one amoCRM account: waits for a limiter slot before every attempt, retries 429,
 * 5xx and network failures with backoff (bounded by attempts and a time budget per lane, honouring
 * Retry-After), and hands every other answer (2xx, 401, 402, 403, 400, 404…) back to the caller.
 */

export interface LanePolicy {
  maxAttempts: number;
  /** Total time for the call, queueing in the limiter included. */
  budgetMs: number;
  /** Timeout of one HTTP attempt. */
  timeoutMs: number;
}

export const LANE_POLICIES: Readonly<Record<AmocrmLane, LanePolicy>> = {
  interactive: { maxAttempts: 4, budgetMs: 20_000, timeoutMs: 15_000 },
  sync: { maxAttempts: 6, budgetMs: 120_000, timeoutMs: 30_000 },
  import: { maxAttempts: 6, budgetMs: 300_000, timeoutMs: 30_000 },
};

export interface AmocrmLog {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface TransportCall {
  accountKey: string;
  lane: AmocrmLane;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** Give up by this time (ms since the epoch) even if the lane's budget would allow longer. */
  deadline?: number;
  /**
   * Runs after the limiter granted a slot, right before each attempt: answers the bearer token to send (null
   * for none) and throws to stop the call (e.g. the account was paused meanwhile).
   */
  beforeSend(): Promise<string | null>;
}

export interface TransportAnswer {
  status: number;
  text: string;
  contentType: string;
  /** amoCRM's X-Request-Id of the final attempt. */
  amocrmRequestId: string | null;
  retryAfterMs: number | undefined;
  attempts: number;
}

export interface TransportOptions {
  backoff?: BackoffPolicy;
  lanePolicies?: Readonly<Record<AmocrmLane, LanePolicy>>;
  /** Observes every attempt (for metrics and the benchmark). */
  onAttempt?: (event: { lane: AmocrmLane; status: number; waitedMs: number }) => void;
}

const SAFE_TO_REPEAT = new Set(['GET', 'PATCH', 'DELETE']);

export class AmocrmTransport {
  private readonly backoff: BackoffPolicy;
  private readonly lanePolicies: Readonly<Record<AmocrmLane, LanePolicy>>;

  constructor(
    private readonly limiter: AmocrmRateLimiter,
    private readonly log: AmocrmLog,
    private readonly options: TransportOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.lanePolicies = options.lanePolicies ?? LANE_POLICIES;
  }

  async send(call: TransportCall): Promise<TransportAnswer> {
    const policy = this.lanePolicies[call.lane];
    const started = Date.now();
    const deadline = Math.min(started + policy.budgetMs, call.deadline ?? Number.POSITIVE_INFINITY);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const where = describeTarget(call);
    let queuedAt: number | undefined;
    let lastProblem = 'no attempt was made';
    let lastRetryAfterMs: number | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const grant = await this.limiter.acquire(call.accountKey, call.lane, { deadline, queuedAt });
      queuedAt = grant.queuedAt;
      const token = await call.beforeSend();
      const httpCall: HttpCall = {
        method: call.method,
        url: call.url,
        headers: {
          Accept: 'application/hal+json, application/json;q=0.9, */*;q=0.1',
          'User-Agent': 'amocrm-lptracker-integration/1.0',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body,
        timeoutMs: Math.max(1000, Math.min(policy.timeoutMs, deadline - Date.now())),
        onDispatch: () => {
          this.limiter.markSent(call.accountKey, grant.slot).catch((error: unknown) => {
            this.log.warn(
              { ...where, error: error instanceof Error ? error.message : String(error) },
              'amoCRM limiter: could not stamp a send',
            );
          });
        },
      };
      const sentAt = Date.now();
      let answer: HttpAnswer | undefined;
      let retryable = false;
      let outcomeUnknown = false;
      try {
        answer = await sendHttp(httpCall);
      } catch (error) {
        if (!(error instanceof HttpNetworkError)) throw error;
        lastProblem = `${error.kind === 'timeout' ? 'timed out' : 'connection failed'} (${error.message})`;
        retryable = !error.sent || SAFE_TO_REPEAT.has(call.method);
        outcomeUnknown = error.sent && !SAFE_TO_REPEAT.has(call.method);
        this.log.warn(
          { ...where, attempt, error: error.message, kind: error.kind },
          'amoCRM call failed without an answer',
        );
        this.options.onAttempt?.({ lane: call.lane, status: 0, waitedMs: grant.waitedMs });
      }
      if (answer) {
        const amocrmRequestId = headerValue(answer.headers, 'x-request-id') ?? null;
        const retryAfterMs = parseRetryAfter(headerValue(answer.headers, 'retry-after'));
        const fields = {
          ...where,
          status: answer.status,
          ms: Date.now() - sentAt,
          waitedMs: grant.waitedMs,
          amocrmRequestId,
          attempt,
        };
        this.options.onAttempt?.({ lane: call.lane, status: answer.status, waitedMs: grant.waitedMs });
        if (answer.status === 429 || answer.status >= 500) {
          this.log.warn(fields, `amoCRM answered ${answer.status}`);
          if (answer.status === 429) await this.limiter.penalize(call.accountKey, retryAfterMs ?? 1000);
          lastProblem = `amoCRM answered ${answer.status}`;
          lastRetryAfterMs = retryAfterMs;
          retryable = true;
        } else {
          if (answer.status >= 400) this.log.warn(fields, `amoCRM answered ${answer.status}`);
          else this.log.debug(fields, 'amoCRM call');
          return {
            status: answer.status,
            text: answer.text,
            contentType: headerValue(answer.headers, 'content-type') ?? '',
            amocrmRequestId,
            retryAfterMs,
            attempts: attempt,
          };
        }
      }
      const wait = retryable
        ? nextRetryDelay({
            retry: attempt,
            maxAttempts: policy.maxAttempts,
            now: Date.now(),
            deadline,
            retryAfterMs: lastRetryAfterMs,
            policy: this.backoff,
          })
        : undefined;
      if (wait === undefined) {
        const retryAfterSeconds = Math.max(5, Math.ceil((lastRetryAfterMs ?? 30_000) / 1000));
        throw new AmocrmUnavailableError(
          outcomeUnknown
            ? `amoCRM did not answer a write (${lastProblem}); it may or may not have been applied.`
            : `amoCRM could not be reached after ${attempt} attempt(s): ${lastProblem}.`,
          retryAfterSeconds,
          outcomeUnknown,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Method and path for logs; the query string (search terms, phones) is left out. */
function describeTarget(call: TransportCall): { method: string; path: string; lane: AmocrmLane } {
  let path = call.url;
  try {
    const url = new URL(call.url);
    path = url.pathname;
  } catch {
    // keep as given
  }
  return { method: call.method, path, lane: call.lane };
}

import { AmocrmUnavailableError } from '../amocrm.problems';
import {
  nextRetryDelay,
  parseRetryAfter,
  type BackoffPolicy,
  DEFAULT_BACKOFF,
} from '../../http-client/retry-backoff';
import {
  headerValue,
  HttpNetworkError,
  sendHttp,
  type HttpAnswer,
  type HttpCall,
} from '../../http-client/http-exchange';
import type { AmocrmLane, AmocrmRateLimiter, LimiterGrant } from './amocrm-rate-limiter';

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

/** What one logical call carries from attempt to attempt. */
interface CallProgress {
  readonly policy: LanePolicy;
  /** Give up by this time: the lane's budget or the caller's deadline, whichever comes first. */
  readonly deadline: number;
  readonly body: string | undefined;
  readonly where: { method: string; path: string; lane: AmocrmLane };
  /** When the call first queued in the limiter: retries keep their place. */
  queuedAt?: number;
  lastProblem: string;
  lastRetryAfterMs?: number;
}

/** How one attempt ended: an answer for the caller, or a failure that may be retried. */
type AttemptOutcome =
  | { kind: 'answer'; answer: TransportAnswer }
  | { kind: 'failed'; retryable: boolean; outcomeUnknown: boolean };

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
    const progress = this.start(call);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(call, progress, attempt);
      if (outcome.kind === 'answer') return outcome.answer;
      const wait = outcome.retryable ? this.retryDelay(progress, attempt) : undefined;
      if (wait === undefined) throw giveUp(progress, attempt, outcome.outcomeUnknown);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private start(call: TransportCall): CallProgress {
    const policy = this.lanePolicies[call.lane];
    return {
      policy,
      deadline: Math.min(Date.now() + policy.budgetMs, call.deadline ?? Number.POSITIVE_INFINITY),
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      where: describeTarget(call),
      lastProblem: 'no attempt was made',
    };
  }

  /** Waits for a limiter slot, asks the caller for the token, sends once and judges what came back. */
  private async attempt(
    call: TransportCall,
    progress: CallProgress,
    attempt: number,
  ): Promise<AttemptOutcome> {
    const grant = await this.limiter.acquire(call.accountKey, call.lane, {
      deadline: progress.deadline,
      queuedAt: progress.queuedAt,
    });
    progress.queuedAt = grant.queuedAt;
    const token = await call.beforeSend();
    const sentAt = Date.now();
    let answer: HttpAnswer;
    try {
      answer = await sendHttp(this.httpCall(call, progress, grant, token));
    } catch (error) {
      if (!(error instanceof HttpNetworkError)) throw error;
      return this.noAnswer(call, progress, attempt, grant, error);
    }
    return this.judge(call, progress, attempt, grant, answer, sentAt);
  }

  private httpCall(
    call: TransportCall,
    progress: CallProgress,
    grant: LimiterGrant,
    token: string | null,
  ): HttpCall {
    return {
      method: call.method,
      url: call.url,
      headers: {
        Accept: 'application/hal+json, application/json;q=0.9, */*;q=0.1',
        'User-Agent': 'amocrm-lptracker-integration/1.0',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(progress.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: progress.body,
      timeoutMs: Math.max(1000, Math.min(progress.policy.timeoutMs, progress.deadline - Date.now())),
      onDispatch: () => {
        this.limiter.markSent(call.accountKey, grant.slot).catch((error: unknown) => {
          this.log.warn(
            { ...progress.where, error: error instanceof Error ? error.message : String(error) },
            'amoCRM limiter: could not stamp a send',
          );
        });
      },
    };
  }

  /** No answer: retried when nothing was sent, or when repeating the method is harmless. */
  private noAnswer(
    call: TransportCall,
    progress: CallProgress,
    attempt: number,
    grant: LimiterGrant,
    error: HttpNetworkError,
  ): AttemptOutcome {
    progress.lastProblem = `${error.kind === 'timeout' ? 'timed out' : 'connection failed'} (${error.message})`;
    this.log.warn(
      { ...progress.where, attempt, error: error.message, kind: error.kind },
      'amoCRM call failed without an answer',
    );
    this.options.onAttempt?.({ lane: call.lane, status: 0, waitedMs: grant.waitedMs });
    return {
      kind: 'failed',
      retryable: !error.sent || SAFE_TO_REPEAT.has(call.method),
      outcomeUnknown: error.sent && !SAFE_TO_REPEAT.has(call.method),
    };
  }

  /** 429 and 5xx are retried (a 429 slows every process down for a while); any other status is the answer. */
  private async judge(
    call: TransportCall,
    progress: CallProgress,
    attempt: number,
    grant: LimiterGrant,
    answer: HttpAnswer,
    sentAt: number,
  ): Promise<AttemptOutcome> {
    const amocrmRequestId = headerValue(answer.headers, 'x-request-id') ?? null;
    const retryAfterMs = parseRetryAfter(headerValue(answer.headers, 'retry-after'));
    const fields = {
      ...progress.where,
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
      progress.lastProblem = `amoCRM answered ${answer.status}`;
      progress.lastRetryAfterMs = retryAfterMs;
      return { kind: 'failed', retryable: true, outcomeUnknown: false };
    }
    if (answer.status >= 400) this.log.warn(fields, `amoCRM answered ${answer.status}`);
    else this.log.debug(fields, 'amoCRM call');
    return {
      kind: 'answer',
      answer: {
        status: answer.status,
        text: answer.text,
        contentType: headerValue(answer.headers, 'content-type') ?? '',
        amocrmRequestId,
        retryAfterMs,
        attempts: attempt,
      },
    };
  }

  /** The pause before the next attempt, or undefined when the attempts or the time budget are used up. */
  private retryDelay(progress: CallProgress, attempt: number): number | undefined {
    return nextRetryDelay({
      retry: attempt,
      maxAttempts: progress.policy.maxAttempts,
      now: Date.now(),
      deadline: progress.deadline,
      retryAfterMs: progress.lastRetryAfterMs,
      policy: this.backoff,
    });
  }
}

/** The error a caller gets when the call is given up; a write whose outcome is unknown says so. */
function giveUp(progress: CallProgress, attempt: number, outcomeUnknown: boolean): AmocrmUnavailableError {
  const retryAfterSeconds = Math.max(5, Math.ceil((progress.lastRetryAfterMs ?? 30_000) / 1000));
  return new AmocrmUnavailableError(
    outcomeUnknown
      ? `amoCRM did not answer a write (${progress.lastProblem}); it may or may not have been applied.`
      : `amoCRM could not be reached after ${attempt} attempt(s): ${progress.lastProblem}.`,
    retryAfterSeconds,
    outcomeUnknown,
  );
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

import { DEFAULT_BACKOFF, nextRetryDelay, type BackoffPolicy } from '../../http-client/retry-backoff';
import { HttpNetworkError, sendHttp, type HttpAnswer, type HttpCall } from '../../http-client/http-exchange';
import type { LimiterLane, SendLimiter } from '../../redis/rate-limiter';
import {
  LptrackerApiError,
  LptrackerCallbackNotRetriedError,
  LptrackerUnavailableError,
} from '../lptracker.problems';
import { placesPhoneCall, readLptrackerAnswer } from './lptracker-envelope';

/**
 * Sends one logical call to LPTracker for one login: waits for a slot of the login's shared limiter (3 rps across
 * every process) before every attempt, reads the answer by its envelope (errors come with HTTP 200), and retries
 * rate refusals (error 503, JSON or HTTP), 5xx and network failures with backoff, bounded by attempts and a time
 * budget per lane. A request carrying `callback: true` (it places a real phone call) gets exactly one attempt.
 * Answers `ok` with the result, or `unauthorized` (the caller logs in again once); throws everything else.
 */

export interface LanePolicy {
  maxAttempts: number;
  /** Total time for the call, queueing in the limiter included. */
  budgetMs: number;
  /** Timeout of one HTTP attempt. */
  timeoutMs: number;
}

export const LPTRACKER_LANE_POLICIES: Readonly<Record<LimiterLane, LanePolicy>> = {
  interactive: { maxAttempts: 4, budgetMs: 20_000, timeoutMs: 15_000 },
  sync: { maxAttempts: 6, budgetMs: 120_000, timeoutMs: 30_000 },
  import: { maxAttempts: 6, budgetMs: 300_000, timeoutMs: 30_000 },
};

/** A rate refusal holds every process back this long (LPTracker sends no Retry-After). */
const RATE_COOLDOWN_MS = 1000;

export interface LptrackerLog {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface LptrackerCall {
  /** Names the login in the limiter. */
  accountKey: string;
  lane: LimiterLane;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  /** Runs after the limiter granted a slot, before each attempt: the token to send (null: none, for /login). */
  token(): Promise<string | null> | string | null;
}

export type LptrackerAnswer = { kind: 'ok'; result: unknown } | { kind: 'unauthorized'; message: string };

export interface LptrackerTransportOptions {
  backoff?: BackoffPolicy;
  lanePolicies?: Readonly<Record<LimiterLane, LanePolicy>>;
  /** The HTTP exchange (a fake in unit tests). */
  send?: (call: HttpCall) => Promise<HttpAnswer>;
}

const SAFE_TO_REPEAT = new Set(['GET', 'PUT', 'DELETE']);

interface AttemptFailure {
  error: LptrackerUnavailableError;
  /** Whether the same request may be sent again. */
  repeatable: boolean;
  /** Whether this request may have reached LPTracker. */
  sent: boolean;
}

export class LptrackerTransport {
  private readonly backoff: BackoffPolicy;
  private readonly lanePolicies: Readonly<Record<LimiterLane, LanePolicy>>;
  private readonly send: (call: HttpCall) => Promise<HttpAnswer>;

  constructor(
    private readonly limiter: SendLimiter,
    private readonly log: LptrackerLog,
    options: LptrackerTransportOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.lanePolicies = options.lanePolicies ?? LPTRACKER_LANE_POLICIES;
    this.send = options.send ?? sendHttp;
  }

  async call(call: LptrackerCall): Promise<LptrackerAnswer> {
    const policy = this.lanePolicies[call.lane];
    const deadline = Date.now() + policy.budgetMs;
    const oneShot = placesPhoneCall(call.body);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const path = pathOf(call.url);
    let queuedAt: number | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const grant = await this.limiter.acquire(call.accountKey, call.lane, { deadline, queuedAt });
      queuedAt = grant.queuedAt;
      const outcome = await this.attempt(call, body, path, attempt, grant.slot, deadline, policy);
      if (!('error' in outcome)) return outcome;
      if (oneShot) throw new LptrackerCallbackNotRetriedError(outcome.error, outcome.sent);
      const wait = outcome.repeatable
        ? nextRetryDelay({
            retry: attempt,
            maxAttempts: policy.maxAttempts,
            now: Date.now(),
            deadline,
            policy: this.backoff,
          })
        : undefined;
      if (wait === undefined) throw outcome.error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** One HTTP exchange: the answer to hand back, or why it failed and whether it may be repeated. */
  private async attempt(
    call: LptrackerCall,
    body: string | undefined,
    path: string,
    attempt: number,
    slot: string,
    deadline: number,
    policy: LanePolicy,
  ): Promise<LptrackerAnswer | AttemptFailure> {
    const token = await call.token();
    const where = { method: call.method, path, lane: call.lane, attempt };
    const started = Date.now();
    let answer: HttpAnswer;
    try {
      answer = await this.send({
        method: call.method,
        url: call.url,
        headers: {
          Accept: 'application/json',
          'User-Agent': 'amocrm-lptracker-integration/1.0',
          ...(token === null ? {} : { token }),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body,
        timeoutMs: Math.max(1000, Math.min(policy.timeoutMs, deadline - Date.now())),
        onDispatch: () => {
          this.limiter.markSent(call.accountKey, slot).catch((error: unknown) => {
            this.log.warn({ ...where, error: describe(error) }, 'LPTracker limiter: could not stamp a send');
          });
        },
      });
    } catch (error) {
      if (!(error instanceof HttpNetworkError)) throw error;
      this.log.warn(
        { ...where, error: error.message, kind: error.kind },
        'LPTracker call failed without an answer',
      );
      const repeatable = !error.sent || SAFE_TO_REPEAT.has(call.method);
      return {
        error: new LptrackerUnavailableError(
          repeatable
            ? `LPTracker could not be reached (${error.kind === 'timeout' ? 'timed out' : 'connection failed'}: ${error.message}).`
            : `LPTracker did not answer a write (${error.message}); it may or may not have been applied.`,
          30,
          !repeatable,
        ),
        repeatable,
        sent: error.sent,
      };
    }
    const outcome = readLptrackerAnswer(answer.status, answer.text);
    const fields = { ...where, status: answer.status, outcome: outcome.kind, ms: Date.now() - started };
    switch (outcome.kind) {
      case 'ok':
        this.log.debug(fields, 'LPTracker call');
        return outcome;
      case 'unauthorized':
        this.log.debug(fields, 'LPTracker refused the token');
        return outcome;
      case 'rate_limited':
        this.log.warn(fields, 'LPTracker refused for rate (503)');
        await this.limiter.penalize(call.accountKey, RATE_COOLDOWN_MS);
        return {
          error: new LptrackerUnavailableError(
            'LPTracker kept refusing for rate (error 503): try again shortly.',
            5,
          ),
          repeatable: true,
          sent: false,
        };
      case 'unavailable':
        this.log.warn(fields, 'LPTracker is unavailable');
        return {
          error: new LptrackerUnavailableError(`LPTracker is unavailable (${outcome.message}).`),
          repeatable: SAFE_TO_REPEAT.has(call.method),
          sent: true,
        };
      case 'refused':
        this.log.warn({ ...fields, code: outcome.code }, 'LPTracker refused the request');
        throw new LptrackerApiError(outcome.code, outcome.message, path);
    }
  }
}

/** The path for logs and errors; the query string (phones, e-mails) is left out. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

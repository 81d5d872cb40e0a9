/** Retry timing for calls to remote APIs: exponential backoff with jitter, bounded, honouring Retry-After. */

export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Largest delay between two attempts. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 300, maxMs: 10_000 };

/**
 * Delay before retry number `retry` (1 for the first retry): `base * 2^(retry-1)` capped at `max`, with
 * "equal jitter" (half fixed, half random) so that processes retrying together spread out.
 */
export function backoffDelay(
  retry: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After as milliseconds: seconds (`"3"`) or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before the next attempt, or undefined when the call must give up: out of attempts, or the wait
 * would end after the deadline. Retry-After wins over a shorter backoff.
 */
export function nextRetryDelay(input: {
  retry: number;
  maxAttempts: number;
  now: number;
  deadline: number;
  retryAfterMs?: number;
  policy?: BackoffPolicy;
  random?: () => number;
}): number | undefined {
  if (input.retry >= input.maxAttempts) return undefined;
  const wait = Math.max(backoffDelay(input.retry, input.policy, input.random), input.retryAfterMs ?? 0);
  return input.now + wait > input.deadline ? undefined : wait;
}

/** What to do after a failed run of an event. */
export type RetryDecision = { action: 'retry'; delayMs: number } | { action: 'fail' };

/**
 * Backoff from WEBHOOK_RETRY_DELAYS (default 10 s, 1 min, 5 min, 30 min, 2 h): after the n-th failure of a
 * round the event waits the n-th delay; after the last one it is failed (dead letter). A permanent error
 * fails at once.
 */
export function retryDecision(
  failures: number,
  delaysMs: readonly number[],
  permanent = false,
): RetryDecision {
  if (permanent || failures < 1 || failures > delaysMs.length) return { action: 'fail' };
  return { action: 'retry', delayMs: delaysMs[failures - 1] };
}

/** Runs an event gets at most in one round: the first plus one per delay. */
export function maxRunsPerRound(delaysMs: readonly number[]): number {
  return delaysMs.length + 1;
}

import type Redis from 'ioredis';
import {
  LIMITER_LANES,
  RedisRateLimiter,
  laneScore,
  sustainedRps,
  type LimiterLane,
  type RateLimiterOptions,
} from '../../redis/rate-limiter';
import { AmocrmUnavailableError } from '../amocrm.problems';

/**
 * One request limiter per amoCRM account (AMOCRM_RPS, default 7), shared by every process through Redis. The algorithm
 * (sliding window, lanes, pacing, penalty after a 429) is the service's one limiter in `src/redis/rate-limiter.ts`;
 * what is amoCRM's here is the key prefix and the error a caller gets when its turn would come too late.
 */

export const AMOCRM_LANES = LIMITER_LANES;
/** `interactive`: calls a client app waits for; `sync`: background processing; `import`: bulk file imports. */
export type AmocrmLane = LimiterLane;

export { laneScore, sustainedRps };
export type { AcquireOptions, LimiterGrant, RateLimiterOptions } from '../../redis/rate-limiter';

export class AmocrmRateLimiter extends RedisRateLimiter {
  constructor(redis: Redis, options: RateLimiterOptions) {
    super(redis, options, {
      keyPrefix: 'amocrm:limit',
      queueTooLong: (retryAfterSeconds) =>
        new AmocrmUnavailableError(
          'Too many amoCRM calls are queued for this account: try again shortly.',
          retryAfterSeconds,
        ),
    });
  }
}

import type Redis from 'ioredis';
import { RedisRateLimiter, type RateLimiterOptions } from '../../redis/rate-limiter';
import { LptrackerUnavailableError } from '../lptracker.problems';

/**
 * One request limiter per LPTracker login (LPTRACKER_RPS, default 3), shared by every process through Redis: the
 * service's one limiter (`src/redis/rate-limiter.ts`) under LPTracker's key prefix and with its error for a call
 * whose turn would come too late.
 */
export class LptrackerRateLimiter extends RedisRateLimiter {
  constructor(redis: Redis, options: RateLimiterOptions) {
    super(redis, options, {
      keyPrefix: 'lptracker:limit',
      queueTooLong: (retryAfterSeconds) =>
        new LptrackerUnavailableError(
          'Too many LPTracker calls are queued for this login: try again shortly.',
          retryAfterSeconds,
        ),
    });
  }
}

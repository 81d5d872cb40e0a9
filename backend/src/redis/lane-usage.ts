import type Redis from 'ioredis';
import { LIMITER_LANES, type LimiterLane } from './rate-limiter';

/**
 * Requests granted per lane and second, per account, for the dashboard: one hash per minute
 * (`<prefix>:{<account>}:usage:<minute>`, fields `<lane>:<second of the minute>`), kept a little over an hour.
 */
const KEEP_SECONDS = 65 * 60;

export function laneUsageKey(keyPrefix: string, accountKey: string, minute: number): string {
  return `${keyPrefix}:{${accountKey}}:usage:${minute}`;
}

/** Counts one granted request; never fails the caller (a lost count only thins the chart). */
export async function recordLaneUse(
  redis: Redis,
  keyPrefix: string,
  accountKey: string,
  lane: LimiterLane,
  at = Date.now(),
): Promise<void> {
  const second = Math.floor(at / 1000);
  const key = laneUsageKey(keyPrefix, accountKey, Math.floor(second / 60));
  try {
    await redis
      .multi()
      .hincrby(key, `${lane}:${second % 60}`, 1)
      .expire(key, KEEP_SECONDS)
      .exec();
  } catch {
    // the dashboard shows fewer requests; the request itself goes on
  }
}

export interface LaneMinute {
  minute: string;
  /** Requests granted in the minute, by lane. */
  count: Record<LimiterLane, number>;
  /** Average requests per second over the minute, by lane. */
  average: Record<LimiterLane, number>;
  /** The busiest second of the minute, all lanes together. */
  peak: number;
}

/** The last 60 minutes, oldest first, including the current one. */
export async function readLaneUsage(
  redis: Redis,
  keyPrefix: string,
  accountKey: string,
  now = Date.now(),
): Promise<LaneMinute[]> {
  const current = Math.floor(now / 60_000);
  const minutes = Array.from({ length: 60 }, (_, index) => current - (59 - index));
  const pipeline = redis.pipeline();
  for (const minute of minutes) pipeline.hgetall(laneUsageKey(keyPrefix, accountKey, minute));
  const results = (await pipeline.exec()) ?? [];
  return minutes.map((minute, index) => {
    const values = (results[index]?.[1] ?? {}) as Record<string, string>;
    const totals = Object.fromEntries(LIMITER_LANES.map((lane) => [lane, 0])) as Record<LimiterLane, number>;
    const perSecond = new Map<string, number>();
    for (const [field, raw] of Object.entries(values)) {
      const [lane, second] = field.split(':');
      const count = Number(raw);
      if (!(LIMITER_LANES as readonly string[]).includes(lane) || !Number.isFinite(count)) continue;
      totals[lane as LimiterLane] += count;
      perSecond.set(second, (perSecond.get(second) ?? 0) + count);
    }
    const average = Object.fromEntries(
      LIMITER_LANES.map((lane) => [lane, Math.round((totals[lane] / 60) * 100) / 100]),
    ) as Record<LimiterLane, number>;
    return {
      minute: new Date(minute * 60_000).toISOString(),
      count: totals,
      average,
      peak: Math.max(0, ...perSecond.values()),
    };
  });
}

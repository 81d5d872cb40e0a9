import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { RedisScript } from './redis-script';
import { recordLaneUse } from './lane-usage';

/**
 * A request limiter per remote account, shared by every process through Redis: the amoCRM client (7 rps per
 * account) and the LPTracker client (3 rps per login) both send through one.
 *
 * - A sorted set holds the send times granted in the last window. A call may go when fewer than `rps` grants
 *   fall in the window and the newest grant is at least window/rps old, so the remote side never sees more than
 *   `rps` calls in a rolling second, and sends are spread evenly instead of in bursts. The window is one second
 *   plus a safety margin that absorbs network jitter between the send and the arrival.
 * - Callers wait in a second sorted set ordered by lane, then by when the call was first queued. Only the head
 *   of the queue may take the next slot, so a queued interactive call overtakes every queued background one
 *   (and waits at most one pace step), and a retried call keeps its place in the queue.
 * - Each poll answers how long to sleep: exactly until the grant that frees the caller's slot expires, so the
 *   account is kept busy without busy-waiting. Waiters that stop polling (a process died) are dropped.
 * - After a refusal for rate (amoCRM's 429, LPTracker's 503) every process holds off for Retry-After (or a
 *   second) and the allowed rate drops by one for a while, which adapts to an account whose real limit is lower
 *   than configured.
 * - A grant is stamped again when its request really leaves (after a new connection is set up, say), so the
 *   spacing holds between sends and not only between grants.
 * - All times come from Redis (TIME), so processes on hosts with skewed clocks agree.
 */

export const LIMITER_LANES = ['interactive', 'sync', 'import'] as const;
/** `interactive`: calls a person or a client app waits for; `sync`: background processing; `import`: bulk imports. */
export type LimiterLane = (typeof LIMITER_LANES)[number];

export interface RateLimiterOptions {
  /** Requests per second allowed per account. */
  rps: number;
  /**
   * Added to the one-second window to absorb the jitter between our send and the remote side's arrival (grants are
   * restamped when the request really leaves, see markSent). Each CRM sets its own from configuration
   * (`AMOCRM_RATE_MARGIN_MS`, `LPTRACKER_RATE_MARGIN_MS`): a whole number of ms, 0 or more.
   */
  marginMs: number;
  /** A waiter that has not polled for this long is dropped from the queue (default 5 s). */
  staleWaiterMs?: number;
  /** Longest sleep between two polls (default 1 s), well below `staleWaiterMs`. */
  maxPollMs?: number;
  /** How long the allowed rate stays lowered after a refusal for rate (default 30 s). */
  penaltyMs?: number;
}

/** What makes one limiter an amoCRM or an LPTracker one: its Redis keys and the error of a queue too long. */
export interface RateLimiterIdentity {
  /** Prefix of the Redis keys, e.g. `amocrm:limit`; the account key follows in braces (one Redis slot). */
  keyPrefix: string;
  /** The error thrown when the caller's deadline would pass before its turn. */
  queueTooLong(retryAfterSeconds: number): Error;
}

export interface AcquireOptions {
  /** Give up (the identity's `queueTooLong` error) rather than send after this time (ms since the epoch). */
  deadline: number;
  /** When the logical call was first queued; a retry passes the first attempt's time to keep its place. */
  queuedAt?: number;
}

export interface LimiterGrant {
  /** Names the granted send in the window: pass it to `markSent` when the request actually leaves. */
  slot: string;
  /** Time spent waiting in the limiter. */
  waitedMs: number;
  /** When the call was first queued: pass it back as `queuedAt` when retrying. */
  queuedAt: number;
}

/** What a client needs of a limiter (a fake in unit tests). */
export interface SendLimiter {
  acquire(accountKey: string, lane: LimiterLane, options: AcquireOptions): Promise<LimiterGrant>;
  markSent(accountKey: string, slot: string): Promise<void>;
  penalize(accountKey: string, retryAfterMs: number): Promise<void>;
}

const LANE_WEIGHT = 1e15;

/** Position in the waiting queue: lane first, then first-queued time (ms). Exact in a double up to lane 8. */
export function laneScore(lane: LimiterLane, queuedAt: number): number {
  return LIMITER_LANES.indexOf(lane) * LANE_WEIGHT + queuedAt;
}

/** The sustained rate the limiter allows: `rps` per (1 s + margin). */
export function sustainedRps(rps: number, marginMs: number): number {
  return (rps * 1000) / (1000 + marginMs);
}

/** KEYS: window, queue, seen, cooldown, penalty, pace. ARGV: waiter, score, limit, windowMs, staleMs. → {granted, waitMs}. */
const ACQUIRE = new RedisScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local limit = tonumber(ARGV[3])
local windowMs = tonumber(ARGV[4])
local staleMs = tonumber(ARGV[5])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - staleMs)
if #stale > 0 then
  for _, waiter in ipairs(stale) do redis.call('ZREM', KEYS[2], waiter) end
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - staleMs)
end
if not redis.call('ZSCORE', KEYS[2], id) then redis.call('ZADD', KEYS[2], ARGV[2], id) end
redis.call('ZADD', KEYS[3], now, id)
redis.call('PEXPIRE', KEYS[2], staleMs * 2)
redis.call('PEXPIRE', KEYS[3], staleMs * 2)

local rank = redis.call('ZRANK', KEYS[2], id)
local cooldown = tonumber(redis.call('GET', KEYS[4]) or '0')
if cooldown > now then return {0, cooldown - now} end

local effective = math.max(1, limit - tonumber(redis.call('GET', KEYS[5]) or '0'))
local spacing = windowMs / effective
local count = redis.call('ZCARD', KEYS[1])
local pace = tonumber(redis.call('GET', KEYS[6]) or '0')
if rank == 0 and count < effective and now >= pace then
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZADD', KEYS[1], now, id)
  redis.call('PEXPIRE', KEYS[1], windowMs * 2)
  -- The next send is due one step after this one was due: a slightly late poll does not slow the pace down.
  redis.call('SET', KEYS[6], string.format('%.3f', math.max(now - spacing / 2, pace) + spacing), 'PX', windowMs * 2)
  return {1, 0}
end

-- When the caller's turn comes: rank more grants go first, each one pace apart, and the window must have room.
local at = math.max(pace, now) + spacing * rank
local k = count - effective + rank + 1
if k > 0 and count > 0 then
  local index = (k - 1) % count
  local stamp = redis.call('ZRANGE', KEYS[1], index, index, 'WITHSCORES')
  at = math.max(at, tonumber(stamp[2]) + windowMs * (math.floor((k - 1) / count) + 1))
end
return {0, math.ceil(at - now)}
`,
  6,
);

/** KEYS: window. ARGV: slot. Moves a granted send to the time it really left (later, never earlier). */
const MARK_SENT = new RedisScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', 'GT', now, ARGV[1])
`,
  1,
);

/** KEYS: cooldown, penalty. ARGV: cooldownMs, penaltyMs, maxPenalty. */
const PENALIZE = new RedisScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cooldownMs = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + cooldownMs > current then redis.call('SET', KEYS[1], now + cooldownMs, 'PX', cooldownMs) end
local penalty = redis.call('INCR', KEYS[2])
if penalty > tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return penalty
`,
  2,
);

export class RedisRateLimiter implements SendLimiter {
  readonly rps: number;
  readonly windowMs: number;
  private readonly staleWaiterMs: number;
  private readonly maxPollMs: number;
  private readonly penaltyMs: number;

  constructor(
    private readonly redis: Redis,
    options: RateLimiterOptions,
    private readonly identity: RateLimiterIdentity,
  ) {
    if (!Number.isInteger(options.marginMs) || options.marginMs < 0)
      throw new Error(`the limiter margin must be a whole number of ms, 0 or more (got ${options.marginMs})`);
    this.rps = options.rps;
    this.windowMs = 1000 + options.marginMs;
    this.staleWaiterMs = options.staleWaiterMs ?? 5000;
    this.maxPollMs = Math.min(options.maxPollMs ?? 1000, this.staleWaiterMs / 3);
    this.penaltyMs = options.penaltyMs ?? 30_000;
  }

  /** Waits for a send slot of `accountKey` in `lane`; resolves when the caller may send one request now. */
  async acquire(accountKey: string, lane: LimiterLane, options: AcquireOptions): Promise<LimiterGrant> {
    const started = Date.now();
    const queuedAt = options.queuedAt ?? started;
    const waiter = randomUUID();
    const keys = this.keys(accountKey);
    const score = laneScore(lane, queuedAt);
    for (;;) {
      const [granted, waitMs] = (await ACQUIRE.run(
        this.redis,
        [keys.window, keys.queue, keys.seen, keys.cooldown, keys.penalty, keys.pace],
        [waiter, score, this.rps, this.windowMs, this.staleWaiterMs],
      )) as [number, number];
      if (granted === 1) {
        void recordLaneUse(this.redis, this.identity.keyPrefix, accountKey, lane);
        return { slot: waiter, waitedMs: Date.now() - started, queuedAt };
      }
      const sleep = Math.min(Math.max(waitMs, 1), this.maxPollMs);
      if (Date.now() + sleep > options.deadline) {
        await this.redis.multi().zrem(keys.queue, waiter).zrem(keys.seen, waiter).exec();
        throw this.identity.queueTooLong(Math.max(1, Math.ceil(waitMs / 1000)));
      }
      await delay(sleep);
    }
  }

  /**
   * The granted request is on the wire now. A send that left later than its grant (a new connection, a busy event
   * loop) moves its place in the window accordingly, so the next grants keep a full window after the real send:
   * what the remote side counts is arrivals, and this keeps the jitter between grant and send out of the margin.
   */
  async markSent(accountKey: string, slot: string): Promise<void> {
    await MARK_SENT.run(this.redis, [this.keys(accountKey).window], [slot]);
  }

  /** After a refusal for rate: every process holds off for `retryAfterMs`, and the allowed rate drops by one for a while. */
  async penalize(accountKey: string, retryAfterMs: number): Promise<void> {
    const keys = this.keys(accountKey);
    await PENALIZE.run(
      this.redis,
      [keys.cooldown, keys.penalty],
      [Math.max(1, Math.round(retryAfterMs)), this.penaltyMs, this.rps - 1],
    );
  }

  private keys(
    accountKey: string,
  ): Record<'window' | 'queue' | 'seen' | 'cooldown' | 'penalty' | 'pace', string> {
    const base = `${this.identity.keyPrefix}:{${accountKey}}`;
    return {
      window: `${base}:window`,
      queue: `${base}:queue`,
      seen: `${base}:seen`,
      cooldown: `${base}:cooldown`,
      penalty: `${base}:penalty`,
      pace: `${base}:pace`,
    };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

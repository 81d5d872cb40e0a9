import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';

export const STAT_FIELDS = ['received', 'duplicate', 'done', 'skipped', 'retried', 'failed'] as const;
export type StatField = (typeof STAT_FIELDS)[number];

export type MinuteStats = { minute: string } & Record<StatField, number>;

const FLUSH_EVERY_MS = 1_000;
const KEEP_SECONDS = 2 * 60 * 60;

/**
 * Per-minute event counts for the dashboard, kept in Redis (so a chart of the last hour costs 60 small reads,
 * not a scan of millions of rows). Counts are gathered in memory and written once a second.
 */
@Injectable()
export class InboxStatsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InboxStatsService.name);
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  count(workspaceId: string, field: StatField, by = 1, at = Date.now()): void {
    const key = `${workspaceId}|${minuteOf(at)}|${field}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + by);
  }

  /** The last 60 minutes, oldest first, including the current minute. */
  async lastHour(workspaceId: string, now = Date.now()): Promise<MinuteStats[]> {
    await this.flush();
    const minutes = Array.from({ length: 60 }, (_, index) => minuteOf(now) - (59 - index));
    const pipeline = this.redis.pipeline();
    for (const minute of minutes) pipeline.hgetall(statsKey(workspaceId, minute));
    const results = (await pipeline.exec()) ?? [];
    return minutes.map((minute, index) => {
      const values = (results[index]?.[1] ?? {}) as Record<string, string>;
      const row = { minute: new Date(minute * 60_000).toISOString() } as MinuteStats;
      for (const field of STAT_FIELDS) row[field] = Number(values[field] ?? 0);
      return row;
    });
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const pipeline = this.redis.pipeline();
    const touched = new Set<string>();
    for (const [composite, by] of batch) {
      const [workspaceId, minute, field] = composite.split('|');
      const key = statsKey(workspaceId, Number(minute));
      pipeline.hincrby(key, field, by);
      touched.add(key);
    }
    for (const key of touched) pipeline.expire(key, KEEP_SECONDS);
    try {
      await pipeline.exec();
    } catch (error) {
      this.logger.warn(`dashboard counters not written: ${String(error)}`);
    }
  }
}

function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000);
}

function statsKey(workspaceId: string, minute: number): string {
  return `inbox:stats:${workspaceId}:${minute}`;
}

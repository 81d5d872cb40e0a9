import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { RedisLock } from '../redis/redis-lock';
import { REDIS } from '../redis/redis.module';
import { InboxEventRequeuesRepository, type StaleEvent } from './inbox-event-requeues.repository';
import { InboxQueueService } from './inbox-queue.service';

export const PAGE = 2_000;
/** One sweep looks at most this long, then continues where it stopped next time. */
const TIME_BUDGET_MS = 5_000;
/**
 * Pages of waiting events one sweep checks in which every run is still in Redis: past them it continues where it
 * stopped next time (a page with a lost run does not count: the sweep goes on recovering). Without this bound a
 * backlog (a burst of webhooks, an outage) was read again whole every sweep, 6,000 Redis commands per page: at a
 * backlog of 100,000 events a large share of a worker's CPU (profiled), taken exactly while webhooks pour in.
 */
export const QUIET_PAGES = 2;
const LOCK_KEY = 'inbox:sweeper-lock';

export interface SweepReport {
  checked: number;
  requeued: number;
  reclaimed: number;
  failed: number;
}

/**
 * Nothing acknowledged is lost: every few seconds one worker (a Redis lock makes it one at a time) looks for
 * events that are neither finished nor really queued after the threshold (INBOX_SWEEP_AFTER): rows whose job
 * is gone from Redis (lost, FLUSHALL, never added), or held by a dead worker, or whose processing lease lapsed.
 * Each is queued again under its next generation; the lease on the row keeps a run from happening twice.
 */
@Injectable()
export class InboxSweeperService {
  private readonly logger = new Logger(InboxSweeperService.name);
  /** Where the last sweep stopped when it ran out of time. */
  private cursor: Record<'received' | 'queued', { updatedAt: Date; id: string } | null> = {
    received: null,
    queued: null,
  };

  constructor(
    private readonly config: AppConfig,
    private readonly events: InboxEventRequeuesRepository,
    private readonly queue: InboxQueueService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async sweep(): Promise<SweepReport | null> {
    // held at most a few sweep intervals, so a worker killed mid-sweep does not stop sweeping for long
    const lockMs = Math.min(60_000, Math.max(5_000, this.config.inboxSweepAfterMs * 2));
    const lock = await RedisLock.tryAcquire(this.redis, LOCK_KEY, lockMs);
    if (!lock) return null;
    try {
      return await this.sweepLocked();
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  private async sweepLocked(): Promise<SweepReport> {
    const report: SweepReport = { checked: 0, requeued: 0, reclaimed: 0, failed: 0 };
    const threshold = this.config.inboxSweepAfterMs;

    const lapsed = await this.events.findLapsedLeases(PAGE);
    if (lapsed.length > 0) {
      const requeued = await this.events.reclaimLapsed(lapsed, this.config.webhookRetryDelaysMs.length);
      await this.queue.enqueue(
        requeued.map((event) => ({ id: event.id, generation: event.generation, delayMs: event.dueInMs })),
      );
      report.reclaimed += requeued.length;
      report.failed += lapsed.length - requeued.length;
    }

    const deadline = Date.now() + TIME_BUDGET_MS;
    for (const status of ['received', 'queued'] as const) {
      for (let quiet = 0; quiet < QUIET_PAGES;) {
        const page = await this.events.findStaleWaiting(status, threshold, this.cursor[status], PAGE);
        report.checked += page.length;
        const requeued = page.length > 0 ? await this.requeueLost(page, threshold) : 0;
        report.requeued += requeued;
        if (requeued === 0) quiet += 1;
        const last = page[page.length - 1];
        // the next sweep goes on after this page; after the last one, from the oldest again
        this.cursor[status] =
          page.length === PAGE && last ? { updatedAt: last.updatedAt, id: last.id } : null;
        if (page.length < PAGE || Date.now() > deadline) break;
      }
    }
    if (report.requeued + report.reclaimed + report.failed > 0)
      this.logger.warn(report, 'inbox sweeper recovered events');
    return report;
  }

  private async requeueLost(page: StaleEvent[], threshold: number): Promise<number> {
    const alive = await this.queue.alive(
      page.map((event) => ({ id: event.id, generation: event.generation })),
    );
    const lost = page.filter((_, index) => !alive[index]).map((event) => event.id);
    if (lost.length === 0) return 0;
    const requeued = await this.events.requeueWaiting(lost, threshold);
    await this.queue.enqueue(
      requeued.map((event) => ({ id: event.id, generation: event.generation, delayMs: event.dueInMs })),
    );
    return requeued.length;
  }
}

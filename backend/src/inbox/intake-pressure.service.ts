import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { WorkerRole } from '../queue/worker-role';
import { InboxMetrics } from './inbox-metrics';
import { INBOX_QUEUE, intakeCountKey, type ProcessEventJobData } from './inbox-queue';
import { WorkerPace } from './worker-pace';

/** How often a worker reads the intake's rate. */
const POLL_MS = 250;
/**
 * Runs waiting while the worker yields are let through this often (a second's share of INBOX_YIELD_RATE at once):
 * one claim and one commit per second for them instead of ten. Measured (`inbox-intake`, worker running): the
 * worker's CPU per accepted webhook 0.11 ms with groups every 100 ms, 0.02–0.05 ms with one group a second, and
 * the database's 0.23–0.25 against 0.16–0.17 ms.
 */
const TICK_MS = 1000;
/** A burst longer than this is a load to keep up with: the worker stops yielding until the intake calms. */
export const MAX_YIELD_MS = 120_000;

/**
 * In worker processes: reads how many webhooks the api processes accepted in the last second and the current one
 * (one MGET every 250 ms) and lets the inbox's event runs start at the pace of WorkerPace — slower while the
 * intake is above INBOX_YIELD_ABOVE, so that the api and the database have the CPU when webhooks pour in.
 */
@Injectable()
export class IntakePressureService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IntakePressureService.name);
  private readonly pace: WorkerPace;
  private poller?: NodeJS.Timeout;
  private reading = false;

  constructor(
    config: AppConfig,
    private readonly workerRole: WorkerRole,
    @InjectQueue(INBOX_QUEUE) private readonly queue: Queue<ProcessEventJobData>,
    private readonly metrics: InboxMetrics,
  ) {
    this.pace = new WorkerPace({
      yieldAbove: config.inboxYieldAbove,
      yieldRate: config.inboxYieldRate,
      maxYieldMs: MAX_YIELD_MS,
      tickMs: TICK_MS,
    });
    this.enabled = config.inboxYieldAbove > 0;
  }

  private readonly enabled: boolean;

  /** Whether this worker slows down for the intake now. */
  get yielding(): boolean {
    return this.pace.yielding;
  }

  /** Resolves when an event run may start (at once unless the worker is yielding to the intake). */
  admit(): Promise<void> {
    return this.pace.admit();
  }

  onApplicationBootstrap(): void {
    if (!this.workerRole.enabled || !this.enabled) return;
    this.poller = setInterval(() => void this.read(), POLL_MS);
    this.poller.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.poller);
    this.pace.stop();
  }

  private async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const second = Math.floor(Date.now() / 1000);
      const counts = await this.queue.client.mget(
        intakeCountKey(this.queue, second - 1),
        intakeCountKey(this.queue, second),
      );
      // the second that has just ended, or the current one once it has already seen more
      this.observe(Math.max(...counts.map((count) => Number(count ?? 0))));
    } catch (error) {
      // Redis down: full speed (the intake cannot be measured); the queue itself waits for Redis anyway
      this.observe(0);
      this.logger.warn(`reading the intake's rate failed: ${String(error)}`);
    } finally {
      this.reading = false;
    }
  }

  private observe(intakeRate: number): void {
    const wasYielding = this.pace.yielding;
    this.pace.observe(intakeRate);
    if (this.pace.yielding === wasYielding) return;
    this.metrics.workerYielding.set(this.pace.yielding ? 1 : 0);
    this.logger.log(
      this.pace.yielding
        ? `webhooks are pouring in (${intakeRate}/s): processing slows down until they calm (INBOX_YIELD_ABOVE)`
        : 'processing at full speed again',
    );
  }
}

import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { WorkerRole } from '../queue/worker-role';
import { InboxEventsService, type BulkReplayJobData } from './inbox-events.service';
import {
  BULK_REPLAY_JOB,
  INBOX_MAINTENANCE_QUEUE,
  INBOX_QUEUE,
  PROCESS_EVENT_JOB,
  PURGE_EVERY_MS,
  PURGE_JOB,
  SWEEP_JOB,
  sweepEveryMs,
  type ProcessEventJobData,
} from './inbox-queue';
import { InboxProcessingService } from './inbox-processing.service';
import { InboxRetentionService } from './inbox-retention.service';
import { InboxSweeperService } from './inbox-sweeper.service';
import { IntakePressureService } from './intake-pressure.service';

/**
 * Thin: attaches the inbox jobs in worker processes and delegates. The repeatable jobs live in Redis; if Redis
 * loses them (FLUSHALL), the schedule is put back within one sweep interval.
 */
@Injectable()
export class InboxProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboxProcessor.name);
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly workerRole: WorkerRole,
    @InjectQueue(INBOX_QUEUE) private readonly queue: Queue<ProcessEventJobData>,
    @InjectQueue(INBOX_MAINTENANCE_QUEUE) private readonly maintenance: Queue,
    private readonly processing: InboxProcessingService,
    private readonly sweeper: InboxSweeperService,
    private readonly retention: InboxRetentionService,
    private readonly events: InboxEventsService,
    private readonly pressure: IntakePressureService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.workerRole.enabled) return;
    // each run starts at the pace the intake allows (slower while webhooks pour in: INBOX_YIELD_ABOVE)
    this.workerRole.process(this.queue, PROCESS_EVENT_JOB, this.config.inboxConcurrency, async (job) => {
      await this.pressure.admit();
      return this.processing.handle(job.data.eventId);
    });
    this.workerRole.process(this.maintenance, SWEEP_JOB, 1, () => this.sweeper.sweep());
    this.workerRole.process(this.maintenance, PURGE_JOB, 1, () => this.retention.purge());
    this.workerRole.process(this.maintenance, BULK_REPLAY_JOB, 1, (job) =>
      this.events.runBulkReplay(job.data as BulkReplayJobData),
    );
    await this.dropOutdatedSchedules();
    await this.schedule();
    this.watchdog = setInterval(
      () =>
        void this.schedule().catch((error: unknown) =>
          this.logger.warn(`re-scheduling failed: ${String(error)}`),
        ),
      sweepEveryMs(this.config.inboxSweepAfterMs),
    );
    this.watchdog.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.watchdog);
  }

  private async schedule(): Promise<void> {
    await this.workerRole.schedule(this.maintenance, SWEEP_JOB, sweepEveryMs(this.config.inboxSweepAfterMs));
    await this.workerRole.schedule(this.maintenance, PURGE_JOB, PURGE_EVERY_MS);
  }

  /** A changed INBOX_SWEEP_AFTER leaves the old repeat schedule in Redis: remove it. */
  private async dropOutdatedSchedules(): Promise<void> {
    const wanted = new Map([
      [SWEEP_JOB, sweepEveryMs(this.config.inboxSweepAfterMs)],
      [PURGE_JOB, PURGE_EVERY_MS],
    ]);
    for (const repeat of await this.maintenance.getRepeatableJobs()) {
      const every = wanted.get(repeat.name);
      if (every !== undefined && Number(repeat.every) !== every)
        await this.maintenance.removeRepeatableByKey(repeat.key);
    }
  }
}

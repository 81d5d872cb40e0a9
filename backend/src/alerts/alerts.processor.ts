import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { WorkerRole } from '../queue/worker-role';
import { AlertDeliveryService } from './alert-delivery.service';
import {
  ALERTS_QUEUE,
  DELIVER_TELEGRAM_JOB,
  EVALUATE_ALERTS_JOB,
  type DeliverTelegramJob,
} from './alerts.constants';
import { AlertsService } from './alerts.service';

/**
 * The alert checks of every workspace (worker processes only), repeated every ALERTS_CHECK_INTERVAL (default 1m),
 * and the retries of Telegram messages that did not go out.
 */
@Injectable()
export class AlertsProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(ALERTS_QUEUE) private readonly queue: Queue,
    private readonly workerRole: WorkerRole,
    private readonly alerts: AlertsService,
    private readonly delivery: AlertDeliveryService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workerRole.process(this.queue, EVALUATE_ALERTS_JOB, 1, () => this.alerts.evaluateAll());
    this.workerRole.process(this.queue as Queue<DeliverTelegramJob>, DELIVER_TELEGRAM_JOB, 2, (job) =>
      this.delivery.retry(job),
    );
    if (!this.workerRole.enabled) return;
    const every = this.config.alertsCheckIntervalMs;
    // a schedule left by an earlier interval (or a disabled one) must not keep running
    for (const repeatable of await this.queue.getRepeatableJobs()) {
      if (repeatable.name === EVALUATE_ALERTS_JOB && Number(repeatable.every) !== every)
        await this.queue.removeRepeatableByKey(repeatable.key);
    }
    if (every > 0) await this.workerRole.schedule(this.queue, EVALUATE_ALERTS_JOB, every);
  }
}

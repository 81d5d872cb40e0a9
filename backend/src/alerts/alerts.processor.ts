import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { WorkerRole } from '../queue/worker-role';
import { AlertsService } from './alerts.service';

export const ALERTS_QUEUE = 'alerts';
export const EVALUATE_ALERTS_JOB = 'evaluate';
/** The alert checks of every workspace (worker processes only), repeated every ALERTS_CHECK_INTERVAL (default 1m). */
@Injectable()
export class AlertsProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(ALERTS_QUEUE) private readonly queue: Queue,
    private readonly workerRole: WorkerRole,
    private readonly alerts: AlertsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workerRole.process(this.queue, EVALUATE_ALERTS_JOB, 1, () => this.alerts.evaluateAll());
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

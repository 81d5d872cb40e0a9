import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { WorkerRole } from '../queue/worker-role';
import { AlertsService } from './alerts.service';

export const ALERTS_QUEUE = 'alerts';
export const EVALUATE_ALERTS_JOB = 'evaluate';
/** Short, so an unsubscribed webhook or a paused account is told within about a minute. */
export const EVALUATE_ALERTS_EVERY_MS = 60_000;

/** The alert checks of every workspace (worker processes only), repeated every minute. */
@Injectable()
export class AlertsProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(ALERTS_QUEUE) private readonly queue: Queue,
    private readonly workerRole: WorkerRole,
    private readonly alerts: AlertsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workerRole.process(this.queue, EVALUATE_ALERTS_JOB, 1, () => this.alerts.evaluateAll());
    await this.workerRole.schedule(this.queue, EVALUATE_ALERTS_JOB, EVALUATE_ALERTS_EVERY_MS);
  }
}

import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../config/app-config';
import { WorkerRole } from '../../queue/worker-role';
import { LPTRACKER_INBOUND_QUEUE, RECONCILE_ALL_LPTRACKER_JOB } from '../lptracker-inbound.constants';
import { LptrackerReconcileService } from './lptracker-reconcile.service';

/**
 * The scheduled LPTracker reconciliation (worker processes only): every workspace with LPTracker connected, as often
 * as amoCRM's (`AMOCRM_RECONCILE_INTERVAL`; off turns both off).
 */
@Injectable()
export class LptrackerReconcileProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(LPTRACKER_INBOUND_QUEUE) private readonly queue: Queue,
    private readonly workerRole: WorkerRole,
    private readonly config: AppConfig,
    private readonly reconcile: LptrackerReconcileService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workerRole.process(this.queue, RECONCILE_ALL_LPTRACKER_JOB, 1, () => this.reconcile.runAll());
    if (!this.workerRole.enabled) return;
    const every = this.config.amocrmReconcileIntervalMs;
    // a schedule left by an earlier interval (or a disabled one) must not keep running
    for (const repeatable of await this.queue.getRepeatableJobs()) {
      if (repeatable.name === RECONCILE_ALL_LPTRACKER_JOB && Number(repeatable.every) !== every)
        await this.queue.removeRepeatableByKey(repeatable.key);
    }
    if (every > 0) await this.workerRole.schedule(this.queue, RECONCILE_ALL_LPTRACKER_JOB, every);
  }
}

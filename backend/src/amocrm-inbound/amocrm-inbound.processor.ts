import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { WorkerRole } from '../queue/worker-role';
import { AMOCRM_INBOUND_QUEUE, RECONCILE_ALL_JOB, RECONCILE_JOB } from './amocrm-inbound.constants';
import { ReconcileService, type ReconcileJobData } from './reconcile.service';

/** Reconciliation jobs (worker processes only): one pass per workspace, and the schedule that queues them. */
@Injectable()
export class AmocrmInboundProcessor implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    @InjectQueue(AMOCRM_INBOUND_QUEUE) private readonly queue: Queue<ReconcileJobData>,
    private readonly workerRole: WorkerRole,
    private readonly reconcile: ReconcileService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workerRole.process(this.queue, RECONCILE_JOB, 2, (job) => this.reconcile.run(job.data.workspaceId));
    this.workerRole.process(this.queue, RECONCILE_ALL_JOB, 1, () => this.reconcile.queueAll());
    if (!this.workerRole.enabled) return;
    const every = this.config.amocrmReconcileIntervalMs;
    // a schedule left by an earlier interval (or a disabled one) must not keep running
    for (const repeatable of await this.queue.getRepeatableJobs()) {
      if (repeatable.name === RECONCILE_ALL_JOB && Number(repeatable.every) !== every)
        await this.queue.removeRepeatableByKey(repeatable.key);
    }
    if (every > 0) await this.workerRole.schedule(this.queue, RECONCILE_ALL_JOB, every);
  }
}

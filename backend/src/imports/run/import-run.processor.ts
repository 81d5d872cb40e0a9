import { InjectQueue } from '@nestjs/bull';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import { WorkerRole } from '../../queue/worker-role';
import { REDIS } from '../../redis/redis.module';
import { RedisLock } from '../../redis/redis-lock';
import { ImportRowsRepository } from './import-rows.repository';
import {
  enqueueRun,
  IMPORTS_QUEUE,
  RESUME_SWEEP_MS,
  RUN_IMPORT_JOB,
  runLeaseKey,
  type RunImportJobData,
} from './import-run.constants';
import { ImportRunner } from './import-runner.service';

/** Imports running at once in one worker process. */
const RUNS_AT_ONCE = 2;

/**
 * Runs imports in worker processes, and takes over imports left running by a worker that died or shut down
 * (status parsing or processing, nobody holding the run's lease): checked at start and every RESUME_SWEEP_MS.
 */
@Injectable()
export class ImportRunProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportRunProcessor.name);
  private sweeper?: NodeJS.Timeout;
  private shuttingDown = false;

  constructor(
    @InjectQueue(IMPORTS_QUEUE) private readonly queue: Queue<RunImportJobData>,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly workerRole: WorkerRole,
    private readonly runner: ImportRunner,
    private readonly rows: ImportRowsRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.workerRole.enabled) return;
    // a closing queue waits for its active jobs: the run stops after its current batch instead of finishing
    const stopping = () =>
      this.shuttingDown || Boolean((this.queue as unknown as { closing?: unknown }).closing);
    this.workerRole.process(this.queue, RUN_IMPORT_JOB, RUNS_AT_ONCE, (job) =>
      this.runner.run(job.data.workspaceId, job.data.importId, stopping),
    );
    const sweep = () =>
      void this.resumeOrphans().catch((error: unknown) =>
        this.logger.warn(`resuming imports failed: ${String(error)}`),
      );
    sweep();
    this.sweeper = setInterval(sweep, RESUME_SWEEP_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    this.shuttingDown = true;
    clearInterval(this.sweeper);
  }

  private async resumeOrphans(): Promise<void> {
    if (this.shuttingDown) return;
    for (const { id, workspaceId } of await this.rows.running())
      if ((await RedisLock.remainingMs(this.redis, runLeaseKey(id))) < 0)
        await enqueueRun(this.queue, workspaceId, id);
  }
}

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
  RUN_LEASE_MS,
  runJobId,
  runLeaseKey,
  type RunImportJobData,
} from './import-run.constants';
import { ImportRunner } from './import-runner.service';

/** Imports running at once in one worker process. */
const RUNS_AT_ONCE = 2;

/**
 * Runs imports in worker processes, and takes over imports left running by a worker that died or shut down
 * (status parsing or processing, nobody holding the run's lease): checked at start and every RESUME_SWEEP_MS.
 *
 * The run's lease, not Bull, says whether a worker still runs an import. A worker killed outright (kill -9, out of
 * memory) leaves its Bull job active: a new job with the same id is not added while it is there, and Bull itself
 * would hand it on only after its lock lapses (30 s) and a stalled check sees it (every 30 s): about a minute of
 * nothing. So a job found active while nobody held the lease for RUN_LEASE_MS (a live run takes the lease as soon
 * as its job starts and renews it every third of that) is failed here, and the import enqueued again.
 */
@Injectable()
export class ImportRunProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportRunProcessor.name);
  private sweeper?: NodeJS.Timeout;
  private shuttingDown = false;
  /** Since when each import's job was seen active with nobody holding its lease. */
  private readonly activeWithoutLease = new Map<string, number>();

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
    const orphans = new Set<string>();
    for (const { id, workspaceId } of await this.rows.running()) {
      if ((await RedisLock.remainingMs(this.redis, runLeaseKey(id))) >= 0) continue;
      orphans.add(id);
      if (await this.jobLeftBehind(id)) continue;
      await enqueueRun(this.queue, workspaceId, id);
    }
    for (const id of this.activeWithoutLease.keys()) if (!orphans.has(id)) this.activeWithoutLease.delete(id);
  }

  /**
   * Whether the import's Bull job is still there to run it (waiting, or active in a worker that may yet take the
   * lease); an active job whose lease nobody took for RUN_LEASE_MS belonged to a dead worker: it is failed (and
   * removed: removeOnFail) so the import can be enqueued again.
   */
  private async jobLeftBehind(importId: string): Promise<boolean> {
    const job = await this.queue.getJob(runJobId(importId));
    const state = job ? await job.getState() : null;
    if (!job || state !== 'active') {
      this.activeWithoutLease.delete(importId);
      return state === 'waiting' || state === 'delayed' || state === 'paused';
    }
    const since = this.activeWithoutLease.get(importId) ?? Date.now();
    this.activeWithoutLease.set(importId, since);
    if (Date.now() - since < RUN_LEASE_MS) return true;
    this.activeWithoutLease.delete(importId);
    this.logger.warn(`import ${importId}: its job is active but nobody holds the run; taking it over`);
    // ignoreLock: the dead worker's Bull lock stays until it lapses; another worker may have failed it already
    await job
      .moveToFailed({ message: 'the worker running the import stopped; enqueued again' }, true)
      .catch(() => undefined);
    return false;
  }
}

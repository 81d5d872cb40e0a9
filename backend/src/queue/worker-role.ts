import { Injectable, Logger } from '@nestjs/common';
import type { Job, JobOptions, Queue } from 'bull';
import { AppConfig } from '../config/app-config';

export type JobHandler<T> = (job: Job<T>) => Promise<unknown>;

/**
 * Attaches processors and repeatable jobs only in processes whose APP_ROLE runs workers (`worker`, `all`).
 * Feature processors call this from onApplicationBootstrap and delegate the work to their service.
 */
@Injectable()
export class WorkerRole {
  private readonly logger = new Logger(WorkerRole.name);

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.runsWorkers;
  }

  process<T>(queue: Queue<T>, jobName: string, concurrency: number, handler: JobHandler<T>): void {
    if (!this.enabled) return;
    void queue.process(jobName, concurrency, handler);
    this.logger.log(`processing ${queue.name}/${jobName} with concurrency ${concurrency}`);
  }

  /** A repeatable job shared by all worker processes: Bull keeps one schedule per (name, interval). */
  async schedule(queue: Queue, jobName: string, everyMs: number, options: JobOptions = {}): Promise<void> {
    if (!this.enabled) return;
    await queue.add(
      jobName,
      {},
      { repeat: { every: everyMs }, removeOnComplete: true, removeOnFail: 100, ...options },
    );
  }
}

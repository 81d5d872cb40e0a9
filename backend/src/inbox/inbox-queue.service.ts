import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { INBOX_QUEUE, PROCESS_EVENT_JOB, jobIdFor, type ProcessEventJobData } from './inbox-queue';

export interface EventRun {
  id: string;
  generation: number;
  /** Delay before the run, for retries. */
  delayMs?: number;
}

/** The Bull side of the inbox: adding runs and telling whether an event's run is really waiting in Redis. */
@Injectable()
export class InboxQueueService {
  constructor(@InjectQueue(INBOX_QUEUE) private readonly queue: Queue<ProcessEventJobData>) {}

  /** Adds the runs in one Redis round trip; a run whose job id exists already is not added twice. */
  async enqueue(runs: EventRun[]): Promise<void> {
    if (runs.length === 0) return;
    await this.queue.addBulk(
      runs.map((run) => ({
        name: PROCESS_EVENT_JOB,
        data: { eventId: run.id },
        opts: {
          jobId: jobIdFor(run.id, run.generation),
          delay: run.delayMs && run.delayMs > 0 ? run.delayMs : undefined,
          attempts: 1,
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  /**
   * For each run, whether Redis really holds it: the job exists and is either not started or held by a live
   * worker (its lock exists). A job started by a worker that died has no lock: not alive.
   */
  async alive(runs: EventRun[]): Promise<boolean[]> {
    if (runs.length === 0) return [];
    const pipeline = this.queue.client.pipeline();
    for (const run of runs) {
      const key = this.queue.toKey(jobIdFor(run.id, run.generation));
      pipeline.exists(key);
      pipeline.hget(key, 'processedOn');
      pipeline.exists(`${key}:lock`);
    }
    const results = (await pipeline.exec()) ?? [];
    return runs.map((_, index) => {
      const [exists, processedOn, locked] = results.slice(index * 3, index * 3 + 3).map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      return Number(exists) === 1 && (!processedOn || Number(locked) === 1);
    });
  }

  async counts(): Promise<{ waiting: number; active: number; delayed: number }> {
    const counts = await this.queue.getJobCounts();
    return { waiting: counts.waiting, active: counts.active, delayed: counts.delayed };
  }
}

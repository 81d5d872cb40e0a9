import { getQueueToken } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { queueNames } from './queue-names';

export interface QueueCounts {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Every registered queue, for metrics, health and an orderly shutdown. */
@Injectable()
export class QueueRegistry {
  private readonly logger = new Logger(QueueRegistry.name);

  constructor(private readonly moduleRef: ModuleRef) {}

  queues(): Queue[] {
    return queueNames().flatMap((name) => {
      try {
        return [this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })];
      } catch {
        return [];
      }
    });
  }

  async counts(): Promise<QueueCounts[]> {
    return Promise.all(
      this.queues().map(async (queue) => {
        const counts = await queue.getJobCounts();
        return {
          queue: queue.name,
          waiting: counts.waiting,
          active: counts.active,
          delayed: counts.delayed,
          failed: counts.failed,
        };
      }),
    );
  }

  /** Stops taking new jobs and waits for the active ones to finish. */
  async closeAll(): Promise<void> {
    await Promise.all(
      this.queues().map((queue) =>
        queue
          .close()
          .catch((error: unknown) =>
            this.logger.warn(`closing queue ${queue.name} failed: ${String(error)}`),
          ),
      ),
    );
  }
}

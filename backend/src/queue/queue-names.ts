import { BullModule } from '@nestjs/bull';
import type { DynamicModule } from '@nestjs/common';

const registeredQueueNames = new Set<string>();

/**
 * Registers a feature's Bull queue and remembers its name, so metrics and graceful shutdown see every queue.
 * Feature modules call this instead of BullModule.registerQueue.
 */
export function registerQueue(name: string): DynamicModule {
  registeredQueueNames.add(name);
  return BullModule.registerQueue({ name });
}

export function queueNames(): string[] {
  return [...registeredQueueNames];
}

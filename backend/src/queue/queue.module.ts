import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { redisOptionsFromUrl } from '../redis/redis-options';
import { QueueRegistry } from './queue-registry';
import { WorkerRole } from './worker-role';

/** Bull on Redis. Feature modules register their queues with `registerQueue(NAME)`. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        redis: {
          ...redisOptionsFromUrl(config.redisUrl),
          maxRetriesPerRequest: null,
          enableReadyCheck: false,
        },
        prefix: config.redisPrefix,
        defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
      }),
    }),
  ],
  providers: [QueueRegistry, WorkerRole],
  exports: [QueueRegistry, WorkerRole],
})
export class QueueModule {}

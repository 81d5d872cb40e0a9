import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { WorkerRole } from '../queue/worker-role';
import {
  AMOCRM_QUEUE,
  REFRESH_IDLE_TOKENS_EVERY_MS,
  REFRESH_IDLE_TOKENS_JOB,
  REFRESH_METADATA_EVERY_MS,
  REFRESH_METADATA_JOB,
} from './amocrm.constants';
import { AmocrmConnectionsService } from './connection/amocrm-connections.service';
import { AmocrmMetadataService } from './metadata/amocrm-metadata.service';

/** The amoCRM upkeep jobs (worker processes only): idle token refresh (daily) and metadata refresh (hourly). */
@Injectable()
export class AmocrmProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(AMOCRM_QUEUE) private readonly queue: Queue,
    private readonly workerRole: WorkerRole,
    private readonly connections: AmocrmConnectionsService,
    private readonly metadata: AmocrmMetadataService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workerRole.process(this.queue, REFRESH_IDLE_TOKENS_JOB, 1, () =>
      this.connections.refreshIdleTokens(),
    );
    this.workerRole.process(this.queue, REFRESH_METADATA_JOB, 1, () => this.metadata.refreshAllConnected());
    await this.workerRole.schedule(this.queue, REFRESH_IDLE_TOKENS_JOB, REFRESH_IDLE_TOKENS_EVERY_MS);
    await this.workerRole.schedule(this.queue, REFRESH_METADATA_JOB, REFRESH_METADATA_EVERY_MS);
  }
}

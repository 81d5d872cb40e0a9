import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { WorkerRole } from '../queue/worker-role';
import {
  LPTRACKER_QUEUE,
  REFRESH_LPTRACKER_METADATA_EVERY_MS,
  REFRESH_LPTRACKER_METADATA_JOB,
} from './lptracker.constants';
import { LptrackerMetadataService } from './metadata/lptracker-metadata.service';

/** The LPTracker upkeep job (worker processes only): the metadata of every connected workspace, hourly. */
@Injectable()
export class LptrackerProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(LPTRACKER_QUEUE) private readonly queue: Queue,
    private readonly workerRole: WorkerRole,
    private readonly metadata: LptrackerMetadataService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workerRole.process(this.queue, REFRESH_LPTRACKER_METADATA_JOB, 1, () =>
      this.metadata.refreshAllConnected(),
    );
    await this.workerRole.schedule(
      this.queue,
      REFRESH_LPTRACKER_METADATA_JOB,
      REFRESH_LPTRACKER_METADATA_EVERY_MS,
    );
  }
}

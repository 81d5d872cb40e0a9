import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PURGEABLE_STATUSES } from './event-status';
import { InboxEventsRepository } from './inbox-events.repository';
import { InboxRejectionsRepository } from './inbox-rejections.repository';

const BATCH = 1_000;

/**
 * Daily: deletes done, skipped and dismissed events unchanged for INBOX_RETENTION_DAYS (with their keys),
 * and old rejection records, in bounded batches so no delete holds locks for long. Failed events stay until
 * an admin replays or dismisses them.
 */
@Injectable()
export class InboxRetentionService {
  private readonly logger = new Logger(InboxRetentionService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly events: InboxEventsRepository,
    private readonly rejections: InboxRejectionsRepository,
  ) {}

  async purge(): Promise<{ events: number; rejections: number }> {
    const days = this.config.inboxRetentionDays;
    let events = 0;
    for (const status of PURGEABLE_STATUSES) {
      for (;;) {
        const deleted = await this.events.purgeBatch(status, days, BATCH);
        events += deleted;
        if (deleted < BATCH) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    let rejections = 0;
    for (;;) {
      const deleted = await this.rejections.purgeBatch(days, BATCH);
      rejections += deleted;
      if (deleted < BATCH) break;
    }
    if (events + rejections > 0) this.logger.log({ events, rejections, days }, 'inbox retention purge');
    return { events, rejections };
  }
}

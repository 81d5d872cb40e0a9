import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedActor } from '../auth/current-principal.decorator';
import type { JsonValue } from '../database/columns';
import { NotFoundProblem, ValidationProblem } from '../http/problem';
import { pageOf, sortOf, type Page, type PageQueryDto, type SortOrder } from '../http/pagination';
import {
  REPLAYABLE_STATUSES,
  UNFINISHED_STATUSES,
  dismissRefusal,
  replayRefusal,
  type EventStatus,
} from './event-status';
import { InboxAdapterRegistry } from './inbox-adapter.registry';
import type { InboxEventEntity } from './inbox-event.entity';
import { eventView } from './inbox-event-view';
import {
  InboxEventQueriesRepository,
  type EventFilter,
  type EventListRow,
  type EventSortField,
  type StoredBodyRow,
} from './inbox-event-queries.repository';
import { InboxEventRequeuesRepository } from './inbox-event-requeues.repository';
import { InboxEventsRepository } from './inbox-events.repository';
import { BULK_REPLAY_JOB, INBOX_MAINTENANCE_QUEUE } from './inbox-queue';
import { InboxQueueService } from './inbox-queue.service';
import { InboxRejectionsRepository } from './inbox-rejections.repository';
import { InboxStatsService, type MinuteStats } from './inbox-stats.service';
import { EventNotDismissableProblem, EventNotReplayableProblem } from './inbox.problems';

/** Replays apply the settings version stored with the event; `current_settings` comes with mappings and rules. */
export type ReplayMode = 'as_received';

/** What a bulk replay job carries (dates as ISO text: job data is JSON). */
export interface BulkReplayJobData {
  workspaceId: string;
  mode: ReplayMode;
  statuses: EventStatus[];
  filter: { source?: string; type?: string; from?: string; to?: string; search?: string };
}

export interface EventStats {
  perMinute: MinuteStats[];
  failed: number;
  queue: { waiting: number; active: number; delayed: number };
  oldestUnprocessedSeconds: number | null;
  rejectedLastHour: number;
}

/** Counting a list stops here, so a page stays fast with millions of events. */
export const COUNT_CAP = 10_000;
const REPLAY_PAGE = 500;

/** The events pages of the console: list, details, replay (one or many), dismiss, dashboard numbers. */
@Injectable()
export class InboxEventsService {
  private readonly logger = new Logger(InboxEventsService.name);

  constructor(
    private readonly events: InboxEventsRepository,
    private readonly queries: InboxEventQueriesRepository,
    private readonly requeues: InboxEventRequeuesRepository,
    private readonly rejections: InboxRejectionsRepository,
    private readonly registry: InboxAdapterRegistry,
    private readonly queue: InboxQueueService,
    private readonly stats: InboxStatsService,
    private readonly audit: AuditService,
    @InjectQueue(INBOX_MAINTENANCE_QUEUE) private readonly maintenance: Queue<BulkReplayJobData>,
  ) {}

  async list(
    workspaceId: string,
    filter: EventFilter,
    page: PageQueryDto & { sort?: EventSortField; order?: SortOrder },
  ): Promise<Page<EventListRow> & { totalCapped: boolean }> {
    const { items, total } = await this.queries.search(
      workspaceId,
      filter,
      sortOf(page, { field: 'receivedAt', order: 'desc' }),
      (page.page - 1) * page.limit,
      page.limit,
      COUNT_CAP + 1,
    );
    return { ...pageOf(items, Math.min(total, COUNT_CAP), page), totalCapped: total > COUNT_CAP };
  }

  /** The list's matches after `after` in the list's order (keyset pages for exports). */
  exportPage(
    workspaceId: string,
    filter: EventFilter,
    after: EventListRow | null,
    limit: number,
  ): Promise<EventListRow[]> {
    return this.queries.pageAfter(workspaceId, filter, after, limit);
  }

  /** Stored deliveries of `sources` with their bodies, newest first, after `after` (rule dry runs, backtests). */
  bodiesPage(
    workspaceId: string,
    filter: { sources: readonly string[]; from?: Date; to?: Date; bodySources?: readonly string[] },
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<StoredBodyRow[]> {
    return this.queries.bodiesPage(workspaceId, filter, after, limit);
  }

  async get(
    workspaceId: string,
    id: string,
  ): Promise<{ event: InboxEventEntity; changes: JsonValue | null }> {
    const event = await this.queries.findInWorkspace(workspaceId, id);
    if (!event) throw new NotFoundProblem('The event');
    return { event, changes: event.changes ?? this.describe(event) };
  }

  async replay(actor: AuthenticatedActor, id: string, mode: ReplayMode): Promise<void> {
    const workspaceId = actor.principal.workspaceId;
    const event = await this.queries.findInWorkspace(workspaceId, id);
    if (!event) throw new NotFoundProblem('The event');
    const refusal = replayRefusal(event.status, event.skipReason);
    if (refusal) throw new EventNotReplayableProblem(refusal.reason);
    const requeued = await this.requeues.requeueForReplay(workspaceId, [id], mode, REPLAYABLE_STATUSES);
    if (requeued.length === 0)
      throw new EventNotReplayableProblem('The event changed meanwhile: reload it and try again.');
    await this.queue.enqueue(requeued.map((run) => ({ id: run.id, generation: run.generation })));
    await this.audit.record(actor, {
      action: 'inbox.event_replayed',
      targetType: 'inbox_event',
      targetId: id,
      details: { mode, previousStatus: event.status },
    });
  }

  /** Counts the matching events now and queues them in the background; returns the count. */
  async bulkReplay(actor: AuthenticatedActor, filter: EventFilter, mode: ReplayMode): Promise<number> {
    const workspaceId = actor.principal.workspaceId;
    const statuses = this.replayStatuses(filter.status);
    const rest: EventFilter = { ...filter, status: undefined };
    const count = await this.queries.countMatching(workspaceId, rest, statuses);
    if (count > 0) {
      await this.maintenance.add(
        BULK_REPLAY_JOB,
        {
          workspaceId,
          mode,
          statuses,
          filter: {
            source: filter.source,
            type: filter.type,
            from: filter.from?.toISOString(),
            to: (filter.to ?? new Date()).toISOString(),
            search: filter.search,
          },
        },
        { removeOnComplete: true, removeOnFail: 100, attempts: 3, backoff: { type: 'fixed', delay: 5_000 } },
      );
    }
    await this.audit.record(actor, {
      action: 'inbox.events_replayed',
      targetType: 'inbox_event',
      details: { mode, count, statuses, source: filter.source, type: filter.type, search: filter.search },
    });
    return count;
  }

  /** The background part of a bulk replay: walks the matching events by id and queues them page by page. */
  async runBulkReplay(job: BulkReplayJobData): Promise<number> {
    const filter: EventFilter = {
      source: job.filter.source,
      type: job.filter.type,
      search: job.filter.search,
      from: job.filter.from ? new Date(job.filter.from) : undefined,
      to: job.filter.to ? new Date(job.filter.to) : undefined,
    };
    let afterId: string | null = null;
    let replayed = 0;
    for (;;) {
      const ids = await this.queries.idsMatching(job.workspaceId, filter, job.statuses, afterId, REPLAY_PAGE);
      if (ids.length === 0) break;
      const requeued = await this.requeues.requeueForReplay(job.workspaceId, ids, job.mode, job.statuses);
      await this.queue.enqueue(requeued.map((run) => ({ id: run.id, generation: run.generation })));
      replayed += requeued.length;
      afterId = ids[ids.length - 1];
      if (ids.length < REPLAY_PAGE) break;
    }
    this.logger.log({ workspaceId: job.workspaceId, replayed, mode: job.mode }, 'bulk replay queued');
    return replayed;
  }

  async dismiss(actor: AuthenticatedActor, id: string): Promise<InboxEventEntity> {
    const workspaceId = actor.principal.workspaceId;
    const event = await this.queries.findInWorkspace(workspaceId, id);
    if (!event) throw new NotFoundProblem('The event');
    const refusal = dismissRefusal(event.status);
    if (refusal) throw new EventNotDismissableProblem(refusal.reason);
    if (!(await this.events.dismiss(workspaceId, id))) {
      throw new EventNotDismissableProblem('The event changed meanwhile: reload it and try again.');
    }
    await this.audit.record(actor, {
      action: 'inbox.event_dismissed',
      targetType: 'inbox_event',
      targetId: id,
    });
    return (await this.queries.findInWorkspace(workspaceId, id)) ?? event;
  }

  lastReceivedAt(workspaceId: string, source: string): Promise<Date | null> {
    return this.queries.lastReceivedAt(workspaceId, source);
  }

  async statsFor(workspaceId: string): Promise<EventStats> {
    const [perMinute, failed, queue, oldestUnprocessedSeconds, rejectedLastHour] = await Promise.all([
      this.stats.lastHour(workspaceId),
      this.queries.countByStatus(workspaceId, 'failed'),
      this.queue.counts(),
      this.queries.oldestUnfinishedAgeSeconds(workspaceId, UNFINISHED_STATUSES),
      this.rejections.countSince(workspaceId, 60),
    ]);
    return { perMinute, failed, queue, oldestUnprocessedSeconds, rejectedLastHour };
  }

  private replayStatuses(status: EventStatus | undefined): EventStatus[] {
    if (!status) return ['failed'];
    if (!REPLAYABLE_STATUSES.includes(status)) {
      throw new ValidationProblem([
        {
          field: 'filter.status',
          code: 'isIn',
          message: `only finished events can be replayed: ${REPLAYABLE_STATUSES.join(', ')}`,
        },
      ]);
    }
    return [status];
  }

  private describe(event: InboxEventEntity): JsonValue | null {
    const adapter = this.registry.get(event.source);
    if (!adapter?.describe) return null;
    try {
      return adapter.describe(eventView(event));
    } catch (error) {
      return {
        error: `the body could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
}

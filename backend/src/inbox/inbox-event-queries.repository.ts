import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository, type SelectQueryBuilder } from 'typeorm';
import { forceIndex } from '../database/force-index';
import { orderByOf, type ListSort } from '../http/pagination';
import type { EventStatus } from './event-status';
import { InboxEventEntity } from './inbox-event.entity';
import { placeholders } from './inbox-sql';

export interface EventFilter {
  source?: string;
  status?: EventStatus;
  type?: string;
  from?: Date;
  to?: Date;
  search?: string;
}

/**
 * The columns the events list may be sorted by (the `sort` whitelist): each has a (workspace, column, created_at)
 * index, and equal values are ordered by time then id, so a page reads the index in order. No sort by attempts
 * or processing time: this table is written on every delivery and run, and indexes on them would cost that path.
 */
export const EVENT_SORT_COLUMNS = {
  receivedAt: 'created_at',
  status: 'status',
  type: 'event_type',
  source: 'source',
} as const;
export type EventSortField = keyof typeof EVENT_SORT_COLUMNS;

/** The columns a list shows: never the body or the history. */
export type EventListRow = Pick<
  InboxEventEntity,
  | 'id'
  | 'source'
  | 'eventType'
  | 'status'
  | 'skipReason'
  | 'summary'
  | 'attempts'
  | 'lastError'
  | 'createdAt'
  | 'processedAt'
  | 'nextAttemptAt'
>;

/** A stored delivery with its body (what a rule dry run reads). */
export interface StoredBodyRow {
  id: string;
  source: string;
  eventType: string;
  contentType: string;
  /** Null for a source outside `filter.bodySources` (its body is not read). */
  rawBody: Buffer | null;
  createdAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST_COLUMNS = [
  'e.id',
  'e.source',
  'e.eventType',
  'e.status',
  'e.skipReason',
  'e.summary',
  'e.attempts',
  'e.lastError',
  'e.createdAt',
  'e.processedAt',
  'e.nextAttemptAt',
];

/** What the console reads about inbox events: one event, pages of a filtered list, counts and ages. */
@Injectable()
export class InboxEventQueriesRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(InboxEventEntity) private readonly repo: Repository<InboxEventEntity>,
  ) {}

  findInWorkspace(workspaceId: string, id: string): Promise<InboxEventEntity | null> {
    return this.repo
      .createQueryBuilder('e')
      .where('e.workspace_id = :workspaceId AND e.id = :id', { workspaceId, id })
      .getOne();
  }
  /** A page of events in `sort`'s order (ties by id); `total` stops counting at `countCap`. */
  async search(
    workspaceId: string,
    filter: EventFilter,
    sort: ListSort<EventSortField>,
    offset: number,
    limit: number,
    countCap: number,
  ): Promise<{ items: EventListRow[]; total: number }> {
    const query = this.filtered(workspaceId, filter);
    const items = await query
      .clone()
      .select(LIST_COLUMNS)
      .orderBy(orderByOf(sort, EVENT_SORT_COLUMNS, 'e', ['created_at', 'id']))
      .offset(offset)
      .limit(limit)
      .getMany();
    const [sql, parameters] = query.clone().select('1').limit(countCap).getQueryAndParameters();
    const [{ total }] = await this.dataSource.query<
      {
        total: string | number;
      }[]
    >(`SELECT COUNT(*) AS total FROM (${sql}) matched`, parameters);
    return { items, total: Number(total) };
  }

  /** Replayable events matching `filter`, by id after `afterId` (a bulk replay walks them in pages). */
  async idsMatching(
    workspaceId: string,
    filter: EventFilter,
    statuses: readonly EventStatus[],
    afterId: string | null,
    limit: number,
  ): Promise<string[]> {
    const query = this.filtered(workspaceId, filter).andWhere('e.status IN (:...statuses)', { statuses });
    if (afterId) query.andWhere('e.id > :afterId', { afterId });
    const rows = await query
      .select('e.id', 'id')
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** The list's matches in its order (newest first) after the row `after`: keyset pages for exports. */
  async pageAfter(
    workspaceId: string,
    filter: EventFilter,
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<EventListRow[]> {
    const query = this.filtered(workspaceId, filter);
    if (after)
      query.andWhere('(e.created_at < :afterAt OR (e.created_at = :afterAt AND e.id < :afterId))', {
        afterAt: after.createdAt,
        afterId: after.id,
      });
    const [sql, parameters] = query
      .select('e.id', 'id')
      .orderBy('e.createdAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit)
      .getQueryAndParameters();
    // forced: else MariaDB skips every earlier row to reach the keyset, each page slower than the last
    const ids = (
      await this.dataSource.query<{ id: string }[]>(
        forceIndex(sql, '`inbox_events` `e`', 'idx_inbox_events_ws_time'),
        parameters,
      )
    ).map((row) => row.id);
    if (ids.length === 0) return [];
    const rows = await this.repo
      .createQueryBuilder('e')
      .select(LIST_COLUMNS)
      .where('e.workspace_id = :workspaceId AND e.id IN (:...ids)', { workspaceId, ids })
      .getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async countMatching(
    workspaceId: string,
    filter: EventFilter,
    statuses: readonly EventStatus[],
  ): Promise<number> {
    return this.filtered(workspaceId, filter).andWhere('e.status IN (:...statuses)', { statuses }).getCount();
  }

  async countByStatus(workspaceId: string, status: EventStatus): Promise<number> {
    return this.repo
      .createQueryBuilder('e')
      .where('e.workspace_id = :workspaceId AND e.status = :status', { workspaceId, status })
      .getCount();
  }

  /** Seconds since the oldest unfinished event of the workspace was received, or null when all are finished. */
  async oldestUnfinishedAgeSeconds(
    workspaceId: string,
    statuses: readonly EventStatus[],
  ): Promise<number | null> {
    const [row] = await this.dataSource.query<{ age: string | number | null }[]>(
      `SELECT TIMESTAMPDIFF(SECOND, MIN(created_at), NOW(3)) AS age FROM inbox_events
        WHERE workspace_id = ? AND status IN (${placeholders(statuses.length)})`,
      [workspaceId, ...statuses],
    );
    return row?.age === null || row?.age === undefined ? null : Number(row.age);
  }

  async lastReceivedAt(workspaceId: string, source: string): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ at: Date | null }[]>(
      `SELECT MAX(created_at) AS at FROM inbox_events WHERE workspace_id = ? AND source = ?`,
      [workspaceId, source],
    );
    return row?.at ?? null;
  }
  /**
   * Stored deliveries of the given sources with their bodies, newest first, after the keyset row `after` (rule
   * dry runs and backtests walk them in pages: one forced-index query per page, bounded memory). With
   * `bodySources`, only the bodies of those sources are read (a backtest counts the others without reading them).
   */
  async bodiesPage(
    workspaceId: string,
    filter: { sources: readonly string[]; from?: Date; to?: Date; bodySources?: readonly string[] },
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<StoredBodyRow[]> {
    const query = this.repo
      .createQueryBuilder('e')
      .select('e.id', 'id')
      .addSelect('e.source', 'source')
      .addSelect('e.event_type', 'eventType')
      .addSelect('e.content_type', 'contentType')
      .addSelect(bodyColumn(filter.bodySources), 'rawBody')
      .addSelect('e.created_at', 'createdAt')
      .where('e.workspace_id = :workspaceId', { workspaceId })
      .andWhere('e.source IN (:...sources)', { sources: filter.sources });
    if (filter.bodySources?.length) query.setParameter('bodySources', filter.bodySources);
    if (filter.from) query.andWhere('e.created_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('e.created_at <= :to', { to: filter.to });
    if (after)
      query.andWhere('(e.created_at < :afterAt OR (e.created_at = :afterAt AND e.id < :afterId))', {
        afterAt: after.createdAt,
        afterId: after.id,
      });
    const [sql, parameters] = query
      .orderBy('e.createdAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit)
      .getQueryAndParameters();
    // forced, as pageAfter: the keyset reads on from where the last page ended
    return this.dataSource.query<StoredBodyRow[]>(
      forceIndex(sql, '`inbox_events` `e`', 'idx_inbox_events_ws_time'),
      parameters,
    );
  }

  private filtered(workspaceId: string, filter: EventFilter): SelectQueryBuilder<InboxEventEntity> {
    const query = this.repo.createQueryBuilder('e').where('e.workspace_id = :workspaceId', { workspaceId });
    if (filter.source) query.andWhere('e.source = :source', { source: filter.source });
    if (filter.status) query.andWhere('e.status = :status', { status: filter.status });
    if (filter.type) query.andWhere('e.event_type = :type', { type: filter.type });
    if (filter.from) query.andWhere('e.created_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('e.created_at <= :to', { to: filter.to });
    if (filter.search) {
      const subjects =
        'e.id IN (SELECT k.event_id FROM inbox_keys k WHERE k.workspace_id = :workspaceId AND k.entity_id = :search)';
      query.andWhere(UUID.test(filter.search) ? `(e.id = :searchId OR ${subjects})` : subjects, {
        search: filter.search,
        searchId: filter.search.toLowerCase(),
      });
    }
    return query;
  }
}

/** The body column of `bodiesPage`: all bodies, or only those of the given sources (NULL for the rest). */
function bodyColumn(sources: readonly string[] | undefined): string {
  if (sources === undefined) return 'e.raw_body';
  return sources.length === 0 ? 'NULL' : 'CASE WHEN e.source IN (:...bodySources) THEN e.raw_body END';
}

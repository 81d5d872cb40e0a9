import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository, type SelectQueryBuilder } from 'typeorm';
import { insertIgnoreStatement } from '../../database/entity-rows';
import { CallResultEntity } from './call-result.entity';
import {
  UNANSWERED_RESULTS,
  type CallDirection,
  type CallResult,
  type CallSource,
} from './call-result.types';

/** At most this many rows per INSERT. */
export const CALL_INSERT_BATCH = 500;

export interface CallSearch {
  from?: Date;
  to?: Date;
  phone?: string;
  result?: CallResult;
  operator?: string;
  direction?: CallDirection;
  source?: CallSource;
}

export interface CallTotals {
  count: number;
  answered: number;
  missed: number;
  durationSeconds: number;
}

export interface CallGroup extends CallTotals {
  key: string;
}

const UNANSWERED = UNANSWERED_RESULTS.map((result) => `'${result}'`).join(', ');
const TOTALS_SQL =
  `COUNT(*) AS count, COALESCE(SUM(c.result = 'answered'), 0) AS answered, ` +
  `COALESCE(SUM(c.result IN (${UNANSWERED})), 0) AS missed, ` +
  `COALESCE(SUM(c.duration_seconds), 0) AS durationSeconds`;

function totalsOf(row: Record<string, unknown> | undefined): CallTotals {
  return {
    count: Number(row?.count ?? 0),
    answered: Number(row?.answered ?? 0),
    missed: Number(row?.missed ?? 0),
    durationSeconds: Number(row?.durationSeconds ?? 0),
  };
}

@Injectable()
export class CallResultsRepository {
  constructor(@InjectRepository(CallResultEntity) private readonly repo: Repository<CallResultEntity>) {}

  /** INSERT IGNORE in batches of ≤ 500: rows whose unique key exists already (or repeats in the batch) are skipped. */
  async insertIgnoring(rows: readonly CallResultEntity[]): Promise<void> {
    const metadata = this.repo.metadata;
    for (let start = 0; start < rows.length; start += CALL_INSERT_BATCH) {
      const batch = rows.slice(start, start + CALL_INSERT_BATCH);
      const { sql, parameters } = insertIgnoreStatement(this.repo.manager, metadata, batch);
      await this.repo.query(sql, parameters);
    }
  }

  /** The rows of these ids that exist (in this workspace). */
  async existingIds(workspaceId: string, ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < ids.length; start += CALL_INSERT_BATCH) {
      const rows = await this.repo.find({
        select: { id: true },
        where: { workspaceId, id: In(ids.slice(start, start + CALL_INSERT_BATCH)) },
      });
      for (const row of rows) found.add(row.id);
    }
    return found;
  }

  /** The stored rows holding these source ids of one source. */
  bySourceIds(
    workspaceId: string,
    source: CallSource,
    sourceIds: readonly string[],
  ): Promise<CallResultEntity[]> {
    if (sourceIds.length === 0) return Promise.resolve([]);
    return this.repo.find({
      select: { id: true, sourceId: true, originRef: true },
      where: { workspaceId, source, sourceId: In([...sourceIds]) },
    });
  }

  /** The stored rows holding these natural keys. */
  byNaturalKeys(workspaceId: string, keys: readonly string[]): Promise<CallResultEntity[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.repo.find({
      select: { id: true, naturalKey: true, originRef: true },
      where: { workspaceId, naturalKey: In([...keys]) },
    });
  }

  findById(workspaceId: string, id: string): Promise<CallResultEntity | null> {
    return this.repo.findOneBy({ workspaceId, id });
  }

  /** A page of the list, newest first, and the totals over every row the filters keep. */
  async search(
    workspaceId: string,
    search: CallSearch,
    offset: number,
    limit: number,
  ): Promise<{ items: CallResultEntity[]; totals: CallTotals }> {
    const qb = this.filtered(workspaceId, search);
    const items = await qb
      .clone()
      .orderBy('c.started_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .offset(offset)
      .limit(limit)
      .getMany();
    const totals = await qb.clone().select(TOTALS_SQL).getRawOne<Record<string, unknown>>();
    return { items, totals: totalsOf(totals) };
  }

  /** Totals per UTC day (`YYYY-MM-DD`) or per operator (`''` for none), at most `maxGroups`, biggest last day first. */
  async summary(
    workspaceId: string,
    search: CallSearch,
    groupBy: 'day' | 'operator',
    maxGroups: number,
  ): Promise<CallGroup[]> {
    const key = groupBy === 'day' ? `DATE_FORMAT(c.started_at, '%Y-%m-%d')` : `COALESCE(c.operator, '')`;
    const qb = this.filtered(workspaceId, search)
      .select(`${key} AS groupKey, ${TOTALS_SQL}`)
      .groupBy('groupKey')
      .limit(maxGroups);
    if (groupBy === 'day') qb.orderBy('groupKey', 'ASC');
    else qb.orderBy('count', 'DESC').addOrderBy('groupKey', 'ASC');
    const rows = await qb.getRawMany<Record<string, unknown>>();
    return rows.map((row) => ({
      key: typeof row.groupKey === 'string' ? row.groupKey : '',
      ...totalsOf(row),
    }));
  }

  /**
   * Unanswered calls of a contact (its mirror id, else its phone) since its last answered call, up to `until`
   * (that call included): what "three unanswered calls in a row" reads.
   */
  async unansweredInRow(
    workspaceId: string,
    who: { contactId: string | null; phone: string | null },
    until: Date,
  ): Promise<number> {
    if (who.contactId === null && who.phone === null) return 0;
    const column = who.contactId !== null ? 'c.contact_id' : 'c.phone';
    const value = who.contactId ?? who.phone;
    const last = await this.repo
      .createQueryBuilder('c')
      .select('MAX(c.started_at)', 'at')
      .where('c.workspace_id = :workspaceId', { workspaceId })
      .andWhere(`${column} = :value`, { value })
      .andWhere(`c.result = 'answered'`)
      .andWhere('c.started_at <= :until', { until })
      .getRawOne<{ at: Date | string | null }>();
    const qb = this.repo
      .createQueryBuilder('c')
      .where('c.workspace_id = :workspaceId', { workspaceId })
      .andWhere(`${column} = :value`, { value })
      .andWhere(`c.result IN (${UNANSWERED})`)
      .andWhere('c.started_at <= :until', { until });
    if (last?.at) qb.andWhere('c.started_at > :after', { after: new Date(last.at) });
    return qb.getCount();
  }

  private filtered(workspaceId: string, search: CallSearch): SelectQueryBuilder<CallResultEntity> {
    const qb = this.repo.createQueryBuilder('c').where('c.workspace_id = :workspaceId', { workspaceId });
    if (search.from) qb.andWhere('c.started_at >= :from', { from: search.from });
    if (search.to) qb.andWhere('c.started_at <= :to', { to: search.to });
    if (search.phone) qb.andWhere('c.phone = :phone', { phone: search.phone });
    if (search.result) qb.andWhere('c.result = :result', { result: search.result });
    if (search.direction) qb.andWhere('c.direction = :direction', { direction: search.direction });
    if (search.source) qb.andWhere('c.source = :source', { source: search.source });
    if (search.operator) qb.andWhere('c.operator = :operator', { operator: search.operator });
    return qb;
  }
}

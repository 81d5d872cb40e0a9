import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { escapeLike } from '../database/like';
import { orderByOf, type ListSort } from '../http/pagination';
import { AuditEntryEntity } from './audit-entry.entity';

/** The columns the audit log may be sorted by (the `sort` whitelist). */
export const AUDIT_SORT_COLUMNS = { at: 'created_at', actor: 'actor_label', action: 'action' } as const;
export type AuditSortField = keyof typeof AUDIT_SORT_COLUMNS;

export interface AuditSearch {
  workspaceId: string;
  from?: Date;
  to?: Date;
  actor?: string;
  action?: string;
  sort: ListSort<AuditSortField>;
  offset: number;
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEntryEntity) private readonly repo: Repository<AuditEntryEntity>) {}

  async insert(entry: AuditEntryEntity): Promise<void> {
    await this.repo.insert(entry);
  }

  async search(search: AuditSearch): Promise<[AuditEntryEntity[], number]> {
    const qb = this.repo
      .createQueryBuilder('a')
      .where('a.workspace_id = :workspaceId', { workspaceId: search.workspaceId });
    if (search.from) qb.andWhere('a.created_at >= :from', { from: search.from });
    if (search.to) qb.andWhere('a.created_at <= :to', { to: search.to });
    if (search.action) qb.andWhere('a.action LIKE :action', { action: `${escapeLike(search.action)}%` });
    if (search.actor) {
      qb.andWhere('(a.actor_label LIKE :actor OR a.actor_id = :actorId)', {
        actor: `%${escapeLike(search.actor)}%`,
        actorId: search.actor,
      });
    }
    return qb
      .orderBy(orderByOf(search.sort, AUDIT_SORT_COLUMNS, 'a'))
      .skip(search.offset)
      .take(search.limit)
      .getManyAndCount();
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../auth/principal';
import { pageOf, sortOf, type Page, type PageQueryDto, type SortOrder } from '../http/pagination';
import { AuditEntryEntity, type AuditDetails } from './audit-entry.entity';
import { AuditRepository, type AuditSortField } from './audit.repository';

export interface AuditRecord {
  /** Defaults to the actor's workspace; null for platform-level actions. */
  workspaceId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: AuditDetails;
}

export interface AuditFilter {
  from?: Date;
  to?: Date;
  actor?: string;
  action?: string;
  sort?: AuditSortField;
  order?: SortOrder;
}

/** The audit log: who changed what, when and from which IP. Secrets never go into `details`. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly audit: AuditRepository) {}

  async record(actor: Actor | null, record: AuditRecord, anonymousLabel?: string): Promise<void> {
    const principal = actor?.principal ?? null;
    const entry = new AuditEntryEntity();
    entry.workspaceId =
      record.workspaceId !== undefined ? record.workspaceId : (principal?.workspaceId ?? null);
    entry.actorType = principal ? principal.kind : actor ? 'anonymous' : 'system';
    entry.actorId = principal?.id ?? null;
    entry.actorLabel = principal?.label ?? anonymousLabel ?? null;
    entry.action = record.action;
    entry.targetType = record.targetType ?? null;
    entry.targetId = record.targetId ?? null;
    entry.details = record.details ?? null;
    entry.ip = actor?.ip ?? null;
    await this.audit.insert(entry);
    this.logger.log({ action: entry.action, actor: entry.actorLabel, target: entry.targetId }, 'audit');
  }

  async search(
    workspaceId: string,
    filter: AuditFilter,
    page: PageQueryDto,
  ): Promise<Page<AuditEntryEntity>> {
    const [items, total] = await this.audit.search({
      workspaceId,
      ...filter,
      sort: sortOf(filter, { field: 'at', order: 'desc' }),
      offset: (page.page - 1) * page.limit,
      limit: page.limit,
    });
    return pageOf(items, total, page);
  }
}

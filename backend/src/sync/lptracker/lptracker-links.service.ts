import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ListSort } from '../../http/pagination';
import type { LptrackerLinkEntity } from './lptracker-link.entity';
import {
  LptrackerLinksRepository,
  type LinkFilters,
  type LinkRow,
  type LinkSortField,
  type LinkSyncRecord,
  type NewLink,
} from './lptracker-links.repository';

export type { LinkFilters, LinkRow, LinkSyncRecord, NewLink } from './lptracker-links.repository';

/**
 * Links LPTracker lead ⇄ amoCRM lead: the only way other modules read or write `lptracker_links` (the
 * LPTracker → amoCRM sync, the amoCRM → LPTracker back-flow, the links list).
 */
@Injectable()
export class LptrackerLinksService {
  constructor(private readonly links: LptrackerLinksRepository) {}

  findByLptrackerLead(workspaceId: string, lptrackerLeadId: number): Promise<LptrackerLinkEntity | null> {
    return this.links.findByLptrackerLead(workspaceId, lptrackerLeadId);
  }

  findByAmocrmLeadIds(workspaceId: string, amocrmLeadIds: readonly number[]): Promise<LptrackerLinkEntity[]> {
    return this.links.findByAmocrmLeadIds(workspaceId, amocrmLeadIds);
  }

  /** Inserts the link; a unique violation (another worker linked this lead first) returns the existing row. */
  insert(link: NewLink, manager?: EntityManager): Promise<{ link: LptrackerLinkEntity; created: boolean }> {
    return this.links.insert(link, manager);
  }

  recordSync(
    workspaceId: string,
    linkId: string,
    record: LinkSyncRecord,
    manager?: EntityManager,
  ): Promise<void> {
    return this.links.recordSync(workspaceId, linkId, record, manager);
  }

  /** A page (from 1) of links, newest first, with the names of their mirror rows. */
  list(
    workspaceId: string,
    filters: LinkFilters,
    sort: ListSort<LinkSortField>,
    page: number,
    limit: number,
  ): Promise<[LinkRow[], number]> {
    return this.links.list(workspaceId, filters, sort, (page - 1) * limit, limit);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFoundProblem } from '../http/problem';
import { pageOf, sortOf, type Page } from '../http/pagination';
import type { LeadQueryDto } from './dto/lead.dto';
import type { LeadEntity } from './lead.entity';
import { LeadsRepository, type LeadData, type LeadSearch } from './leads.repository';

/** A lead's mirror row as a CRM has it: keyed by its amoCRM id. */
export type CrmLeadData = LeadData & { amocrmId: number };

/**
 * The local mirror of leads: reads for client apps (never a CRM, so they work while amoCRM is down) and the row
 * writes the engine (src/sync) and the inbound side (src/amocrm-inbound) make. It knows no CRM: deciding what to
 * write is theirs. Methods taking an `EntityManager` run in the caller's transaction.
 */
@Injectable()
export class LeadsService {
  constructor(private readonly leads: LeadsRepository) {}

  // ---- reads ----

  async list(workspaceId: string, query: LeadQueryDto): Promise<Page<LeadEntity>> {
    const [items, total] = await this.leads.search(workspaceId, {
      ...filterOf(query),
      sort: sortOf(query, { field: 'createdAt', order: 'desc' }),
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    return pageOf(items, total, query);
  }

  /** The list's matches after `after` in the list's order (keyset pages for exports; `page`/`limit` ignored). */
  exportPage(
    workspaceId: string,
    query: LeadQueryDto,
    after: LeadEntity | null,
    limit: number,
  ): Promise<LeadEntity[]> {
    return this.leads.searchAfter(workspaceId, filterOf(query), after, limit);
  }

  /** A lead of the workspace; 404 for another workspace's id. */
  async get(workspaceId: string, id: string): Promise<LeadEntity> {
    const lead = await this.leads.findById(workspaceId, id);
    if (!lead) throw new NotFoundProblem('The lead');
    return lead;
  }

  findByAmocrmId(workspaceId: string, amocrmId: number): Promise<LeadEntity | null> {
    return this.leads.findByAmocrmId(workspaceId, amocrmId);
  }

  /** The newest open (not won or lost, not deleted) lead of this contact with this name, or null. */
  findOpenByContactAndName(workspaceId: string, contactId: string, name: string): Promise<LeadEntity | null> {
    return this.leads.findOpenByContactAndName(workspaceId, contactId, name);
  }

  /** Mirror rows of these amoCRM leads, deleted ones included. */
  /** The newest open (not won or lost, not deleted) lead of this contact, or null. */
  findNewestOpenByContact(workspaceId: string, contactId: string): Promise<LeadEntity | null> {
    return this.leads.findNewestOpenByContact(workspaceId, contactId);
  }

  mirrorRowsOf(workspaceId: string, amocrmIds: readonly number[]): Promise<LeadEntity[]> {
    return this.leads.findByAmocrmIds(workspaceId, amocrmIds);
  }

  // ---- writes outside a transaction (the engine, after its CRM write) ----

  /** Inserts or updates the row of an amoCRM lead (live again if it was deleted). */
  upsertMirrorRow(workspaceId: string, data: CrmLeadData): Promise<LeadEntity> {
    return this.leads.upsertByAmocrmId(workspaceId, data);
  }

  /** Changes some fields of a row. */
  async updateMirrorRow(workspaceId: string, id: string, changes: Partial<LeadData>): Promise<void> {
    await this.leads.update(workspaceId, id, changes);
  }

  /** Marks the row of an amoCRM lead deleted (the lead is gone from the CRM). */
  markDeleted(workspaceId: string, amocrmId: number, at: Date): Promise<boolean> {
    return this.leads.markDeleted(workspaceId, amocrmId, at);
  }

  // ---- writes in the caller's transaction (webhooks, reconciliation) ----

  /** Locks the mirror row of an amoCRM lead in `manager`'s transaction; only for rows known to exist. */
  lockMirrorRow(manager: EntityManager, workspaceId: string, amocrmId: number): Promise<LeadEntity | null> {
    return this.leads.lockByAmocrmId(manager, workspaceId, amocrmId);
  }

  /** Locks the mirror rows of amoCRM leads in one statement (by amoCRM id); only for rows known to exist. */
  lockMirrorRows(
    manager: EntityManager,
    workspaceId: string,
    amocrmIds: readonly number[],
  ): Promise<LeadEntity[]> {
    return this.leads.lockAllByAmocrmId(manager, workspaceId, amocrmIds);
  }

  /** `saveMirrorRow` for several leads in one statement. */
  saveMirrorRows(
    manager: EntityManager,
    workspaceId: string,
    data: readonly CrmLeadData[],
  ): Promise<LeadEntity[]> {
    return this.leads.saveAllByAmocrmId(manager, workspaceId, data);
  }

  /** Inserts the mirror row of an amoCRM lead unless there is one: the row inserted, or null. */
  insertMirrorRowIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: CrmLeadData,
  ): Promise<LeadEntity | null> {
    return this.leads.insertIfAbsent(manager, workspaceId, data);
  }

  /** Inserts the mirror rows of amoCRM leads in one statement: the rows, and how many were new. */
  insertMirrorRowsIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: readonly CrmLeadData[],
  ): Promise<{ rows: LeadEntity[]; inserted: number }> {
    return this.leads.insertAllIfAbsent(manager, workspaceId, data);
  }

  /** Inserts or updates the mirror row of an amoCRM lead (live again if it was deleted; `source` kept). */
  saveMirrorRow(manager: EntityManager, workspaceId: string, data: CrmLeadData): Promise<LeadEntity> {
    return this.leads.upsertByAmocrmId(workspaceId, data, manager);
  }

  markMirrorRowDeleted(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
    at: Date,
  ): Promise<boolean> {
    return this.leads.markDeleted(workspaceId, amocrmId, at, manager);
  }

  /** Links leads (mirror rows known to exist) to a contact where they have no contact yet. */
  linkMirrorRowsToContact(
    manager: EntityManager,
    workspaceId: string,
    leadIds: readonly string[],
    contactId: string,
  ): Promise<number> {
    return this.leads.linkContactWhereNone(manager, workspaceId, leadIds, contactId);
  }
}

function filterOf(query: LeadQueryDto): Omit<LeadSearch, 'offset' | 'limit'> {
  return {
    search: query.search?.trim() || undefined,
    statusId: query.statusId,
    pipelineId: query.pipelineId,
    contactId: query.contactId?.toLowerCase(),
  };
}

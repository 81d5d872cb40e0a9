import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { ContactEntity } from '../../contacts/contact.entity';
import { jsonText } from '../../database/columns';
import { hydrateRow } from '../../database/entity-rows';
import { orderByOf, type ListSort } from '../../http/pagination';
import { LeadEntity } from '../../leads/lead.entity';
import { LptrackerLinkEntity } from './lptracker-link.entity';

/** The columns the list of links may be sorted by (the `sort` whitelist; `c.` is the linked contact). */
export const LINK_SORT_COLUMNS = {
  lptrackerLeadId: 'lptracker_lead_id',
  amocrmLeadId: 'amocrm_lead_id',
  contactName: 'c.name',
  createdAt: 'created_at',
  lastSyncedAt: 'last_synced_at',
} as const;
export type LinkSortField = keyof typeof LINK_SORT_COLUMNS;

/** Filters of `GET /api/v1/links` (any combination; all are ANDed). */
export interface LinkFilters {
  lptrackerLeadId?: number;
  amocrmLeadId?: number;
  /** E.164, matched against the linked mirror contact's phones. */
  phone?: string;
  projectId?: number;
}

/** What a sync records on a link after writing one side (only the given fields change). */
export interface LinkSyncRecord {
  lptrackerStageId?: number | null;
  amocrmPipelineId?: number | null;
  amocrmStatusId?: number | null;
  lastSeen?: Record<string, unknown> | null;
  amocrmContactId?: number | null;
  leadId?: string | null;
  contactId?: string | null;
  direction: 'lptracker_to_amocrm' | 'amocrm_to_lptracker';
}

/** The optional fields of a sync record and their columns (a fixed list: never column names from input). */
const SYNC_COLUMNS: readonly [Exclude<keyof LinkSyncRecord, 'direction'>, string][] = [
  ['lptrackerStageId', 'lptracker_stage_id'],
  ['amocrmPipelineId', 'amocrm_pipeline_id'],
  ['amocrmStatusId', 'amocrm_status_id'],
  ['lastSeen', 'last_seen'],
  ['amocrmContactId', 'amocrm_contact_id'],
  ['leadId', 'lead_id'],
  ['contactId', 'contact_id'],
];

/** A link with the names of its mirror rows, for the list. */
export interface LinkRow {
  link: LptrackerLinkEntity;
  leadName: string | null;
  contactName: string | null;
  phone: string | null;
}

export type NewLink = Pick<
  LptrackerLinkEntity,
  'workspaceId' | 'projectId' | 'lptrackerLeadId' | 'amocrmLeadId' | 'createdAs'
> &
  Partial<
    Pick<
      LptrackerLinkEntity,
      | 'lptrackerContactId'
      | 'amocrmContactId'
      | 'leadId'
      | 'contactId'
      | 'lptrackerStageId'
      | 'amocrmPipelineId'
      | 'amocrmStatusId'
      | 'lastSeen'
      | 'lastDirection'
      | 'lastSyncedAt'
    >
  >;

/** The one repository of `lptracker_links` (the LPTracker → amoCRM sync and the back-flow both go through it). */
@Injectable()
export class LptrackerLinksRepository {
  constructor(
    @InjectRepository(LptrackerLinkEntity) private readonly repo: Repository<LptrackerLinkEntity>,
  ) {}

  private on(manager?: EntityManager): Repository<LptrackerLinkEntity> {
    return manager ? manager.getRepository(LptrackerLinkEntity) : this.repo;
  }

  findByLptrackerLead(workspaceId: string, lptrackerLeadId: number): Promise<LptrackerLinkEntity | null> {
    return this.repo.findOneBy({ workspaceId, lptrackerLeadId });
  }

  /** Plain SQL, hydrated through the entity metadata: the back-flow asks it for the leads of every amoCRM webhook. */
  async findByAmocrmLeadIds(
    workspaceId: string,
    amocrmLeadIds: readonly number[],
  ): Promise<LptrackerLinkEntity[]> {
    const ids = [...new Set(amocrmLeadIds)];
    if (ids.length === 0) return [];
    const rows = await this.repo.query<Record<string, unknown>[]>(
      `SELECT * FROM lptracker_links WHERE workspace_id = ? AND amocrm_lead_id IN (${ids.map(() => '?').join(', ')})`,
      [workspaceId, ...ids],
    );
    const { manager, metadata } = this.repo;
    return rows.map((row) => hydrateRow(manager, metadata, LptrackerLinkEntity.prototype, row));
  }

  findById(workspaceId: string, id: string): Promise<LptrackerLinkEntity | null> {
    return this.repo.findOneBy({ workspaceId, id });
  }

  /**
   * Inserts the link; when a row for this LPTracker lead (or this amoCRM lead) exists already — another worker
   * was first — returns that row instead (the unique keys decide, never a second link).
   */
  async insert(
    link: NewLink,
    manager?: EntityManager,
  ): Promise<{ link: LptrackerLinkEntity; created: boolean }> {
    const entity = Object.assign(new LptrackerLinkEntity(), link);
    try {
      // save: a new id, so one INSERT (insert() cannot type the JSON column).
      const saved = await this.on(manager).save(entity, { reload: false });
      return { link: saved, created: true };
    } catch (error) {
      if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error;
      const existing =
        (await this.on(manager).findOneBy({
          workspaceId: link.workspaceId,
          lptrackerLeadId: link.lptrackerLeadId,
        })) ??
        (await this.on(manager).findOneBy({
          workspaceId: link.workspaceId,
          amocrmLeadId: link.amocrmLeadId,
        }));
      if (!existing) throw error;
      return { link: existing, created: false };
    }
  }

  /** Records a write of one side: the given stage/status/last-seen values, the direction and the time. */
  async recordSync(
    workspaceId: string,
    linkId: string,
    record: LinkSyncRecord,
    manager?: EntityManager,
  ): Promise<void> {
    const sets = ['last_direction = ?', 'last_synced_at = ?'];
    const params: unknown[] = [record.direction, new Date()];
    for (const [field, column] of SYNC_COLUMNS) {
      const value = record[field];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(field === 'lastSeen' ? jsonText.to(value) : value);
    }
    await (manager ?? this.repo.manager).query(
      `UPDATE lptracker_links SET ${sets.join(', ')} WHERE workspace_id = ? AND id = ?`,
      [...params, workspaceId, linkId],
    );
  }

  async list(
    workspaceId: string,
    filters: LinkFilters,
    sort: ListSort<LinkSortField>,
    offset: number,
    limit: number,
  ): Promise<[LinkRow[], number]> {
    const qb = this.repo
      .createQueryBuilder('k')
      .leftJoin(LeadEntity, 'l', 'l.id = k.lead_id AND l.workspace_id = k.workspace_id')
      .leftJoin(ContactEntity, 'c', 'c.id = k.contact_id AND c.workspace_id = k.workspace_id')
      .where('k.workspace_id = :workspaceId', { workspaceId });
    if (filters.lptrackerLeadId !== undefined)
      qb.andWhere('k.lptracker_lead_id = :lpId', { lpId: filters.lptrackerLeadId });
    if (filters.amocrmLeadId !== undefined)
      qb.andWhere('k.amocrm_lead_id = :amoId', { amoId: filters.amocrmLeadId });
    if (filters.projectId !== undefined)
      qb.andWhere('k.project_id = :projectId', { projectId: filters.projectId });
    if (filters.phone !== undefined)
      // any of the linked contact's phones, through their index (none for a deleted contact), then the links of
      // those contacts (ix_lptracker_links_contact)
      qb.andWhere(
        "k.contact_id IN (SELECT i.contact_id FROM contact_identities i WHERE i.workspace_id = :workspaceId AND i.kind = 'phone' AND i.value = :phone)",
        { phone: filters.phone },
      );
    const total = await qb.clone().getCount();
    const raw = await qb
      .select('k.id', 'id')
      .addSelect('l.name', 'leadName')
      .addSelect('c.name', 'contactName')
      .addSelect('c.phone', 'phone')
      .orderBy(orderByOf(sort, LINK_SORT_COLUMNS, 'k'))
      .offset(offset)
      .limit(limit)
      .getRawMany<{
        id: string;
        leadName: string | null;
        contactName: string | null;
        phone: string | null;
      }>();
    const links = raw.length ? await this.repo.findBy({ workspaceId, id: In(raw.map((r) => r.id)) }) : [];
    const byId = new Map(links.map((link) => [link.id, link]));
    const rows: LinkRow[] = [];
    for (const r of raw) {
      const link = byId.get(r.id);
      if (link) rows.push({ link, leadName: r.leadName, contactName: r.contactName, phone: r.phone });
    }
    return [rows, total];
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, In, type EntityManager, type Repository } from 'typeorm';
import { hydrateRow, insertIgnoreStatement, upsertStatement } from '../database/entity-rows';
import { forceIndex } from '../database/force-index';
import { escapeLike } from '../database/like';
import { orderByOf, type ListSort } from '../http/pagination';
import { LeadEntity } from './lead.entity';

/** The columns the list of leads may be sorted by (the `sort` whitelist). */
export const LEAD_SORT_COLUMNS = {
  name: 'name',
  status: 'status_id',
  price: 'price',
  createdAt: 'created_at',
} as const;
export type LeadSortField = keyof typeof LEAD_SORT_COLUMNS;
const NEWEST_FIRST: ListSort<LeadSortField> = { field: 'createdAt', order: 'desc' };

/** amoCRM's closed stages: 142 won, 143 lost. */
export const CLOSED_STATUS_IDS = [142, 143];

export interface LeadSearch {
  search?: string;
  statusId?: number;
  pipelineId?: number;
  contactId?: string;
  /** The list's order (newest first when absent). */
  sort?: ListSort<LeadSortField>;
  offset: number;
  limit: number;
}

export type LeadData = Pick<
  LeadEntity,
  | 'amocrmId'
  | 'name'
  | 'statusId'
  | 'status'
  | 'pipelineId'
  | 'price'
  | 'contactId'
  | 'responsibleUserId'
  | 'customFields'
  | 'tags'
  | 'source'
  | 'syncedAt'
  | 'closedAt'
>;

@Injectable()
export class LeadsRepository {
  constructor(@InjectRepository(LeadEntity) private readonly repo: Repository<LeadEntity>) {}

  findById(workspaceId: string, id: string): Promise<LeadEntity | null> {
    return this.repo.findOneBy({ workspaceId, id });
  }

  findByAmocrmId(workspaceId: string, amocrmId: number): Promise<LeadEntity | null> {
    return this.repo.findOneBy({ workspaceId, amocrmId });
  }

  /** An open (not won or lost, not deleted) lead of this contact with exactly this name. */
  findOpenByContactAndName(workspaceId: string, contactId: string, name: string): Promise<LeadEntity | null> {
    return this.repo.findOne({
      where: [
        { workspaceId, contactId, name, deletedAt: IsNull(), statusId: Not(In(CLOSED_STATUS_IDS)) },
        { workspaceId, contactId, name, deletedAt: IsNull(), statusId: IsNull() },
      ],
      order: { createdAt: 'DESC' },
    });
  }

  /** The newest open (not won or lost, not deleted) lead of this contact. */
  findNewestOpenByContact(workspaceId: string, contactId: string): Promise<LeadEntity | null> {
    return this.repo.findOne({
      where: [
        { workspaceId, contactId, deletedAt: IsNull(), statusId: Not(In(CLOSED_STATUS_IDS)) },
        { workspaceId, contactId, deletedAt: IsNull(), statusId: IsNull() },
      ],
      order: { createdAt: 'DESC' },
    });
  }

  async search(workspaceId: string, search: LeadSearch): Promise<[LeadEntity[], number]> {
    const qb = this.filtered(workspaceId, search);
    const items = await qb
      .clone()
      .orderBy(orderByOf(search.sort ?? NEWEST_FIRST, LEAD_SORT_COLUMNS, 'l'))
      .offset(search.offset)
      .limit(search.limit)
      .getMany();
    return [items, await totalOf(items.length, search, () => qb.getCount())];
  }

  /** The list's matches in its order after the row `after` (keyset pages: what exports read). */
  async searchAfter(
    workspaceId: string,
    search: Omit<LeadSearch, 'offset' | 'limit'>,
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<LeadEntity[]> {
    const qb = this.filtered(workspaceId, search);
    if (after)
      qb.andWhere('(l.created_at < :afterAt OR (l.created_at = :afterAt AND l.id < :afterId))', {
        afterAt: after.createdAt,
        afterId: after.id,
      });
    const [sql, parameters] = qb
      .select('l.id', 'id')
      .orderBy('l.created_at', 'DESC')
      .addOrderBy('l.id', 'DESC')
      .limit(limit)
      .getQueryAndParameters();
    // forced: else MariaDB skips every earlier row to reach the keyset (see ContactsRepository.searchAfter)
    const ids = (
      await this.repo.query<{ id: string }[]>(
        forceIndex(sql, '`leads` `l`', 'idx_leads_workspace_created'),
        parameters,
      )
    ).map((row) => row.id);
    if (ids.length === 0) return [];
    const raw = await this.repo.query<Record<string, unknown>[]>(
      `SELECT * FROM leads WHERE workspace_id = ? AND id IN (${ids.map(() => '?').join(',')})`,
      [workspaceId, ...ids],
    );
    const byId = new Map(
      raw.map((row) => [
        row.id as string,
        hydrateRow(this.repo.manager, this.repo.metadata, LeadEntity.prototype, row),
      ]),
    );
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  private filtered(workspaceId: string, search: Omit<LeadSearch, 'offset' | 'limit'>) {
    const qb = this.repo
      .createQueryBuilder('l')
      .where('l.workspace_id = :workspaceId', { workspaceId })
      .andWhere('l.deleted_at IS NULL');
    if (search.statusId !== undefined) qb.andWhere('l.status_id = :statusId', { statusId: search.statusId });
    if (search.pipelineId !== undefined)
      qb.andWhere('l.pipeline_id = :pipelineId', { pipelineId: search.pipelineId });
    if (search.contactId) qb.andWhere('l.contact_id = :contactId', { contactId: search.contactId });
    if (search.search)
      qb.andWhere('l.name LIKE :contains', { contains: `%${escapeLike(search.search.trim())}%` });
    return qb;
  }

  async insert(workspaceId: string, data: LeadData): Promise<LeadEntity> {
    const lead = this.repo.create({ ...data, workspaceId, deletedAt: null });
    await this.repo.insert(lead);
    return (await this.findById(workspaceId, lead.id)) ?? lead;
  }

  async update(workspaceId: string, id: string, data: Partial<LeadData>): Promise<void> {
    await this.repo.update({ workspaceId, id }, data);
  }

  /** Inserts or updates the mirror row of an amoCRM lead by (workspace, amoCRM id). */
  async upsertByAmocrmId(
    workspaceId: string,
    data: LeadData & { amocrmId: number },
    manager?: EntityManager,
  ): Promise<LeadEntity> {
    const [saved] = await this.saveAllByAmocrmId(manager ?? this.repo.manager, workspaceId, [data]);
    return saved;
  }

  /**
   * Inserts or updates the mirror rows of amoCRM leads by (workspace, amoCRM id) with one multi-row INSERT … ON
   * DUPLICATE KEY UPDATE (live again if deleted; `source` kept), then reads them back in one query: in a transaction
   * a locking (current) read, which a snapshot read is not. Answers the rows in the order of `data`.
   */
  async saveAllByAmocrmId(
    manager: EntityManager,
    workspaceId: string,
    data: readonly (LeadData & { amocrmId: number })[],
  ): Promise<LeadEntity[]> {
    if (data.length === 0) return [];
    const repo = manager.getRepository(LeadEntity);
    const { sql, parameters } = upsertStatement(
      manager,
      repo.metadata,
      data.map((item) => repo.create({ ...item, workspaceId, deletedAt: null })),
      [
        'name',
        'status_id',
        'status',
        'pipeline_id',
        'price',
        'contact_id',
        'responsible_user_id',
        'custom_fields',
        'tags',
        'synced_at',
        'closed_at',
        'deleted_at',
      ],
    );
    await manager.query(sql, parameters);
    const ids = data.map((item) => item.amocrmId);
    const saved = manager.queryRunner?.isTransactionActive
      ? await this.lockAllByAmocrmId(manager, workspaceId, ids)
      : await this.findByAmocrmIds(workspaceId, ids);
    const byId = new Map(saved.map((row) => [row.amocrmId as number, row]));
    return ids.map((id) => byId.get(id) as LeadEntity);
  }

  async markDeleted(
    workspaceId: string,
    amocrmId: number,
    at: Date,
    manager?: EntityManager,
  ): Promise<boolean> {
    const repo = manager ? manager.getRepository(LeadEntity) : this.repo;
    const result = await repo.update({ workspaceId, amocrmId }, { deletedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /** The rows of these amoCRM leads, deleted ones included (plain SQL: a hot path of webhook processing). */
  async findByAmocrmIds(workspaceId: string, amocrmIds: readonly number[]): Promise<LeadEntity[]> {
    const ids = [...new Set(amocrmIds)];
    if (ids.length === 0) return [];
    const rows = await this.repo.query<Record<string, unknown>[]>(
      `SELECT * FROM leads WHERE workspace_id = ? AND amocrm_id IN (${ids.map(() => '?').join(', ')})`,
      [workspaceId, ...ids],
    );
    return rows.map((row) => hydrateRow(this.repo.manager, this.repo.metadata, LeadEntity.prototype, row));
  }

  /**
   * The row of an amoCRM lead, locked (FOR UPDATE) in `manager`'s transaction. Only for rows known to exist: on a
   * missing row InnoDB locks the index gap, which blocks other inserts.
   */
  async lockByAmocrmId(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
  ): Promise<LeadEntity | null> {
    const [row] = await this.lockAllByAmocrmId(manager, workspaceId, [amocrmId]);
    return row ?? null;
  }

  /**
   * The rows of these amoCRM leads, locked (FOR UPDATE, by amoCRM id); only for rows known to exist. The unique key
   * is forced: for a long list MariaDB may read (and so lock) every row of the workspace instead.
   */
  async lockAllByAmocrmId(
    manager: EntityManager,
    workspaceId: string,
    amocrmIds: readonly number[],
  ): Promise<LeadEntity[]> {
    const ids = [...new Set(amocrmIds)];
    if (ids.length === 0) return [];
    const rows = await manager.query<Record<string, unknown>[]>(
      `SELECT * FROM leads FORCE INDEX (uq_leads_workspace_amocrm)
       WHERE workspace_id = ? AND amocrm_id IN (${ids.map(() => '?').join(', ')})
       ORDER BY amocrm_id FOR UPDATE`,
      [workspaceId, ...ids],
    );
    return rows.map((row) => hydrateRow(this.repo.manager, this.repo.metadata, LeadEntity.prototype, row));
  }

  /**
   * Inserts the row of an amoCRM lead unless one exists (INSERT IGNORE): the row as inserted (its timestamps are the
   * database's and not read back), or null when one existed.
   */
  async insertIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: LeadData & { amocrmId: number },
  ): Promise<LeadEntity | null> {
    const { rows, inserted } = await this.insertAllIfAbsent(manager, workspaceId, [data]);
    return inserted > 0 ? rows[0] : null;
  }

  /** One INSERT IGNORE for several rows: the rows as they would be stored, and how many were inserted. */
  async insertAllIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: readonly (LeadData & { amocrmId: number })[],
  ): Promise<{ rows: LeadEntity[]; inserted: number }> {
    if (data.length === 0) return { rows: [], inserted: 0 };
    const repo = manager.getRepository(LeadEntity);
    const rows = data.map((item) => repo.create({ ...item, workspaceId, deletedAt: null }));
    const { sql, parameters } = insertIgnoreStatement(manager, repo.metadata, rows);
    const result = await manager.query<{ affectedRows?: number }>(sql, parameters);
    return { rows, inserted: Number(result.affectedRows ?? 0) };
  }

  /** Links these leads (rows known to exist) to a contact where they have none yet. */
  async linkContactWhereNone(
    manager: EntityManager,
    workspaceId: string,
    leadIds: readonly string[],
    contactId: string,
  ): Promise<number> {
    if (leadIds.length === 0) return 0;
    const result = await manager
      .getRepository(LeadEntity)
      .update({ workspaceId, id: In([...leadIds]), contactId: IsNull() }, { contactId });
    return result.affected ?? 0;
  }
}

/**
 * The total of a paged search without a COUNT query when the page itself tells it: a page that is not full
 * (and not past the end) ends the result. Exact lookups (by phone, e-mail) then cost one query.
 */
async function totalOf(
  pageLength: number,
  search: { offset: number; limit: number },
  count: () => Promise<number>,
): Promise<number> {
  if (pageLength < search.limit && (pageLength > 0 || search.offset === 0)) return search.offset + pageLength;
  return count();
}

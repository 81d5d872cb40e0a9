import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { hydrateRow, insertIgnoreStatement } from '../database/entity-rows';
import { forceIndex } from '../database/force-index';
import { escapeLike } from '../database/like';
import { ContactEntity } from './contact.entity';

export interface ContactSearch {
  search?: string;
  /** Exact E.164 phone. */
  phone?: string;
  /** Exact lower-case e-mail. */
  email?: string;
  offset: number;
  limit: number;
}

/** The fields a sync from amoCRM or a local write sets on a contact. */
export type ContactData = Pick<
  ContactEntity,
  | 'amocrmId'
  | 'name'
  | 'phone'
  | 'email'
  | 'phones'
  | 'emails'
  | 'responsibleUserId'
  | 'customFields'
  | 'syncedAt'
>;

@Injectable()
export class ContactsRepository {
  constructor(@InjectRepository(ContactEntity) private readonly repo: Repository<ContactEntity>) {}

  findById(workspaceId: string, id: string): Promise<ContactEntity | null> {
    return this.repo.findOneBy({ workspaceId, id });
  }

  findByAmocrmId(workspaceId: string, amocrmId: number): Promise<ContactEntity | null> {
    return this.repo.findOneBy({ workspaceId, amocrmId });
  }

  /** Live (not deleted) contacts with this main phone, oldest first. */
  findByPhone(workspaceId: string, phone: string): Promise<ContactEntity[]> {
    return this.repo.find({
      where: { workspaceId, phone, deletedAt: IsNull() },
      order: { createdAt: 'ASC' },
      take: 10,
    });
  }

  findByEmail(workspaceId: string, email: string): Promise<ContactEntity[]> {
    return this.repo.find({
      where: { workspaceId, email, deletedAt: IsNull() },
      order: { createdAt: 'ASC' },
      take: 10,
    });
  }

  async search(workspaceId: string, search: ContactSearch): Promise<[ContactEntity[], number]> {
    if ((search.phone || search.email) && !search.search) return this.searchExact(workspaceId, search);
    const qb = this.filtered(workspaceId, search);
    const items = await qb
      .clone()
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .offset(search.offset)
      .limit(search.limit)
      .getMany();
    return [items, await totalOf(items.length, search, () => qb.getCount())];
  }

  /**
   * The list's matches in its order (newest first) after the row `after` (keyset: no offset to skip, so walking
   * a million rows page by page stays cheap): what exports read.
   */
  async searchAfter(
    workspaceId: string,
    search: Omit<ContactSearch, 'offset' | 'limit'>,
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<ContactEntity[]> {
    const qb = this.filtered(workspaceId, search);
    if (after)
      qb.andWhere('(c.created_at < :afterAt OR (c.created_at = :afterAt AND c.id < :afterId))', {
        afterAt: after.createdAt,
        afterId: after.id,
      });
    const [sql, parameters] = qb
      .select('c.id', 'id')
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit)
      .getQueryAndParameters();
    // MariaDB reads this keyset through the workspace prefix of the index and skips every earlier row (each page
    // slower than the last); forced, it starts at the keyset: a page of a million-row export stays ~ms
    const ids = (
      await this.repo.query<{ id: string }[]>(
        forceIndex(sql, '`contacts` `c`', 'idx_contacts_workspace_created'),
        parameters,
      )
    ).map((row) => row.id);
    if (ids.length === 0) return [];
    // plain SQL and hydration through the metadata: TypeORM's own hydration costs more than the query
    const raw = await this.repo.query<Record<string, unknown>[]>(
      `SELECT * FROM contacts WHERE workspace_id = ? AND id IN (${ids.map(() => '?').join(',')})`,
      [workspaceId, ...ids],
    );
    const byId = new Map(raw.map((row) => [row.id as string, this.hydrate(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  private filtered(workspaceId: string, search: Omit<ContactSearch, 'offset' | 'limit'>) {
    const qb = this.repo
      .createQueryBuilder('c')
      .where('c.workspace_id = :workspaceId', { workspaceId })
      .andWhere('c.deleted_at IS NULL');
    if (search.phone) qb.andWhere('c.phone = :phone', { phone: search.phone });
    if (search.email) qb.andWhere('c.email = :email', { email: search.email });
    if (search.search) {
      const text = search.search.trim();
      const digits = text.replace(/\D/g, '');
      qb.andWhere(
        digits.length >= 5
          ? '(c.name LIKE :contains OR c.phone LIKE :digits OR c.email LIKE :prefix)'
          : '(c.name LIKE :contains OR c.email LIKE :prefix)',
        {
          contains: `%${escapeLike(text)}%`,
          prefix: `${escapeLike(text.toLowerCase())}%`,
          digits: `%${digits}%`,
        },
      );
    }
    return qb;
  }

  /**
   * Exact lookups by phone and/or e-mail (the hot path of client apps) in plain SQL on the indexes: TypeORM's
   * query builder and hydration cost more CPU than the query itself. Rows are hydrated through the entity
   * metadata, so column transformers apply as usual.
   */
  private async searchExact(workspaceId: string, search: ContactSearch): Promise<[ContactEntity[], number]> {
    const conditions = ['workspace_id = ?', 'deleted_at IS NULL'];
    const parameters: unknown[] = [workspaceId];
    if (search.phone) {
      conditions.push('phone = ?');
      parameters.push(search.phone);
    }
    if (search.email) {
      conditions.push('email = ?');
      parameters.push(search.email);
    }
    const where = conditions.join(' AND ');
    const rows = await this.repo.query<Record<string, unknown>[]>(
      `SELECT * FROM contacts WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      [...parameters, search.limit, search.offset],
    );
    const items = rows.map((row) => this.hydrate(row));
    const total = await totalOf(items.length, search, async () => {
      const [row] = await this.repo.query<{ total: unknown }[]>(
        `SELECT COUNT(*) AS total FROM contacts WHERE ${where}`,
        parameters,
      );
      return Number(row?.total ?? 0);
    });
    return [items, total];
  }

  private hydrate(row: Record<string, unknown>): ContactEntity {
    const entity = Object.create(ContactEntity.prototype) as Record<string, unknown>;
    for (const column of this.repo.metadata.columns) {
      const raw = row[column.databaseName];
      const transformer = column.transformer;
      entity[column.propertyName] = transformer && !Array.isArray(transformer) ? transformer.from(raw) : raw;
    }
    return entity as unknown as ContactEntity;
  }

  async insert(workspaceId: string, data: ContactData, source: string | null = null): Promise<ContactEntity> {
    const contact = this.repo.create({ ...data, workspaceId, source, deletedAt: null });
    await this.repo.insert(contact);
    return (await this.findById(workspaceId, contact.id)) ?? contact;
  }

  async update(workspaceId: string, id: string, data: Partial<ContactData>): Promise<void> {
    await this.repo.update({ workspaceId, id }, data);
  }

  /**
   * Inserts or updates the mirror row of an amoCRM contact, keyed by (workspace, amoCRM id); safe when two
   * processes do it at once (the unique index decides). `source` is set on insert only.
   */
  async upsertByAmocrmId(
    workspaceId: string,
    data: ContactData & { amocrmId: number },
    source: string | null = null,
    manager?: EntityManager,
  ): Promise<ContactEntity> {
    const repo = manager ? manager.getRepository(ContactEntity) : this.repo;
    const row = repo.create({ ...data, workspaceId, source, deletedAt: null });
    await repo
      .createQueryBuilder()
      .insert()
      .into(ContactEntity)
      .values(row)
      .orUpdate(
        [
          'name',
          'phone',
          'email',
          'phones',
          'emails',
          'responsible_user_id',
          'custom_fields',
          'synced_at',
          'deleted_at',
        ],
        ['workspace_id', 'amocrm_id'],
      )
      .execute();
    return (await repo.findOneBy({ workspaceId, amocrmId: data.amocrmId })) as ContactEntity;
  }

  /** Marks the row deleted (the contact is gone from amoCRM). */
  async markDeleted(
    workspaceId: string,
    amocrmId: number,
    at: Date,
    manager?: EntityManager,
  ): Promise<boolean> {
    const repo = manager ? manager.getRepository(ContactEntity) : this.repo;
    const result = await repo.update({ workspaceId, amocrmId }, { deletedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /** The rows of these amoCRM contacts, deleted ones included (plain SQL: a hot path of webhook processing). */
  async findByAmocrmIds(workspaceId: string, amocrmIds: readonly number[]): Promise<ContactEntity[]> {
    const ids = [...new Set(amocrmIds)];
    if (ids.length === 0) return [];
    const rows = await this.repo.query<Record<string, unknown>[]>(
      `SELECT * FROM contacts WHERE workspace_id = ? AND amocrm_id IN (${ids.map(() => '?').join(', ')})`,
      [workspaceId, ...ids],
    );
    return rows.map((row) => hydrateRow(this.repo.manager, this.repo.metadata, ContactEntity.prototype, row));
  }

  /**
   * The row of an amoCRM contact, locked (FOR UPDATE) in `manager`'s transaction. Only for rows known to exist:
   * on a missing row InnoDB locks the index gap, which blocks other inserts.
   */
  lockByAmocrmId(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
  ): Promise<ContactEntity | null> {
    return manager
      .getRepository(ContactEntity)
      .findOne({ where: { workspaceId, amocrmId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Inserts the row of an amoCRM contact unless one exists (INSERT IGNORE): the row as inserted (its timestamps are
   * the database's and not read back), or null when one existed.
   */
  async insertIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: ContactData & { amocrmId: number },
    source: string | null,
  ): Promise<ContactEntity | null> {
    const { rows, inserted } = await this.insertAllIfAbsent(manager, workspaceId, [data], source);
    return inserted > 0 ? rows[0] : null;
  }

  /** One INSERT IGNORE for several rows: the rows as they would be stored, and how many were inserted. */
  async insertAllIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: readonly (ContactData & { amocrmId: number })[],
    source: string | null,
  ): Promise<{ rows: ContactEntity[]; inserted: number }> {
    if (data.length === 0) return { rows: [], inserted: 0 };
    const repo = manager.getRepository(ContactEntity);
    const rows = data.map((item) => repo.create({ ...item, workspaceId, source, deletedAt: null }));
    const { sql, parameters } = insertIgnoreStatement(manager, repo.metadata, rows);
    const result = await manager.query<{ affectedRows?: number }>(sql, parameters);
    return { rows, inserted: Number(result.affectedRows ?? 0) };
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

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { hydrateRow, insertIgnoreStatement } from '../database/entity-rows';
import { forceIndex } from '../database/force-index';
import { orderByOf, type ListSort } from '../http/pagination';
import {
  ContactIdentitiesRepository,
  IDENTITY_FIELDS,
  type IdentityFields,
} from './contact-identities.repository';
import type { ContactIdentityKind } from './contact-identity.entity';
import { applyContactFilters, type ContactFilters } from './contact-search-filters';
import { ContactEntity } from './contact.entity';
import { searchExact, type ExactSearchDeps } from './contact-exact-search';
import { contactRowsByAmocrmId, IDENTITY_COLUMNS, upsertContactRows } from './contact-mirror-rows';

/** The columns the list of contacts may be sorted by (the `sort` whitelist). */
export const CONTACT_SORT_COLUMNS = {
  name: 'name',
  phone: 'phone',
  email: 'email',
  createdAt: 'created_at',
} as const;
export type ContactSortField = keyof typeof CONTACT_SORT_COLUMNS;
const NEWEST_FIRST: ListSort<ContactSortField> = { field: 'createdAt', order: 'desc' };

export interface ContactSearch extends ContactFilters {
  /** The list's order (newest first when absent). */
  sort?: ListSort<ContactSortField>;
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
  constructor(
    @InjectRepository(ContactEntity) private readonly repo: Repository<ContactEntity>,
    private readonly identities: ContactIdentitiesRepository,
  ) {}

  /** What the exact lookups (contact-exact-search.ts) read with. */
  private readonly exact: ExactSearchDeps = {
    query: (sql, parameters) => this.repo.query(sql, parameters),
    hydrate: (row) => this.hydrate(row),
    columns: CONTACT_SORT_COLUMNS,
  };

  findById(workspaceId: string, id: string): Promise<ContactEntity | null> {
    return this.repo.findOneBy({ workspaceId, id });
  }

  findByAmocrmId(workspaceId: string, amocrmId: number): Promise<ContactEntity | null> {
    return this.repo.findOneBy({ workspaceId, amocrmId });
  }

  /**
   * Live (not deleted) contacts with this phone among their phones, oldest first: by amoCRM id, as the engine picks
   * among amoCRM's hits, so the mirror and amoCRM answer the same contact; then by when the row was made.
   */
  findByPhone(workspaceId: string, phone: string): Promise<ContactEntity[]> {
    return this.findByIdentity(workspaceId, 'phone', phone);
  }

  /** Live contacts with this e-mail among their e-mails, oldest first. */
  findByEmail(workspaceId: string, email: string): Promise<ContactEntity[]> {
    return this.findByIdentity(workspaceId, 'email', email);
  }

  /** One query on the identities' primary key, joined to the contacts by primary key. */
  private async findByIdentity(
    workspaceId: string,
    kind: ContactIdentityKind,
    value: string,
  ): Promise<ContactEntity[]> {
    const rows = await this.repo.query<Record<string, unknown>[]>(
      `SELECT c.* FROM contact_identities i JOIN contacts c ON c.id = i.contact_id
        WHERE i.workspace_id = ? AND i.kind = ? AND i.value = ? AND c.workspace_id = ? AND c.deleted_at IS NULL
        ORDER BY c.amocrm_id IS NULL, c.amocrm_id, c.created_at, c.id LIMIT 10`,
      [workspaceId, kind, value, workspaceId],
    );
    return rows.map((row) => this.hydrate(row));
  }

  async search(workspaceId: string, search: ContactSearch): Promise<[ContactEntity[], number]> {
    if ((search.phone || search.email) && !search.search)
      return searchExact(this.exact, workspaceId, { ...search, sort: search.sort ?? NEWEST_FIRST });
    const qb = this.filtered(workspaceId, search);
    const items = await qb
      .clone()
      .orderBy(orderByOf(search.sort ?? NEWEST_FIRST, CONTACT_SORT_COLUMNS, 'c'))
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

  private filtered(workspaceId: string, search: ContactFilters) {
    const qb = this.repo
      .createQueryBuilder('c')
      .where('c.workspace_id = :workspaceId', { workspaceId })
      .andWhere('c.deleted_at IS NULL');
    return applyContactFilters(qb, search);
  }

  private hydrate(row: Record<string, unknown>): ContactEntity {
    return hydrateRow(this.repo.manager, this.repo.metadata, ContactEntity.prototype, row);
  }

  /** Changes some fields of a row; its identities follow in the same transaction when a phone or e-mail is among them. */
  async update(workspaceId: string, id: string, data: Partial<ContactData>): Promise<void> {
    if (!IDENTITY_FIELDS.some((field) => data[field] !== undefined)) {
      await this.repo.update({ workspaceId, id }, data);
      return;
    }
    await this.repo.manager.transaction(async (manager) => {
      const repo = manager.getRepository(ContactEntity);
      const before = await repo.findOne({ where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
      if (!before) return;
      await repo.update({ workspaceId, id }, data);
      await this.identities.replace(manager, workspaceId, id, before, { ...before, ...data });
    });
  }

  /**
   * Inserts or updates the mirror row of an amoCRM contact by (workspace, amoCRM id); `source` is set on insert only.
   * Without `manager` a new row is inserted in a transaction of its own (INSERT IGNORE: no lock on a missing row's
   * index gap, which concurrent creates would deadlock on), an existing one updated in a second.
   */
  async upsertByAmocrmId(
    workspaceId: string,
    data: ContactData & { amocrmId: number },
    source: string | null = null,
    manager?: EntityManager,
  ): Promise<ContactEntity> {
    if (manager) return (await this.saveAllByAmocrmId(manager, workspaceId, [data], source))[0];
    const made = await this.repo.manager.transaction((own) =>
      this.insertIfAbsent(own, workspaceId, data, source),
    );
    if (made) return (await this.findById(workspaceId, made.id)) ?? made;
    const [saved] = await this.repo.manager.transaction((own) =>
      this.saveAllByAmocrmId(own, workspaceId, [data], source),
    );
    return saved;
  }

  /**
   * Inserts or updates the mirror rows of amoCRM contacts in `manager`'s transaction with one multi-row INSERT … ON
   * DUPLICATE KEY UPDATE (`source` set on insert only), reads them back with one locking read and brings their
   * identities in step (one DELETE, one INSERT for all). `before`: the rows as the caller locked and read them
   * (keyed by amoCRM id); without it they are locked and read here. Answers the rows in the order of `data`.
   */
  async saveAllByAmocrmId(
    manager: EntityManager,
    workspaceId: string,
    data: readonly (ContactData & { amocrmId: number })[],
    source: string | null,
    before?: ReadonlyMap<number, IdentityFields & { id: string }>,
  ): Promise<ContactEntity[]> {
    if (data.length === 0) return [];
    const ids = data.map((item) => item.amocrmId);
    // what the identities were made from; the callers in a transaction hold this lock already
    const had =
      before ?? byAmocrmId(await this.lockAllByAmocrmId(manager, workspaceId, ids, IDENTITY_COLUMNS));
    await upsertContactRows(manager, workspaceId, data, source);
    // a locking (current) read: a snapshot read would miss a row another transaction made after ours began
    const saved = byAmocrmId(await this.lockAllByAmocrmId(manager, workspaceId, ids));
    const rows = ids.map((id) => saved.get(id) as ContactEntity);
    const changes = rows.map((after) => ({
      contactId: after.id,
      before: had.get(after.amocrmId as number) ?? null,
      after,
    }));
    await this.identities.replaceAll(manager, workspaceId, changes);
    return rows;
  }

  /** The rows of these amoCRM contacts (`columns` of them), locked (FOR UPDATE, by id); only rows known to exist. */
  lockAllByAmocrmId(
    manager: EntityManager,
    workspaceId: string,
    amocrmIds: readonly number[],
    columns = '*',
  ): Promise<ContactEntity[]> {
    return contactRowsByAmocrmId(manager, workspaceId, amocrmIds, columns, true);
  }

  /** Marks the row deleted (the contact is gone from amoCRM); its phones and e-mails stop matching. */
  async markDeleted(
    workspaceId: string,
    amocrmId: number,
    at: Date,
    manager?: EntityManager,
  ): Promise<boolean> {
    const mark = async (own: EntityManager): Promise<boolean> => {
      const before = await this.lockIdentityFields(own, workspaceId, amocrmId);
      if (!before) return false;
      await own.getRepository(ContactEntity).update({ workspaceId, id: before.id }, { deletedAt: at });
      await this.identities.replace(own, workspaceId, before.id, before, null);
      return true;
    };
    return manager ? mark(manager) : this.repo.manager.transaction(mark);
  }

  /** The rows of these amoCRM contacts, deleted ones included (plain SQL: a hot path of webhook processing). */
  findByAmocrmIds(workspaceId: string, amocrmIds: readonly number[]): Promise<ContactEntity[]> {
    return contactRowsByAmocrmId(this.repo.manager, workspaceId, amocrmIds, '*', false);
  }

  /**
   * The row of an amoCRM contact, locked (FOR UPDATE) in `manager`'s transaction. Only for rows known to exist:
   * on a missing row InnoDB locks the index gap, which blocks other inserts.
   */
  async lockByAmocrmId(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
  ): Promise<ContactEntity | null> {
    const [row] = await this.lockAllByAmocrmId(manager, workspaceId, [amocrmId]);
    return row ?? null;
  }

  /** The row's id and what its identities are made from, locked (FOR UPDATE; plain SQL: on every mirror write). */
  private async lockIdentityFields(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
  ): Promise<(IdentityFields & { id: string }) | null> {
    const [row] = await this.lockAllByAmocrmId(manager, workspaceId, [amocrmId], IDENTITY_COLUMNS);
    return row ?? null;
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
    const inserted = Number(result.affectedRows ?? 0);
    await this.identities.insertForInserted(manager, workspaceId, rows, inserted);
    return { rows, inserted };
  }
}

/**
 * The total of a paged search without a COUNT query when the page itself tells it: a page that is not full
 * (and not past the end) ends the result. Exact lookups (by phone, e-mail) then cost one query.
 */
function byAmocrmId(rows: readonly ContactEntity[]): Map<number, ContactEntity> {
  return new Map(rows.map((row) => [row.amocrmId as number, row]));
}

async function totalOf(
  pageLength: number,
  search: { offset: number; limit: number },
  count: () => Promise<number>,
): Promise<number> {
  if (pageLength < search.limit && (pageLength > 0 || search.offset === 0)) return search.offset + pageLength;
  return count();
}

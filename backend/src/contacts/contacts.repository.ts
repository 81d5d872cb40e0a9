import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
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
  'amocrmId' | 'name' | 'phone' | 'email' | 'phones' | 'emails' | 'responsibleUserId' | 'customFields' | 'syncedAt'
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
    return this.repo.find({ where: { workspaceId, phone, deletedAt: IsNull() }, order: { createdAt: 'ASC' }, take: 10 });
  }

  findByEmail(workspaceId: string, email: string): Promise<ContactEntity[]> {
    return this.repo.find({ where: { workspaceId, email, deletedAt: IsNull() }, order: { createdAt: 'ASC' }, take: 10 });
  }

  async search(workspaceId: string, search: ContactSearch): Promise<[ContactEntity[], number]> {
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
        { contains: `%${escapeLike(text)}%`, prefix: `${escapeLike(text.toLowerCase())}%`, digits: `%${digits}%` },
      );
    }
    return qb
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .skip(search.offset)
      .take(search.limit)
      .getManyAndCount();
  }

  async insert(workspaceId: string, data: ContactData): Promise<ContactEntity> {
    const contact = this.repo.create({ ...data, workspaceId, deletedAt: null });
    await this.repo.insert(contact);
    return (await this.findById(workspaceId, contact.id)) ?? contact;
  }

  async update(workspaceId: string, id: string, data: Partial<ContactData>): Promise<void> {
    await this.repo.update({ workspaceId, id }, data);
  }

  /**
   * Inserts or updates the mirror row of an amoCRM contact, keyed by (workspace, amoCRM id); safe when two
   * processes do it at once (the unique index decides).
   */
  async upsertByAmocrmId(workspaceId: string, data: ContactData & { amocrmId: number }): Promise<ContactEntity> {
    const row = this.repo.create({ ...data, workspaceId, deletedAt: null });
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(ContactEntity)
      .values(row)
      .orUpdate(['name', 'phone', 'email', 'phones', 'emails', 'responsible_user_id', 'custom_fields', 'synced_at', 'deleted_at'], [
        'workspace_id',
        'amocrm_id',
      ])
      .execute();
    return (await this.findByAmocrmId(workspaceId, data.amocrmId)) as ContactEntity;
  }

  async markDeleted(workspaceId: string, amocrmId: number, at: Date): Promise<boolean> {
    const result = await this.repo.update({ workspaceId, amocrmId }, { deletedAt: at });
    return (result.affected ?? 0) > 0;
  }
}

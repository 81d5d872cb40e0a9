import { Injectable } from '@nestjs/common';
import type { CountryCode } from 'libphonenumber-js';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { NotFoundProblem, ValidationProblem } from '../http/problem';
import { pageOf, sortOf, type Page } from '../http/pagination';
import type { ContactEntity } from './contact.entity';
import type { ContactFilters } from './contact-search-filters';
import { ContactsRepository, type ContactData } from './contacts.repository';
import type { ContactQueryDto } from './dto/contact.dto';
import { normalizeEmail, normalizePhone } from './phone';

/** A contact's mirror row as a CRM has it: keyed by its amoCRM id. */
export type CrmContactData = ContactData & { amocrmId: number };

/**
 * The local mirror of contacts: reads for client apps (never a CRM, so they work while amoCRM is down) and the
 * row writes the engine (src/sync) and the inbound side (src/amocrm-inbound) make. It knows no CRM: deciding
 * what to write is theirs. Methods taking an `EntityManager` run in the caller's transaction.
 */
@Injectable()
export class ContactsService {
  private readonly region: CountryCode;

  constructor(
    config: AppConfig,
    private readonly contacts: ContactsRepository,
  ) {
    this.region = config.defaultPhoneRegion;
  }

  // ---- reads ----

  async list(workspaceId: string, query: ContactQueryDto): Promise<Page<ContactEntity>> {
    const [items, total] = await this.contacts.search(workspaceId, {
      ...this.filterOf(query),
      sort: sortOf(query, { field: 'createdAt', order: 'desc' }),
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    return pageOf(items, total, query);
  }

  /** The list's matches after `after` in the list's order (keyset pages for exports; `page`/`limit` ignored). */
  exportPage(
    workspaceId: string,
    query: ContactQueryDto,
    after: ContactEntity | null,
    limit: number,
  ): Promise<ContactEntity[]> {
    return this.contacts.searchAfter(workspaceId, this.filterOf(query), after, limit);
  }

  private filterOf(query: ContactQueryDto): ContactFilters {
    let phone: string | undefined;
    if (query.phone !== undefined && query.phone.trim() !== '') {
      phone = normalizePhone(query.phone, this.region) ?? undefined;
      if (!phone)
        throw new ValidationProblem([
          { field: 'phone', code: 'phone', message: 'phone is not a valid phone number' },
        ]);
    }
    const email =
      query.email !== undefined && query.email.trim() !== '' ? normalizeEmail(query.email) : undefined;
    const search = query.search?.trim() || undefined;
    // a free text that is a phone in any format matches any of a contact's phones (E.164, as they are indexed)
    const searchPhone = search ? (normalizePhone(search, this.region) ?? undefined) : undefined;
    return { search, searchPhone, phone, email };
  }

  /** A contact of the workspace; 404 for another workspace's id. */
  async get(workspaceId: string, id: string): Promise<ContactEntity> {
    const contact = await this.contacts.findById(workspaceId, id);
    if (!contact) throw new NotFoundProblem('The contact');
    return contact;
  }

  /** The oldest live contact with this E.164 number among its phones (any of them, not only the main one), or null. */
  async findByPhone(workspaceId: string, phone: string): Promise<ContactEntity | null> {
    const [contact] = await this.contacts.findByPhone(workspaceId, phone);
    return contact ?? null;
  }

  /** The oldest live contact with this lower-case address among its e-mails, or null. */
  async findByEmail(workspaceId: string, email: string): Promise<ContactEntity | null> {
    const [contact] = await this.contacts.findByEmail(workspaceId, email);
    return contact ?? null;
  }

  /** Mirror rows of these amoCRM contacts, deleted ones included. */
  mirrorRowsOf(workspaceId: string, amocrmIds: readonly number[]): Promise<ContactEntity[]> {
    return this.contacts.findByAmocrmIds(workspaceId, amocrmIds);
  }

  // ---- writes outside a transaction (the engine, after its CRM write) ----

  /** Inserts or updates the row of an amoCRM contact (live again if it was deleted); `source` is set on insert. */
  upsertMirrorRow(
    workspaceId: string,
    data: CrmContactData,
    source: string | null = null,
  ): Promise<ContactEntity> {
    return this.contacts.upsertByAmocrmId(workspaceId, data, source);
  }

  /** Changes some fields of a row. */
  async updateMirrorRow(workspaceId: string, id: string, changes: Partial<ContactData>): Promise<void> {
    await this.contacts.update(workspaceId, id, changes);
  }

  /** Marks the row of an amoCRM contact deleted (the contact is gone from the CRM). */
  markDeleted(workspaceId: string, amocrmId: number, at: Date): Promise<boolean> {
    return this.contacts.markDeleted(workspaceId, amocrmId, at);
  }

  // ---- writes in the caller's transaction (webhooks, reconciliation) ----

  /** Locks the mirror row of an amoCRM contact in `manager`'s transaction; only for rows known to exist. */
  lockMirrorRow(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
  ): Promise<ContactEntity | null> {
    return this.contacts.lockByAmocrmId(manager, workspaceId, amocrmId);
  }

  /** Locks the mirror rows of amoCRM contacts in one statement (by amoCRM id); only for rows known to exist. */
  lockMirrorRows(
    manager: EntityManager,
    workspaceId: string,
    amocrmIds: readonly number[],
  ): Promise<ContactEntity[]> {
    return this.contacts.lockAllByAmocrmId(manager, workspaceId, amocrmIds);
  }

  /** `saveMirrorRow` for several contacts in one statement; `before`: their rows as locked by the caller. */
  saveMirrorRows(
    manager: EntityManager,
    workspaceId: string,
    data: readonly CrmContactData[],
    source: string,
    before: ReadonlyMap<number, ContactEntity>,
  ): Promise<ContactEntity[]> {
    return this.contacts.saveAllByAmocrmId(manager, workspaceId, data, source, before);
  }

  /** Inserts the mirror row of an amoCRM contact unless there is one: the row inserted, or null. */
  insertMirrorRowIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: CrmContactData,
    source: string,
  ): Promise<ContactEntity | null> {
    return this.contacts.insertIfAbsent(manager, workspaceId, data, source);
  }

  /** Inserts the mirror rows of amoCRM contacts in one statement: the rows, and how many were new. */
  insertMirrorRowsIfAbsent(
    manager: EntityManager,
    workspaceId: string,
    data: readonly CrmContactData[],
    source: string,
  ): Promise<{ rows: ContactEntity[]; inserted: number }> {
    return this.contacts.insertAllIfAbsent(manager, workspaceId, data, source);
  }

  /** Inserts or updates the mirror row of an amoCRM contact (live again if it was deleted). */
  saveMirrorRow(
    manager: EntityManager,
    workspaceId: string,
    data: CrmContactData,
    source: string,
  ): Promise<ContactEntity> {
    return this.contacts.upsertByAmocrmId(workspaceId, data, source, manager);
  }

  markMirrorRowDeleted(
    manager: EntityManager,
    workspaceId: string,
    amocrmId: number,
    at: Date,
  ): Promise<boolean> {
    return this.contacts.markDeleted(workspaceId, amocrmId, at, manager);
  }
}

import type { AccountData } from './account-data';
import type { ChangeLog } from './change-log';
import { applyCustomFieldWrites, customFieldTexts, renderCustomFields } from './custom-field-values';
import type { ContactJson, ContactRecord, EmbeddedRefJson } from './entity-records';
import {
  defaultResponsible,
  markDeleted,
  readBatch,
  readCommonWrite,
  readName,
  requestIdOf,
  type CommonWrite,
} from './entity-writes';
import { matchesFuzzyQuery } from './fuzzy-search';
import { asInteger, isRecord } from './json-input';
import { inTimeRange, sortBy, type Ordering, type TimeRange } from './list-query';
import { BatchValidation, httpProblem, type EntityIssues } from './problems';
import { nowSeconds } from './sandbox-runtime';

export const CONTACT_ORDER_FIELDS = ['id', 'created_at', 'updated_at'] as const;
export type ContactOrderField = (typeof CONTACT_ORDER_FIELDS)[number];

export interface ContactCriteria {
  query?: string;
  ids?: Set<number>;
  names?: string[];
  responsibleUserIds?: Set<number>;
  createdAt?: TimeRange;
  updatedAt?: TimeRange;
  modifiedSince?: number;
  ordering?: Ordering<ContactOrderField>;
}

export interface PreparedContact {
  requestId: string;
  common: CommonWrite;
  firstName?: string;
  lastName?: string;
}

export interface ContactWriteResult {
  record: ContactRecord;
  requestId: string;
}

/** Contacts of one account: search, validated batch writes, manager-side changes, v4 rendering. */
export class ContactsService {
  constructor(private readonly data: AccountData) {}

  find(criteria: ContactCriteria): ContactRecord[] {
    const matches = [...this.data.contacts.values()].filter(
      (contact) =>
        !contact.isDeleted &&
        (!criteria.ids || criteria.ids.has(contact.id)) &&
        (!criteria.names || criteria.names.includes(contact.name)) &&
        (!criteria.responsibleUserIds || criteria.responsibleUserIds.has(contact.responsibleUserId)) &&
        inTimeRange(contact.createdAt, criteria.createdAt) &&
        inTimeRange(contact.updatedAt, criteria.updatedAt) &&
        (criteria.modifiedSince === undefined || contact.updatedAt >= criteria.modifiedSince) &&
        (criteria.query === undefined || matchesFuzzyQuery(criteria.query, this.searchTexts(contact))),
    );
    return sortBy(matches, criteria.ordering, (contact, field) =>
      field === 'created_at' ? contact.createdAt : field === 'updated_at' ? contact.updatedAt : contact.id,
    );
  }

  private searchTexts(contact: ContactRecord): string[] {
    return [contact.name, contact.firstName, contact.lastName, ...customFieldTexts(contact.customFields)];
  }

  get(id: number): ContactRecord | undefined {
    return this.data.liveContact(id);
  }

  /** Validates one contact to create; `issues` is rooted where the contact object sits. */
  prepareCreate(raw: unknown, requestId: string, issues: EntityIssues): PreparedContact | undefined {
    if (!isRecord(raw)) {
      issues.add('InvalidType', '', 'Each contact must be an object');
      return undefined;
    }
    return {
      requestId,
      common: readCommonWrite(raw, this.data, this.data.contactFields, this.data.contactTags, issues),
      firstName: readName(raw, 'first_name', issues),
      lastName: readName(raw, 'last_name', issues),
    };
  }

  commitCreate(prepared: PreparedContact, actorUserId: number, changes: ChangeLog): ContactRecord {
    const now = nowSeconds();
    const { common } = prepared;
    const firstName = prepared.firstName ?? '';
    const lastName = prepared.lastName ?? '';
    const record: ContactRecord = {
      id: this.data.nextId('contact'),
      name: common.name ?? `${firstName} ${lastName}`.trim(),
      firstName,
      lastName,
      responsibleUserId: common.responsibleUserId ?? defaultResponsible(actorUserId, this.data),
      createdBy: common.createdBy ?? actorUserId,
      updatedBy: common.updatedBy ?? common.createdBy ?? actorUserId,
      createdAt: common.createdAt ?? now,
      updatedAt: common.updatedAt ?? common.createdAt ?? now,
      isDeleted: false,
      customFields: applyCustomFieldWrites([], common.customFields),
      tagIds: this.data.contactTags.commit(common.tags ?? []),
      companyIds: [],
    };
    this.data.contacts.set(record.id, record);
    changes.record({ entity: 'contacts', action: 'add', id: record.id });
    return record;
  }

  create(body: unknown, actorUserId: number, changes: ChangeLog): ContactWriteResult[] {
    const batch = new BatchValidation();
    const prepared = readBatch(body).map((raw, index) => {
      const requestId = requestIdOf(raw, index);
      return this.prepareCreate(raw, requestId, batch.entity(requestId));
    });
    batch.throwIfInvalid();
    return prepared.flatMap((item) =>
      item ? [{ record: this.commitCreate(item, actorUserId, changes), requestId: item.requestId }] : [],
    );
  }

  /** PATCH /contacts (each item carries `id`) or PATCH /contacts/{id} (`pathId`). */
  update(body: unknown, actorUserId: number, changes: ChangeLog, pathId?: number): ContactWriteResult[] {
    const items = pathId === undefined ? readBatch(body) : [body];
    const batch = new BatchValidation();
    const prepared = items.map((raw, index) => {
      const requestId = requestIdOf(raw, index);
      const issues = batch.entity(requestId);
      const id = pathId ?? (isRecord(raw) ? asInteger(raw.id) : undefined);
      const record = id === undefined ? undefined : this.get(id);
      if (pathId !== undefined && !record) throw httpProblem(404, `Contact ${pathId} not found`);
      if (!record) {
        issues.add(
          id === undefined ? 'FieldMissing' : 'NotFound',
          'id',
          'A contact id is required and must exist',
        );
      }
      const write = this.prepareCreate(raw, requestId, issues);
      return { record, write };
    });
    batch.throwIfInvalid();
    return prepared.flatMap(({ record, write }) =>
      record && write
        ? [{ record: this.applyUpdate(record, write, actorUserId, changes), requestId: write.requestId }]
        : [],
    );
  }

  private applyUpdate(
    record: ContactRecord,
    write: PreparedContact,
    actorUserId: number,
    changes: ChangeLog,
  ): ContactRecord {
    const { common } = write;
    const oldResponsible = record.responsibleUserId;
    if (write.firstName !== undefined) record.firstName = write.firstName;
    if (write.lastName !== undefined) record.lastName = write.lastName;
    if (common.name !== undefined) record.name = common.name;
    else if (write.firstName !== undefined || write.lastName !== undefined) {
      record.name = `${record.firstName} ${record.lastName}`.trim();
    }
    if (common.responsibleUserId !== undefined) record.responsibleUserId = common.responsibleUserId;
    if (common.createdAt !== undefined) record.createdAt = common.createdAt;
    if (common.createdBy !== undefined) record.createdBy = common.createdBy;
    record.customFields = applyCustomFieldWrites(record.customFields, common.customFields);
    if (common.tags !== undefined) record.tagIds = this.data.contactTags.commit(common.tags);
    record.updatedBy = common.updatedBy ?? actorUserId;
    record.updatedAt = common.updatedAt ?? nowSeconds();
    changes.record({ entity: 'contacts', action: 'update', id: record.id });
    if (record.responsibleUserId !== oldResponsible) {
      changes.record({
        entity: 'contacts',
        action: 'responsible',
        id: record.id,
        oldResponsibleUserId: oldResponsible,
      });
    }
    return record;
  }

  /** A manager deletes the contact in amoCRM (there is no DELETE in API v4). */
  delete(id: number, actorUserId: number, changes: ChangeLog): ContactRecord {
    return markDeleted(this.data.contacts, 'contacts', 'Contact', {
      id,
      deleted: true,
      actorUserId,
      changes,
    });
  }

  restore(id: number, actorUserId: number, changes: ChangeLog): ContactRecord {
    return markDeleted(this.data.contacts, 'contacts', 'Contact', {
      id,
      deleted: false,
      actorUserId,
      changes,
    });
  }

  render(record: ContactRecord, withLeads = false): ContactJson {
    const base = this.data.baseUrl;
    const ref = (path: string, id: number): EmbeddedRefJson => ({
      id,
      _links: { self: { href: `${base}/api/v4/${path}/${id}` } },
    });
    return {
      id: record.id,
      name: record.name,
      first_name: record.firstName,
      last_name: record.lastName,
      responsible_user_id: record.responsibleUserId,
      group_id: 0,
      created_by: record.createdBy,
      updated_by: record.updatedBy,
      created_at: record.createdAt,
      updated_at: record.updatedAt,
      closest_task_at: null,
      is_deleted: record.isDeleted,
      is_unsorted: false,
      custom_fields_values: renderCustomFields(record.customFields, this.data.contactFields),
      account_id: this.data.id,
      _links: { self: { href: `${base}/api/v4/contacts/${record.id}` } },
      _embedded: {
        tags: this.data.contactTags.render(record.tagIds),
        companies: record.companyIds.map((id) => ref('companies', id)),
        ...(withLeads
          ? { leads: this.data.leadsOfContact(record.id).map((lead) => ref('leads', lead.id)) }
          : {}),
      },
    };
  }
}

import type { AccountData } from './account-data';
import type { ChangeLog } from './change-log';
import type { CompaniesService } from './companies-service';
import type { ContactsService, PreparedContact } from './contacts-service';
import { applyCustomFieldWrites, customFieldTexts, renderCustomFields } from './custom-field-values';
import {
  LOST_STATUS_ID,
  WON_STATUS_ID,
  type EmbeddedRefJson,
  type LeadContactLink,
  type LeadJson,
  type LeadRecord,
} from './entity-records';
import {
  defaultResponsible,
  embeddedOf,
  readBatch,
  readCommonWrite,
  requestIdOf,
  type CommonWrite,
} from './entity-writes';
import { matchesFuzzyQuery } from './fuzzy-search';
import { asBoolean, asInteger, describeValue, isRecord, type JsonRecord } from './json-input';
import { inTimeRange, sortBy, type Ordering, type TimeRange } from './list-query';
import { BatchValidation, httpProblem, type EntityIssues } from './problems';
import { nowSeconds } from './sandbox-runtime';

export const LEAD_ORDER_FIELDS = ['id', 'created_at', 'updated_at'] as const;
export type LeadOrderField = (typeof LEAD_ORDER_FIELDS)[number];
export const MAX_COMPLEX_BATCH = 50;

export interface LeadStatusFilter {
  pipelineId?: number;
  statusId?: number;
}

export interface LeadCriteria {
  query?: string;
  ids?: Set<number>;
  pipelineIds?: Set<number>;
  statuses?: LeadStatusFilter[];
  responsibleUserIds?: Set<number>;
  createdAt?: TimeRange;
  updatedAt?: TimeRange;
  closedAt?: TimeRange;
  modifiedSince?: number;
  ordering?: Ordering<LeadOrderField>;
}

interface Placement {
  pipelineId: number;
  statusId: number;
}

interface PreparedLead {
  requestId: string;
  common: CommonWrite;
  price?: number;
  placement?: Placement;
  closedAt?: number;
  contactLinks?: LeadContactLink[];
  companyIds?: number[];
  /** leads/complex only: a contact and a company to create with the lead. */
  newContact?: PreparedContact;
  newCompany?: CommonWrite;
}

export interface LeadWriteResult {
  record: LeadRecord;
  requestId: string;
}

export interface ComplexLeadResult {
  id: number;
  contact_id: number | null;
  company_id: number | null;
  request_id: string[];
  merged: boolean;
}

export interface LeadLinkJson {
  entity_id: number;
  entity_type: 'leads';
  to_entity_id: number;
  to_entity_type: 'contacts' | 'companies';
  metadata: { main_contact: boolean } | null;
}

function isClosed(statusId: number): boolean {
  return statusId === WON_STATUS_ID || statusId === LOST_STATUS_ID;
}

/** Leads of one account: search, validated writes, status moves, links, leads/complex, rendering. */
export class LeadsService {
  constructor(
    private readonly data: AccountData,
    private readonly contacts: ContactsService,
    private readonly companies: CompaniesService,
  ) {}

  find(criteria: LeadCriteria): LeadRecord[] {
    const matches = [...this.data.leads.values()].filter(
      (lead) =>
        !lead.isDeleted &&
        (!criteria.ids || criteria.ids.has(lead.id)) &&
        (!criteria.pipelineIds || criteria.pipelineIds.has(lead.pipelineId)) &&
        (!criteria.statuses ||
          criteria.statuses.some(
            (filter) =>
              (filter.pipelineId === undefined || filter.pipelineId === lead.pipelineId) &&
              (filter.statusId === undefined || filter.statusId === lead.statusId),
          )) &&
        (!criteria.responsibleUserIds || criteria.responsibleUserIds.has(lead.responsibleUserId)) &&
        inTimeRange(lead.createdAt, criteria.createdAt) &&
        inTimeRange(lead.updatedAt, criteria.updatedAt) &&
        (!criteria.closedAt || (lead.closedAt !== null && inTimeRange(lead.closedAt, criteria.closedAt))) &&
        (criteria.modifiedSince === undefined || lead.updatedAt >= criteria.modifiedSince) &&
        (criteria.query === undefined ||
          matchesFuzzyQuery(criteria.query, [
            lead.name,
            String(lead.id),
            ...customFieldTexts(lead.customFields),
          ])),
    );
    return sortBy(matches, criteria.ordering, (lead, field) =>
      field === 'created_at' ? lead.createdAt : field === 'updated_at' ? lead.updatedAt : lead.id,
    );
  }

  get(id: number): LeadRecord | undefined {
    return this.data.liveLead(id);
  }

  create(body: unknown, actorUserId: number, changes: ChangeLog): LeadWriteResult[] {
    const batch = new BatchValidation();
    const prepared = readBatch(body).map((raw, index) => {
      const requestId = requestIdOf(raw, index);
      return this.prepare(raw, requestId, batch.entity(requestId), undefined, false);
    });
    batch.throwIfInvalid();
    return prepared.flatMap((item) =>
      item ? [{ record: this.commitCreate(item, actorUserId, changes), requestId: item.requestId }] : [],
    );
  }

  /** PATCH /leads (each item carries `id`) or PATCH /leads/{id} (`pathId`). */
  update(body: unknown, actorUserId: number, changes: ChangeLog, pathId?: number): LeadWriteResult[] {
    const items = pathId === undefined ? readBatch(body) : [body];
    const batch = new BatchValidation();
    const prepared = items.map((raw, index) => {
      const requestId = requestIdOf(raw, index);
      const issues = batch.entity(requestId);
      const id = pathId ?? (isRecord(raw) ? asInteger(raw.id) : undefined);
      const record = id === undefined ? undefined : this.get(id);
      if (pathId !== undefined && !record) throw httpProblem(404, `Lead ${pathId} not found`);
      if (!record) {
        issues.add(
          id === undefined ? 'FieldMissing' : 'NotFound',
          'id',
          'A lead id is required and must exist',
        );
      }
      return { record, write: this.prepare(raw, requestId, issues, record, false) };
    });
    batch.throwIfInvalid();
    return prepared.flatMap(({ record, write }) =>
      record && write
        ? [{ record: this.applyUpdate(record, write, actorUserId, changes), requestId: write.requestId }]
        : [],
    );
  }

  /** POST /leads/complex: each lead with at most one new (or existing) contact and company. */
  complex(body: unknown, actorUserId: number, changes: ChangeLog): ComplexLeadResult[] {
    const batch = new BatchValidation();
    const prepared = readBatch(body, MAX_COMPLEX_BATCH).map((raw, index) => {
      const requestId = requestIdOf(raw, index);
      return this.prepare(raw, requestId, batch.entity(requestId), undefined, true);
    });
    batch.throwIfInvalid();
    return prepared.flatMap((item) => {
      if (!item) return [];
      const contact = item.newContact
        ? this.contacts.commitCreate(item.newContact, actorUserId, changes)
        : undefined;
      const company = item.newCompany ? this.companies.commitCreate(item.newCompany, actorUserId) : undefined;
      if (contact && company) contact.companyIds.push(company.id);
      const links = [...(item.contactLinks ?? [])];
      if (contact) links.unshift({ contactId: contact.id, isMain: true });
      const lead = this.commitCreate(
        {
          ...item,
          contactLinks: normalizeMain(links),
          companyIds: [...(company ? [company.id] : []), ...(item.companyIds ?? [])],
        },
        actorUserId,
        changes,
      );
      return [
        {
          id: lead.id,
          contact_id: contact?.id ?? links[0]?.contactId ?? null,
          company_id: lead.companyIds[0] ?? null,
          request_id: [item.requestId],
          merged: false,
        },
      ];
    });
  }

  private prepare(
    raw: unknown,
    requestId: string,
    issues: EntityIssues,
    current: LeadRecord | undefined,
    complex: boolean,
  ): PreparedLead | undefined {
    if (!isRecord(raw)) {
      issues.add('InvalidType', '', 'Each lead must be an object');
      return undefined;
    }
    const prepared: PreparedLead = {
      requestId,
      common: readCommonWrite(raw, this.data, this.data.leadFields, this.data.leadTags, issues),
      price: readPrice(raw, issues),
      placement: this.resolvePlacement(raw, issues, current),
      closedAt: raw.closed_at === undefined ? undefined : asInteger(raw.closed_at),
    };
    if (raw.closed_at !== undefined && prepared.closedAt === undefined) {
      issues.add('InvalidType', 'closed_at', 'closed_at must be a unix timestamp');
    }
    if (!current) this.readEmbeddedLinks(raw, issues, complex, prepared);
    return prepared;
  }

  private readEmbeddedLinks(
    raw: JsonRecord,
    issues: EntityIssues,
    complex: boolean,
    prepared: PreparedLead,
  ): void {
    const embedded = embeddedOf(raw);
    const contacts = Array.isArray(embedded.contacts) ? (embedded.contacts as unknown[]) : [];
    const companies = Array.isArray(embedded.companies) ? (embedded.companies as unknown[]) : [];
    if (complex && contacts.length > 1)
      issues.add('InvalidType', '_embedded.contacts', 'At most one contact');
    if (complex && companies.length > 1)
      issues.add('InvalidType', '_embedded.companies', 'At most one company');
    prepared.contactLinks = [];
    prepared.companyIds = [];
    contacts.forEach((item, index) => {
      const at = issues.at(`_embedded.contacts.${index}`);
      const id = isRecord(item) ? asInteger(item.id) : undefined;
      if (id !== undefined) {
        if (this.data.liveContact(id)) {
          prepared.contactLinks?.push({
            contactId: id,
            isMain: isRecord(item) && asBoolean(item.is_main) === true,
          });
        } else at.add('NotSupportedChoice', 'id', `Contact ${id} not found`);
      } else if (complex) {
        prepared.newContact = this.contacts.prepareCreate(item, prepared.requestId, at);
      } else {
        at.add('FieldMissing', 'id', 'Linked contacts need an id');
      }
    });
    companies.forEach((item, index) => {
      const at = issues.at(`_embedded.companies.${index}`);
      const id = isRecord(item) ? asInteger(item.id) : undefined;
      if (id !== undefined) {
        if (this.data.liveCompany(id)) prepared.companyIds?.push(id);
        else at.add('NotSupportedChoice', 'id', `Company ${id} not found`);
      } else if (complex) {
        prepared.newCompany = this.companies.prepareCreate(item, at);
      } else {
        at.add('FieldMissing', 'id', 'Linked companies need an id');
      }
    });
  }

  private resolvePlacement(
    raw: JsonRecord,
    issues: EntityIssues,
    current?: Placement,
  ): Placement | undefined {
    let pipeline = undefined;
    if (raw.pipeline_id !== undefined) {
      const pipelineId = asInteger(raw.pipeline_id);
      pipeline = pipelineId === undefined ? undefined : this.data.pipeline(pipelineId);
      if (!pipeline) {
        issues.add(
          'NotSupportedChoice',
          'pipeline_id',
          `Pipeline ${describeValue(raw.pipeline_id)} not found`,
        );
        return undefined;
      }
    }
    if (raw.status_id !== undefined) {
      const statusId = asInteger(raw.status_id);
      const candidates = statusId === undefined ? [] : this.data.pipelinesWithStatus(statusId);
      const chosen = pipeline
        ? candidates.find((candidate) => candidate.id === pipeline?.id)
        : (candidates.find((candidate) => candidate.id === current?.pipelineId) ??
          candidates.find((candidate) => candidate.isMain) ??
          candidates[0]);
      if (statusId === undefined || !chosen) {
        issues.add(
          'NotSupportedChoice',
          'status_id',
          `Status ${describeValue(raw.status_id)} not found in the pipeline`,
        );
        return undefined;
      }
      return { pipelineId: chosen.id, statusId };
    }
    if (pipeline) {
      if (current?.pipelineId === pipeline.id) return current;
      return { pipelineId: pipeline.id, statusId: this.data.firstStage(pipeline).id };
    }
    if (current) return current;
    const main = this.data.mainPipeline;
    return { pipelineId: main.id, statusId: this.data.firstStage(main).id };
  }

  private commitCreate(prepared: PreparedLead, actorUserId: number, changes: ChangeLog): LeadRecord {
    const now = nowSeconds();
    const { common } = prepared;
    const main = this.data.mainPipeline;
    const placement = prepared.placement ?? { pipelineId: main.id, statusId: this.data.firstStage(main).id };
    const createdAt = common.createdAt ?? now;
    const id = this.data.nextId('lead');
    const record: LeadRecord = {
      id,
      name: common.name ?? `Сделка #${id}`,
      price: prepared.price ?? 0,
      statusId: placement.statusId,
      pipelineId: placement.pipelineId,
      closedAt: isClosed(placement.statusId) ? (prepared.closedAt ?? now) : null,
      responsibleUserId: common.responsibleUserId ?? defaultResponsible(actorUserId, this.data),
      createdBy: common.createdBy ?? actorUserId,
      updatedBy: common.updatedBy ?? common.createdBy ?? actorUserId,
      createdAt,
      updatedAt: common.updatedAt ?? createdAt,
      isDeleted: false,
      customFields: applyCustomFieldWrites([], common.customFields),
      tagIds: this.data.leadTags.commit(common.tags ?? []),
      contacts: normalizeMain(prepared.contactLinks ?? []),
      companyIds: [...new Set(prepared.companyIds ?? [])],
    };
    this.data.leads.set(id, record);
    changes.record({ entity: 'leads', action: 'add', id });
    return record;
  }

  private applyUpdate(
    record: LeadRecord,
    write: PreparedLead,
    actorUserId: number,
    changes: ChangeLog,
  ): LeadRecord {
    const { common } = write;
    const old = {
      statusId: record.statusId,
      pipelineId: record.pipelineId,
      responsible: record.responsibleUserId,
    };
    if (common.name !== undefined) record.name = common.name;
    if (write.price !== undefined) record.price = write.price;
    if (common.responsibleUserId !== undefined) record.responsibleUserId = common.responsibleUserId;
    if (common.createdAt !== undefined) record.createdAt = common.createdAt;
    if (common.createdBy !== undefined) record.createdBy = common.createdBy;
    if (write.placement) {
      record.statusId = write.placement.statusId;
      record.pipelineId = write.placement.pipelineId;
    }
    if (!isClosed(record.statusId)) record.closedAt = null;
    else if (write.closedAt !== undefined) record.closedAt = write.closedAt;
    else if (!isClosed(old.statusId) || record.closedAt === null) record.closedAt = nowSeconds();
    record.customFields = applyCustomFieldWrites(record.customFields, common.customFields);
    if (common.tags !== undefined) record.tagIds = this.data.leadTags.commit(common.tags);
    record.updatedBy = common.updatedBy ?? actorUserId;
    record.updatedAt = common.updatedAt ?? nowSeconds();
    if (record.statusId !== old.statusId || record.pipelineId !== old.pipelineId) {
      changes.record({
        entity: 'leads',
        action: 'status',
        id: record.id,
        oldStatusId: old.statusId,
        oldPipelineId: old.pipelineId,
      });
    }
    if (record.responsibleUserId !== old.responsible) {
      changes.record({
        entity: 'leads',
        action: 'responsible',
        id: record.id,
        oldResponsibleUserId: old.responsible,
      });
    }
    changes.record({ entity: 'leads', action: 'update', id: record.id });
    return record;
  }

  /** A manager deletes the lead in amoCRM (there is no DELETE in API v4). */
  delete(id: number, actorUserId: number, changes: ChangeLog): LeadRecord {
    const record = this.get(id);
    if (!record) throw httpProblem(404, `Lead ${id} not found`);
    record.isDeleted = true;
    record.updatedBy = actorUserId;
    record.updatedAt = nowSeconds();
    changes.record({ entity: 'leads', action: 'delete', id });
    return record;
  }

  restore(id: number, actorUserId: number, changes: ChangeLog): LeadRecord {
    const record = this.data.leads.get(id);
    if (!record?.isDeleted) throw httpProblem(404, `Deleted lead ${id} not found`);
    record.isDeleted = false;
    record.updatedBy = actorUserId;
    record.updatedAt = nowSeconds();
    changes.record({ entity: 'leads', action: 'restore', id });
    return record;
  }

  /** POST /leads/{id}/link (or unlink): `[{to_entity_id, to_entity_type, metadata:{main_contact}}]`. */
  link(leadId: number, body: unknown, mode: 'link' | 'unlink'): LeadLinkJson[] {
    const lead = this.get(leadId);
    if (!lead) throw httpProblem(404, `Lead ${leadId} not found`);
    const batch = new BatchValidation();
    const items = readBatch(body).map((raw, index) => {
      const issues = batch.entity(requestIdOf(raw, index));
      if (!isRecord(raw)) {
        issues.add('InvalidType', '', 'Each link must be an object');
        return undefined;
      }
      const type = raw.to_entity_type;
      const targetId = asInteger(raw.to_entity_id);
      if (type !== 'contacts' && type !== 'companies') {
        issues.add(
          'NotSupportedChoice',
          'to_entity_type',
          'Only contacts and companies can be linked to a lead',
        );
        return undefined;
      }
      const exists =
        targetId !== undefined &&
        (type === 'contacts' ? this.data.liveContact(targetId) : this.data.liveCompany(targetId));
      if (!exists || targetId === undefined) {
        issues.add(
          'NotSupportedChoice',
          'to_entity_id',
          `${type} ${describeValue(raw.to_entity_id)} not found`,
        );
        return undefined;
      }
      const metadata = isRecord(raw.metadata) ? raw.metadata : {};
      const main = asBoolean(metadata.main_contact ?? metadata.is_main) === true;
      return { type, targetId, main };
    });
    batch.throwIfInvalid();
    const result: LeadLinkJson[] = [];
    for (const item of items) {
      if (!item) continue;
      if (item.type === 'companies') {
        lead.companyIds =
          mode === 'link'
            ? [...new Set([...lead.companyIds, item.targetId])]
            : lead.companyIds.filter((id) => id !== item.targetId);
        result.push(linkJson(lead.id, 'companies', item.targetId, null));
        continue;
      }
      if (mode === 'unlink') {
        lead.contacts = normalizeMain(lead.contacts.filter((link) => link.contactId !== item.targetId));
        result.push(linkJson(lead.id, 'contacts', item.targetId, { main_contact: false }));
        continue;
      }
      const existing = lead.contacts.find((link) => link.contactId === item.targetId);
      if (item.main) for (const link of lead.contacts) link.isMain = false;
      if (existing) existing.isMain = existing.isMain || item.main;
      else lead.contacts.push({ contactId: item.targetId, isMain: item.main });
      lead.contacts = normalizeMain(lead.contacts);
      const linked = lead.contacts.find((link) => link.contactId === item.targetId);
      result.push(linkJson(lead.id, 'contacts', item.targetId, { main_contact: linked?.isMain ?? false }));
    }
    return result;
  }

  /** GET /leads/{id}/links */
  links(leadId: number): LeadLinkJson[] {
    const lead = this.get(leadId);
    if (!lead) throw httpProblem(404, `Lead ${leadId} not found`);
    return [
      ...lead.contacts
        .filter((link) => this.data.liveContact(link.contactId))
        .map((link) => linkJson(lead.id, 'contacts', link.contactId, { main_contact: link.isMain })),
      ...lead.companyIds.map((id) => linkJson(lead.id, 'companies', id, null)),
    ];
  }

  render(record: LeadRecord, withContacts = false): LeadJson {
    const base = this.data.baseUrl;
    const ref = (path: string, id: number): EmbeddedRefJson => ({
      id,
      _links: { self: { href: `${base}/api/v4/${path}/${id}` } },
    });
    return {
      id: record.id,
      name: record.name,
      price: record.price,
      responsible_user_id: record.responsibleUserId,
      group_id: 0,
      status_id: record.statusId,
      pipeline_id: record.pipelineId,
      loss_reason_id: null,
      created_by: record.createdBy,
      updated_by: record.updatedBy,
      created_at: record.createdAt,
      updated_at: record.updatedAt,
      closed_at: record.closedAt,
      closest_task_at: null,
      is_deleted: record.isDeleted,
      custom_fields_values: renderCustomFields(record.customFields, this.data.leadFields),
      score: null,
      account_id: this.data.id,
      labor_cost: null,
      _links: { self: { href: `${base}/api/v4/leads/${record.id}` } },
      _embedded: {
        tags: this.data.leadTags.render(record.tagIds),
        companies: record.companyIds.map((id) => ref('companies', id)),
        ...(withContacts
          ? {
              contacts: record.contacts
                .filter((link) => this.data.liveContact(link.contactId))
                .map((link) => ({ ...ref('contacts', link.contactId), is_main: link.isMain })),
            }
          : {}),
      },
    };
  }
}

function readPrice(raw: JsonRecord, issues: EntityIssues): number | undefined {
  if (raw.price === undefined) return undefined;
  if (raw.price === null) return 0;
  if (typeof raw.price === 'number' && Number.isSafeInteger(raw.price) && raw.price >= 0) return raw.price;
  issues.add('InvalidType', 'price', 'price must be a non-negative integer');
  return undefined;
}

/** Exactly one main contact when a lead has contacts: the flagged one, else the first. */
function normalizeMain(links: LeadContactLink[]): LeadContactLink[] {
  const unique = links.filter(
    (link, index) => links.findIndex((other) => other.contactId === link.contactId) === index,
  );
  const mainIndex = Math.max(
    0,
    unique.findIndex((link) => link.isMain),
  );
  return unique.map((link, index) => ({ contactId: link.contactId, isMain: index === mainIndex }));
}

function linkJson(
  leadId: number,
  type: 'contacts' | 'companies',
  targetId: number,
  metadata: { main_contact: boolean } | null,
): LeadLinkJson {
  return { entity_id: leadId, entity_type: 'leads', to_entity_id: targetId, to_entity_type: type, metadata };
}

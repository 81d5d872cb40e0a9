import type { AccountData } from './account-data';
import type { ChangeLog } from './change-log';
import type { CompaniesService } from './companies-service';
import type { ContactsService } from './contacts-service';
import { applyCustomFieldWrites } from './custom-field-values';
import {
  LOST_STATUS_ID,
  WON_STATUS_ID,
  type LeadContactLink,
  type LeadJson,
  type LeadRecord,
} from './entity-records';
import { defaultResponsible, markDeleted, readBatch, requestIdOf } from './entity-writes';
import { asBoolean, asInteger, describeValue, isRecord } from './json-input';
import { LeadPreparer, type PreparedLead } from './lead-preparation';
import {
  findLeads,
  leadLinks,
  linkJson,
  renderLead,
  type LeadCriteria,
  type LeadLinkJson,
} from './lead-queries';
import { BatchValidation, httpProblem } from './problems';
import { nowSeconds } from './sandbox-runtime';

export {
  LEAD_ORDER_FIELDS,
  type LeadCriteria,
  type LeadLinkJson,
  type LeadOrderField,
  type LeadStatusFilter,
} from './lead-queries';

export const MAX_COMPLEX_BATCH = 50;

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

function isClosed(statusId: number): boolean {
  return statusId === WON_STATUS_ID || statusId === LOST_STATUS_ID;
}

/** Leads of one account: search, validated writes, status moves, links, leads/complex, rendering. */
export class LeadsService {
  private readonly preparer: LeadPreparer;

  constructor(
    private readonly data: AccountData,
    private readonly contacts: ContactsService,
    private readonly companies: CompaniesService,
  ) {
    this.preparer = new LeadPreparer(data, contacts, companies);
  }

  find(criteria: LeadCriteria): LeadRecord[] {
    return findLeads(this.data, criteria);
  }

  get(id: number): LeadRecord | undefined {
    return this.data.liveLead(id);
  }

  create(body: unknown, actorUserId: number, changes: ChangeLog): LeadWriteResult[] {
    const batch = new BatchValidation();
    const prepared = readBatch(body).map((raw, index) => {
      const requestId = requestIdOf(raw, index);
      return this.preparer.prepare(raw, requestId, batch.entity(requestId), undefined, false);
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
      return { record, write: this.preparer.prepare(raw, requestId, issues, record, false) };
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
      return this.preparer.prepare(raw, requestId, batch.entity(requestId), undefined, true);
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
    return markDeleted(this.data.leads, 'leads', 'Lead', { id, deleted: true, actorUserId, changes });
  }

  restore(id: number, actorUserId: number, changes: ChangeLog): LeadRecord {
    return markDeleted(this.data.leads, 'leads', 'Lead', { id, deleted: false, actorUserId, changes });
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
    return leadLinks(this.data, leadId);
  }

  render(record: LeadRecord, withContacts = false): LeadJson {
    return renderLead(this.data, record, withContacts);
  }
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

import type { AccountData } from './account-data';
import { customFieldTexts, renderCustomFields } from './custom-field-values';
import type { EmbeddedRefJson, LeadJson, LeadRecord } from './entity-records';
import { matchesFuzzyQuery } from './fuzzy-search';
import { inTimeRange, sortBy, type Ordering, type TimeRange } from './list-query';
import { httpProblem } from './problems';

/** The read side of an account's leads: search and ordering, v4 rendering, the links of a lead. */

export const LEAD_ORDER_FIELDS = ['id', 'created_at', 'updated_at'] as const;
export type LeadOrderField = (typeof LEAD_ORDER_FIELDS)[number];

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

export interface LeadLinkJson {
  entity_id: number;
  entity_type: 'leads';
  to_entity_id: number;
  to_entity_type: 'contacts' | 'companies';
  metadata: { main_contact: boolean } | null;
}

/** GET /leads: the live leads matching every given criterion, ordered. */
export function findLeads(data: AccountData, criteria: LeadCriteria): LeadRecord[] {
  const matches = [...data.leads.values()].filter(
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

/** GET /leads/{id}/links */
export function leadLinks(data: AccountData, leadId: number): LeadLinkJson[] {
  const lead = data.liveLead(leadId);
  if (!lead) throw httpProblem(404, `Lead ${leadId} not found`);
  return [
    ...lead.contacts
      .filter((link) => data.liveContact(link.contactId))
      .map((link) => linkJson(lead.id, 'contacts', link.contactId, { main_contact: link.isMain })),
    ...lead.companyIds.map((id) => linkJson(lead.id, 'companies', id, null)),
  ];
}

export function renderLead(data: AccountData, record: LeadRecord, withContacts = false): LeadJson {
  const base = data.baseUrl;
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
    custom_fields_values: renderCustomFields(record.customFields, data.leadFields),
    score: null,
    account_id: data.id,
    labor_cost: null,
    _links: { self: { href: `${base}/api/v4/leads/${record.id}` } },
    _embedded: {
      tags: data.leadTags.render(record.tagIds),
      companies: record.companyIds.map((id) => ref('companies', id)),
      ...(withContacts
        ? {
            contacts: record.contacts
              .filter((link) => data.liveContact(link.contactId))
              .map((link) => ({ ...ref('contacts', link.contactId), is_main: link.isMain })),
          }
        : {}),
    },
  };
}

export function linkJson(
  leadId: number,
  type: 'contacts' | 'companies',
  targetId: number,
  metadata: { main_contact: boolean } | null,
): LeadLinkJson {
  return { entity_id: leadId, entity_type: 'leads', to_entity_id: targetId, to_entity_type: type, metadata };
}

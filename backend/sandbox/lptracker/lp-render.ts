import { formatCreatedAt, formatLeadDate, unixSeconds } from './lp-runtime';
import type {
  LpCall,
  LpContact,
  LpContactField,
  LpCustomField,
  LpLead,
  LpProject,
  LpStaff,
  LpStage,
} from './lp-records';

/** Records as the LPTracker API answers them (snake_case; `contact.details[]`). */

export interface CustomValueJson {
  id: number;
  name: string;
  type: string;
  value: string | number | string[];
}

export function renderProject(project: LpProject): Record<string, unknown> {
  return { id: project.id, name: project.name, page: project.page, domain: project.domain };
}

/** A `cats` field lists its choices in `value`; other types have `value: null`. */
export function renderCustomField(field: LpCustomField): Record<string, unknown> {
  return {
    id: field.id,
    type: field.type,
    name: field.name,
    value: field.type === 'cats' ? [...field.options] : null,
  };
}

export function renderContactField(field: LpContactField): Record<string, unknown> {
  return { id: field.id, name: field.name, type: field.type };
}

export function renderStage(stage: LpStage): Record<string, unknown> {
  return {
    id: stage.id,
    name: stage.name,
    notify: stage.notify,
    in_leads: stage.inLeads,
    in_deals: stage.inDeals,
  };
}

export function renderStaff(staff: LpStaff): Record<string, unknown> {
  return { id: staff.id, name: staff.name, job: staff.job, email: staff.email };
}

export function renderCall(call: LpCall): Record<string, unknown> {
  return {
    id: call.id,
    time: call.time,
    duration: call.duration,
    type: call.type,
    disposition: call.disposition,
    record: call.record,
    owner_id: call.ownerId,
  };
}

/** The lead's set values of fields that still exist, in the project's field order. */
export function customValues(lead: LpLead, project: LpProject): CustomValueJson[] {
  return project.customs
    .filter((field) => lead.custom.has(field.id))
    .map((field) => {
      const value = lead.custom.get(field.id) ?? '';
      return { id: field.id, name: field.name, type: field.type, value: structuredClone(value) };
    });
}

export function renderContact(contact: LpContact, project: LpProject | undefined): Record<string, unknown> {
  return {
    id: contact.id,
    project_id: contact.projectId,
    name: contact.name,
    profession: contact.profession,
    site: contact.site,
    details: contact.details.map((detail) => ({ ...detail })),
    fields: (project?.fields ?? [])
      .filter((field) => contact.fields.has(field.id))
      .map((field) => ({
        id: field.id,
        name: field.name,
        type: field.type,
        value: contact.fields.get(field.id),
      })),
    created_at: formatCreatedAt(contact.createdAt),
  };
}

export function renderLead(lead: LpLead, contact: LpContact, project: LpProject): Record<string, unknown> {
  return {
    id: lead.id,
    contact_id: lead.contactId,
    project_id: lead.projectId,
    name: lead.name,
    stage_id: lead.stageId,
    funnel: lead.stageId,
    owner_id: lead.ownerId,
    lead_date: formatLeadDate(lead.leadDate),
    created_at: formatCreatedAt(lead.createdAt),
    updated_at: unixSeconds(lead.updatedAt),
    view: { ...lead.view },
    custom: customValues(lead, project),
    payments: lead.payments.map((payment) => ({ ...payment })),
    contact: renderContact(contact, project),
  };
}

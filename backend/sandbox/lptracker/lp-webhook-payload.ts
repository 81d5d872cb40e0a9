import { customValues, renderCall } from './lp-render';
import { formatLeadDate, unixSeconds } from './lp-runtime';
import type { LpActor, LpContact, LpLead, LpProject, LpStaff } from './lp-records';

/**
 * The lead as LPTracker posts it to a callback URL: phones and e-mails under `contact.contacts[]`
 * (not `details[]`), `stage`/`owner` objects, `action`, `action_timestamp` in unix milliseconds and
 * `action_update_fields` (an array, or one comma-joined string when the account says so).
 */

export type LeadAction = 'create' | 'update' | 'delete';

export interface LeadEvent {
  lead: LpLead;
  contact: LpContact;
  project: LpProject;
  staff: readonly LpStaff[];
  action: LeadAction;
  /** What changed (`name`, `stage`, `stage_id`, `owner`, `owner_id`, `custom.<id>`, `payments`…). */
  updatedFields: string[];
  actor: LpActor;
  /** Unix milliseconds. */
  at: number;
  fieldsAsString: boolean;
  /** Carry `calls_records` (the account's `callsInWebhook`). */
  withCalls: boolean;
}

function person(staff: readonly LpStaff[], id: number | null): Record<string, unknown> | null {
  const member = id === null ? undefined : staff.find((candidate) => candidate.id === id);
  return member ? { id: member.id, name: member.name, email: member.email } : null;
}

export function buildLeadPayload(event: LeadEvent): Record<string, unknown> {
  const { lead, contact, project, staff, actor } = event;
  const stage = project.stages.find((candidate) => candidate.id === lead.stageId);
  const author = person(staff, actor.staffId);
  return {
    id: lead.id,
    contact_id: contact.id,
    detail_id: contact.details.find((detail) => detail.type === 'phone')?.id ?? null,
    project_id: project.id,
    created_at: unixSeconds(lead.createdAt),
    updated_at: unixSeconds(lead.updatedAt),
    lead_date: formatLeadDate(lead.leadDate),
    deal: null,
    owner_id: lead.ownerId,
    stage_id: lead.stageId,
    name: lead.name,
    form: null,
    author: author ?? (actor.service === null ? null : { id: null, name: actor.service }),
    custom: customValues(lead, project),
    view: { ...lead.view },
    contact: {
      id: contact.id,
      name: contact.name,
      project_id: contact.projectId,
      contacts: contact.details.map((detail) => ({ ...detail })),
    },
    owner: person(staff, lead.ownerId),
    stage: stage ? { id: stage.id, name: stage.name } : null,
    payments: lead.payments.map((payment) => ({ ...payment })),
    ...(event.withCalls ? { calls_records: lead.calls.map(renderCall) } : {}),
    action: event.action,
    action_timestamp: event.at,
    action_update_fields: event.fieldsAsString ? event.updatedFields.join(',') : [...event.updatedFields],
  };
}

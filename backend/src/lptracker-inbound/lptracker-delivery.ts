import type { CountryCode } from 'libphonenumber-js/max';
import type { JsonObject, JsonValue } from '../database/columns';
import { checkedKey, fingerprintOf, keyPart } from '../inbox/idempotency-key';
import type { AcceptedDelivery, InboxKey } from '../inbox/source-adapter';
import { lptrackerKey } from './lptracker-idempotency-key';
import { parseLead, rawLeadsOf, readDeliveryJson, type LptrackerLead } from './lptracker-lead-payload';

/** A delivery's leads with the key of each (pure: the same bytes give the same keys on every run). */
export interface ParsedDelivery {
  leads: { lead: LptrackerLead; key: InboxKey }[];
}

/** The action given to leads read back by reconciliation (they carry none). */
export const RECONCILE_ACTION = 'reconcile';

/**
 * Parses a callback (`mode: 'webhook'`: each lead has an action; key `project_id:id:action:action_timestamp`) or a
 * reconcile page (`mode: 'reconcile'`: key `project_id:id:reconcile:updated_at`). Throws `InboxBadRequest`.
 */
export function parseDelivery(
  rawBody: Buffer,
  contentType: string,
  region: CountryCode,
  mode: 'webhook' | 'reconcile',
): ParsedDelivery {
  const raws = rawLeadsOf(readDeliveryJson(rawBody, contentType));
  return {
    leads: raws.map((raw) => {
      const lead = parseLead(raw, region, mode === 'reconcile' ? RECONCILE_ACTION : null);
      return { lead, key: mode === 'reconcile' ? reconcileKeyOf(lead) : webhookKeyOf(lead, raw) };
    }),
  };
}

/** The callback's key; without `action_timestamp` (never seen, but untrusted input) a fingerprint of the lead. */
function webhookKeyOf(lead: LptrackerLead, raw: unknown): InboxKey {
  return lptrackerKey({
    projectId: lead.projectId,
    id: lead.id,
    action: lead.action,
    actionTimestamp: lead.actionTimestamp ?? `~${fingerprintOf(JSON.stringify(raw))}`,
  });
}

/** A reconciled lead's key: the same version of the lead read twice is one change. */
export function reconcileKeyOf(lead: LptrackerLead): InboxKey {
  const id = keyPart(lead.id, 'id');
  const version =
    lead.updatedAt === null ? `~${fingerprintOf(JSON.stringify(lead))}` : String(lead.updatedAt);
  return checkedKey({
    key: [keyPart(lead.projectId, 'project_id'), id, RECONCILE_ACTION, version].join(':'),
    entityType: 'lead',
    entityId: id,
  });
}

/** What the intake stores: event type `lead.<action>`, one key per lead, the projects named (for the check). */
export function acceptedOf(parsed: ParsedDelivery): AcceptedDelivery {
  const actions = [...new Set(parsed.leads.map(({ lead }) => lead.action))];
  const projects = [...new Set(parsed.leads.map(({ lead }) => lead.projectId))].sort((a, b) => a - b);
  const summary: JsonObject = { projects, leads: parsed.leads.length };
  if (parsed.leads.length === 1) summary.leadId = parsed.leads[0].lead.id;
  // the deal's name for the events list (cut: the summary stays small)
  const name = parsed.leads[0]?.lead.name;
  if (parsed.leads.length === 1 && name) summary.name = name.slice(0, 120);
  return {
    eventType: actions.length === 1 ? `lead.${actions[0].slice(0, 40)}` : 'lead.mixed',
    keys: parsed.leads.map(({ key }) => key),
    summary,
  };
}

/** The projects a stored summary names (written by `acceptedOf`). */
export function projectsOfSummary(summary: JsonObject): number[] {
  const projects = summary.projects;
  return Array.isArray(projects) ? projects.filter((id): id is number => typeof id === 'number') : [];
}

/** One lead as the console's event page shows it (phones E.164, e-mails lower-case). */
export function describeLead(lead: LptrackerLead, key: InboxKey): JsonObject {
  return {
    key: key.key,
    projectId: lead.projectId,
    id: lead.id,
    action: lead.action,
    actionTimestamp: lead.actionTimestamp,
    updateFields: lead.updateFields,
    updatedAt: lead.updatedAt,
    createdAt: lead.createdAt,
    name: lead.name,
    stage: lead.stageId === null ? null : { id: lead.stageId, name: lead.stageName },
    ownerId: lead.ownerId,
    contact: {
      id: lead.contact.id,
      name: lead.contact.name,
      phones: lead.contact.phones,
      emails: lead.contact.emails,
      ...(lead.contact.invalidPhones.length > 0 ? { invalidPhones: lead.contact.invalidPhones } : {}),
    },
    view: lead.view,
    custom: lead.custom.map((field) => ({
      id: field.id,
      name: field.name,
      value: toJson(field.value),
    })),
  };
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

import type { FieldError } from '../../http/problem';
import type { LptrackerNewLead } from '../../lptracker/client/lptracker-account-api';
import type { LptrackerLeadRecord } from '../../lptracker/client/lptracker-lead-read';
import type { LptrackerProjectMetadataSnapshot } from '../../lptracker/metadata/lptracker-metadata.types';

/** One lead to find or create in an LPTracker project (phone and e-mail already normalised by the caller). */
export interface LptrackerLeadInput {
  name: string | null;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  /** Contact field id → value (`/project/{id}/fields`). */
  contactFields: Record<string, string>;
  /** Lead custom field id → value (`/project/{id}/customs`). */
  custom: Record<string, string>;
  stageId: number | null;
  ownerId: number | null;
  view: { source?: string; campaign?: string; keyword?: string };
}

/** The values of `input` the project's catalog does not know, as 400 errors naming the field. */
export function catalogProblems(
  input: LptrackerLeadInput,
  project: LptrackerProjectMetadataSnapshot,
): FieldError[] {
  const errors: FieldError[] = [];
  const customs = new Set(project.customs.map((field) => String(field.id)));
  const fields = new Set(project.contactFields.map((field) => String(field.id)));
  for (const id of Object.keys(input.custom))
    if (!customs.has(id))
      errors.push({
        field: `lead.custom.${id}`,
        code: 'unknownField',
        message: `LPTracker has no lead field ${id}`,
      });
  for (const id of Object.keys(input.contactFields))
    if (!fields.has(id))
      errors.push({
        field: `contact.field.${id}`,
        code: 'unknownField',
        message: `LPTracker has no contact field ${id}`,
      });
  if (input.stageId !== null && !project.funnel.some((stage) => stage.id === input.stageId))
    errors.push({
      field: 'lead.stage',
      code: 'unknownStage',
      message: `LPTracker has no stage ${input.stageId}`,
    });
  if (input.ownerId !== null && !project.staff.some((user) => user.id === input.ownerId))
    errors.push({
      field: 'lead.owner',
      code: 'unknownOwner',
      message: `LPTracker has no user ${input.ownerId}`,
    });
  return errors;
}

/** The lock keys of the contact's identity in the project: concurrent rows with the same phone or e-mail queue. */
export function identityLockKeys(
  workspaceId: string,
  projectId: number,
  input: LptrackerLeadInput,
): string[] {
  const keys: string[] = [];
  if (input.phone) keys.push(`lptracker:identity:${workspaceId}:${projectId}:phone:${input.phone}`);
  if (input.email)
    keys.push(`lptracker:identity:${workspaceId}:${projectId}:email:${input.email.toLowerCase()}`);
  return keys;
}

/** The name a new lead gets: the input's, else the contact's, else a plain default. */
export function leadNameOf(input: LptrackerLeadInput): string {
  return input.name?.trim() || input.contactName?.trim() || 'Заявка';
}

/** A lead of the contact with the same name (case and outer spaces ignored), to reuse instead of a second one. */
export function reusableLead(
  leads: readonly LptrackerLeadRecord[],
  input: LptrackerLeadInput,
): LptrackerLeadRecord | null {
  const wanted = leadNameOf(input).toLowerCase();
  return leads.find((lead) => (lead.name ?? '').trim().toLowerCase() === wanted) ?? null;
}

/** `POST /lead` body (without `callback`: LptrackerAccountApi.createLead adds `callback: false`). */
export function newLeadBody(
  projectId: number,
  input: LptrackerLeadInput,
  contactId: number | null,
): LptrackerNewLead {
  const details: { type: 'phone' | 'email'; data: string }[] = [];
  if (input.phone) details.push({ type: 'phone', data: input.phone });
  if (input.email) details.push({ type: 'email', data: input.email });
  const body: LptrackerNewLead = { name: leadNameOf(input) };
  if (contactId !== null) body.contact_id = contactId;
  else
    body.contact = {
      project_id: projectId,
      ...(input.contactName ? { name: input.contactName } : {}),
      details,
      ...(Object.keys(input.contactFields).length > 0 ? { fields: { ...input.contactFields } } : {}),
    };
  if (input.stageId !== null) body.funnel = input.stageId;
  if (input.ownerId !== null) body.owner = input.ownerId;
  if (Object.keys(input.custom).length > 0) body.custom = { ...input.custom };
  const view = Object.fromEntries(Object.entries(input.view).filter(([, value]) => Boolean(value)));
  if (Object.keys(view).length > 0) body.view = view;
  return body;
}

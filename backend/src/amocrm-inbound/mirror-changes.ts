import type { CustomFieldValues } from '../contacts/contact.entity';
import type { JsonValue } from '../database/columns';
import type {
  ContactValues,
  DomainEventType,
  DomainEventValues,
  LeadValues,
  StageValues,
} from '../inbox/domain-events';

/**
 * What a change did to a mirror row, told as domain events (pure): the row before (read under its lock, in the
 * transaction that applies the change) against the row after. So two deliveries of one change — `leads[status]`
 * and `leads[update]` of the same move, in one body or two — publish the stage change once: the second one finds
 * the row already in the new stage.
 */

/** One domain event before it is addressed (workspace, source, inbox event, entity, time). */
export type DomainChange = { [T in DomainEventType]: { type: T } & DomainEventValues[T] }[DomainEventType];

export interface ContactState {
  name: string;
  phones: string[] | null;
  emails: string[] | null;
  responsibleUserId: number | null;
  customFields: CustomFieldValues[] | null;
  deletedAt?: Date | null;
}

export interface LeadState {
  name: string;
  statusId: number | null;
  pipelineId: number | null;
  price: number | null;
  responsibleUserId: number | null;
  customFields: CustomFieldValues[] | null;
  tags: string[] | null;
  deletedAt?: Date | null;
}

/** What the payload itself says the lead was before (`old_status_id`, `old_pipeline_id`, `old_responsible_user_id`). */
export interface PayloadOld {
  statusId: number | null;
  pipelineId: number | null;
  responsibleUserId: number | null;
}

export function contactValues(row: ContactState): ContactValues {
  return {
    name: row.name,
    phones: row.phones ?? [],
    emails: row.emails ?? [],
    responsibleUserId: idText(row.responsibleUserId),
    fields: fieldValues(row.customFields),
  };
}

export function leadValues(row: LeadState): LeadValues {
  return {
    name: row.name,
    pipelineId: idText(row.pipelineId),
    statusId: idText(row.statusId),
    price: row.price,
    responsibleUserId: idText(row.responsibleUserId),
    fields: fieldValues(row.customFields),
  };
}

export function stageOf(row: Pick<LeadState, 'statusId' | 'pipelineId'>): StageValues | null {
  return row.statusId === null
    ? null
    : { pipelineId: idText(row.pipelineId), statusId: String(row.statusId) };
}

/** The stage a lead left: the mirror's when it knew the lead, else what the payload says; null when unknown. */
export function previousStage(before: LeadState | null, payloadOld: PayloadOld | null): StageValues | null {
  const fromMirror = before && !before.deletedAt ? stageOf(before) : null;
  if (fromMirror) return fromMirror;
  if (!payloadOld || payloadOld.statusId === null) return null;
  return { pipelineId: idText(payloadOld.pipelineId), statusId: String(payloadOld.statusId) };
}

export function sameStage(a: StageValues | null, b: StageValues | null): boolean {
  return a?.statusId === b?.statusId && a?.pipelineId === b?.pipelineId;
}

/**
 * Domain events of a contact change: `after` null means deleted. New to the mirror → created; deleted row
 * restored → updated; otherwise updated only when a mirrored field changed. Deleting a row already deleted
 * tells nothing again.
 */
export function contactChanges(before: ContactState | null, after: ContactState | null): DomainChange[] {
  if (after === null) {
    if (before?.deletedAt) return [];
    return [{ type: 'contact.deleted', old: before ? contactValues(before) : null, new: null }];
  }
  const next = contactValues(after);
  if (before === null) return [{ type: 'contact.created', old: null, new: next }];
  const previous = contactValues(before);
  if (before.deletedAt || !sameJson(previous, next))
    return [{ type: 'contact.updated', old: previous, new: next }];
  return [];
}

/**
 * Domain events of a lead change: `after` null means deleted.
 * - new to the mirror: `lead.created`, plus `lead.stage_changed` / `lead.responsible_changed` when the payload
 *   names the previous stage / responsible (a status or responsible change of a lead we did not know);
 * - known: `lead.stage_changed` when status or pipeline moved, `lead.responsible_changed` when the responsible
 *   user changed, `lead.updated` when anything else kept in the mirror changed (name, price, custom fields,
 *   tags) or the row was restored.
 * Old values come from the mirror row before the change, else from the payload's `old_*` fields.
 */
export function leadChanges(
  before: LeadState | null,
  after: LeadState | null,
  payloadOld: PayloadOld | null = null,
): DomainChange[] {
  if (after === null) {
    if (before?.deletedAt) return [];
    return [{ type: 'lead.deleted', old: before ? leadValues(before) : null, new: null }];
  }
  const changes: DomainChange[] = [];
  const next = leadValues(after);
  const known = before !== null && !before.deletedAt;
  if (before === null) changes.push({ type: 'lead.created', old: null, new: next });
  else if (before.deletedAt) changes.push({ type: 'lead.updated', old: leadValues(before), new: next });

  const oldStage = previousStage(before, payloadOld);
  const newStage = stageOf(after);
  if (newStage && oldStage && !sameStage(oldStage, newStage))
    changes.push({ type: 'lead.stage_changed', old: oldStage, new: newStage });

  const oldResponsible = known ? before.responsibleUserId : (payloadOld?.responsibleUserId ?? null);
  if ((known || oldResponsible !== null) && oldResponsible !== after.responsibleUserId) {
    changes.push({
      type: 'lead.responsible_changed',
      old: { responsibleUserId: idText(oldResponsible) },
      new: { responsibleUserId: idText(after.responsibleUserId) },
    });
  }
  if (known && !sameJson(otherLeadFields(before), otherLeadFields(after)))
    changes.push({ type: 'lead.updated', old: leadValues(before), new: next });
  return changes;
}

/** The lead's fields that `lead.updated` is about (stage and responsible have their own events). */
function otherLeadFields(row: LeadState): JsonValue {
  return {
    name: row.name,
    price: row.price,
    fields: fieldValues(row.customFields),
    tags: [...(row.tags ?? [])].sort(),
  };
}

/** Custom fields by field id: the values' texts (select options by their text), as rules compare them. */
function fieldValues(fields: readonly CustomFieldValues[] | null): Record<string, JsonValue> {
  const values: Record<string, JsonValue> = {};
  for (const field of fields ?? []) values[String(field.fieldId)] = field.values.map((item) => item.value);
  return values;
}

function idText(id: number | null | undefined): string | null {
  return id === null || id === undefined ? null : String(id);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

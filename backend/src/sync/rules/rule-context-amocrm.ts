import type { AmoContact, AmoCustomFieldValue, AmoLead } from '../../amocrm/client/amocrm-api.types';
import type { AmocrmWebhookChange, AmocrmWebhookCustomField } from '../../amocrm/webhooks';
import type { RuleEventContext } from './rule-evaluate';
import type { RuleEvent } from './rule.types';
import type { RuleValue } from './rule-values';

/**
 * The values of an amoCRM webhook change as rules read them (pure). amoCRM sends the entity's fields after the
 * change and, for a stage or responsible change, the values before it (`old_status_id`, `old_pipeline_id`,
 * `old_responsible_user_id`): they are the `old.` values and the changed fields.
 */

/** The domain events an amoCRM lead or contact change stands for (a status change is also an update). */
export function amocrmEventsOf(change: AmocrmWebhookChange): RuleEvent[] {
  if (change.entity !== 'lead' && change.entity !== 'contact') return [];
  const entity = change.entity;
  switch (change.action) {
    case 'add':
      return [`${entity}.created`];
    case 'delete':
      return [`${entity}.deleted`];
    case 'status':
      return entity === 'lead' ? ['lead.updated', 'lead.stage_changed'] : ['contact.updated'];
    case 'update':
    case 'restore':
    case 'responsible':
      return [`${entity}.updated`];
    default:
      return [];
  }
}

/** A custom field's values: the enum ids of select-like fields, else the texts (a list when several). */
function customValue(field: AmocrmWebhookCustomField): RuleValue {
  const values: (string | number)[] = [];
  for (const item of field.values) {
    if (item.enum !== null) values.push(item.enum);
    else if (item.value !== null) values.push(item.value);
  }
  if (values.length === 0) return null;
  return values.length === 1 ? values[0] : values;
}

const texts = (field: AmocrmWebhookCustomField | undefined): string[] =>
  (field?.values ?? []).flatMap((item) => (item.value !== null && item.value !== '' ? [item.value] : []));

/** One amoCRM lead or contact change as a rule context for `event` (one of `amocrmEventsOf(change)`). */
export function amocrmChangeContext(change: AmocrmWebhookChange, event: RuleEvent): RuleEventContext {
  const values: Record<string, RuleValue> = { 'event.source': 'amocrm', 'event.type': event };
  if (change.entity === 'contact') {
    values['contact.name'] = change.name;
    const byCode = (code: string) => change.customFields.find((field) => field.code?.toUpperCase() === code);
    values['contact.phone'] = texts(byCode('PHONE'));
    values['contact.email'] = texts(byCode('EMAIL'));
    for (const field of change.customFields)
      if (field.id !== null) values[`contact.custom.${field.id}`] = customValue(field);
    return { source: 'amocrm', event, values, old: null, changedFields: null };
  }
  values['lead.name'] = change.name;
  values['lead.price'] = change.price;
  values['lead.status'] = change.statusId;
  values['lead.pipeline'] = change.pipelineId;
  values['lead.responsible'] = change.responsibleUserId;
  values['lead.tags'] = change.tags.map((tag) => tag.name);
  values['lead.created_at'] = change.createdAt ?? change.dateCreate;
  for (const field of change.customFields)
    if (field.id !== null) values[`lead.custom.${field.id}`] = customValue(field);
  const old: Record<string, RuleValue> = {};
  if (change.oldStatusId !== null) old['lead.status'] = change.oldStatusId;
  if (change.oldPipelineId !== null) old['lead.pipeline'] = change.oldPipelineId;
  if (change.oldResponsibleUserId !== null) old['lead.responsible'] = change.oldResponsibleUserId;
  const hasOld = Object.keys(old).length > 0;
  return {
    source: 'amocrm',
    event,
    values,
    old: hasOld ? old : null,
    changedFields: hasOld ? Object.keys(old).filter((ref) => old[ref] !== values[ref]) : null,
  };
}

/** What the mirror held before a reconciled lead (its old values); null: the mirror did not have it. */
export interface MirroredBefore {
  statusId: number | null;
  pipelineId: number | null;
  responsibleUserId: number | null;
}

const fieldsOf = (values: AmoCustomFieldValue[] | null | undefined): AmocrmWebhookCustomField[] =>
  (values ?? []).map((field) => ({
    id: field.field_id ?? null,
    name: field.field_name ?? null,
    code: field.field_code ?? null,
    values: field.values.map((item) => ({
      value: item.value === null || item.value === undefined ? null : String(item.value),
      enum: item.enum_id ?? null,
    })),
  }));

/**
 * An amoCRM lead or contact read by reconciliation, as the webhook change rules read (pure): new to the mirror →
 * `add` (`*.created`); a lead whose stage differs from the mirror's → `status` with the old stage, pipeline and
 * responsible from the mirror row (`lead.stage_changed`, `old.*`); else `update`. A deleted one → `delete`.
 */
export function reconciledChange(
  entity: 'lead' | 'contact',
  item: AmoLead | AmoContact,
  before: MirroredBefore | null,
): AmocrmWebhookChange {
  const lead = entity === 'lead' ? (item as AmoLead) : null;
  const moved =
    lead !== null &&
    before !== null &&
    (before.statusId !== lead.status_id || before.pipelineId !== lead.pipeline_id);
  const action = item.is_deleted ? 'delete' : before === null ? 'add' : moved ? 'status' : 'update';
  const responsibleChanged =
    lead !== null && before !== null && before.responsibleUserId !== lead.responsible_user_id;
  return {
    entity,
    action,
    id: item.id,
    name: item.name ?? null,
    statusId: lead?.status_id ?? null,
    oldStatusId: moved ? before.statusId : null,
    pipelineId: lead?.pipeline_id ?? null,
    oldPipelineId: moved ? before.pipelineId : null,
    price: lead?.price ?? null,
    responsibleUserId: item.responsible_user_id ?? null,
    oldResponsibleUserId: responsibleChanged ? before.responsibleUserId : null,
    createdUserId: null,
    modifiedUserId: null,
    dateCreate: item.created_at ?? null,
    lastModified: item.updated_at ?? null,
    createdAt: item.created_at ?? null,
    updatedAt: item.updated_at ?? null,
    closedAt: lead?.closed_at ?? null,
    customFields: fieldsOf(item.custom_fields_values),
    tags: (lead?._embedded?.tags ?? []).map((tag) => ({ id: tag.id, name: tag.name })),
    linkedLeadIds: (entity === 'contact' ? ((item as AmoContact)._embedded?.leads ?? []) : []).map(
      (ref) => ref.id,
    ),
    note: null,
    fields: {},
  };
}

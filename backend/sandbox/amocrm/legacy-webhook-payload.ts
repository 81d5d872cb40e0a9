import type { AccountData } from './account-data';
import type { ChangeAction, ChangedEntity, EntityChange } from './change-log';
import { renderLegacyCustomFields } from './custom-field-values';
import type { ContactRecord, LeadRecord } from './entity-records';
import type { FormValue } from './form-encoding';

/**
 * Builds amoCRM's legacy (API v2 era) webhook bodies: `leads[status][0][old_status_id]`,
 * `date_create`, `last_modified`, `modified_user_id`, `custom_fields[i][values][j][enum]`…
 */

type FormObject = { [key: string]: FormValue };

/** The subscription event a change belongs to: `status_lead`, `add_contact`… */
export function eventName(entity: ChangedEntity, action: ChangeAction): string {
  return `${action}_${entity === 'leads' ? 'lead' : 'contact'}`;
}

export interface EventGroup {
  entity: ChangedEntity;
  action: ChangeAction;
  event: string;
  /** Legacy entity objects, snapshotted when the group was built. */
  items: FormObject[];
}

const ACTION_ORDER: readonly ChangeAction[] = ['add', 'status', 'responsible', 'update', 'delete', 'restore'];

/** Groups an operation's changes per (entity, action), each holding every entity changed that way. */
export function buildEventGroups(data: AccountData, changes: readonly EntityChange[]): EventGroup[] {
  const groups: EventGroup[] = [];
  for (const entity of ['contacts', 'leads'] as const) {
    for (const action of ACTION_ORDER) {
      const matching = changes.filter((change) => change.entity === entity && change.action === action);
      const items = matching.flatMap((change) => {
        const item = legacyItem(data, change);
        return item ? [item] : [];
      });
      if (items.length > 0) groups.push({ entity, action, event: eventName(entity, action), items });
    }
  }
  return groups;
}

/** The full form body of one group: `{entity}[{action}][i][…]` then `account[…]`. */
export function legacyBody(data: AccountData, group: EventGroup): FormObject {
  return {
    [group.entity]: { [group.action]: group.items },
    account: { subdomain: data.subdomain, id: data.id, _links: { self: data.baseUrl } },
  };
}

function legacyItem(data: AccountData, change: EntityChange): FormObject | undefined {
  if (change.entity === 'leads') {
    const lead = data.leads.get(change.id);
    if (!lead) return undefined;
    if (change.action === 'delete')
      return { id: lead.id, status_id: lead.statusId, pipeline_id: lead.pipelineId };
    return legacyLead(data, lead, change);
  }
  const contact = data.contacts.get(change.id);
  if (!contact) return undefined;
  if (change.action === 'delete') return { id: contact.id, type: 'contact' };
  return legacyContact(data, contact, change);
}

function legacyLead(data: AccountData, lead: LeadRecord, change: EntityChange): FormObject {
  const item: FormObject = {
    id: lead.id,
    name: lead.name,
    status_id: lead.statusId,
    ...(change.action === 'status' ? { old_status_id: change.oldStatusId ?? lead.statusId } : {}),
    price: lead.price,
    responsible_user_id: lead.responsibleUserId,
    ...(change.action === 'responsible'
      ? { old_responsible_user_id: change.oldResponsibleUserId ?? null }
      : {}),
    last_modified: lead.updatedAt,
    modified_user_id: lead.updatedBy,
    created_user_id: lead.createdBy,
    date_create: lead.createdAt,
    pipeline_id: lead.pipelineId,
    ...(change.action === 'status' ? { old_pipeline_id: change.oldPipelineId ?? lead.pipelineId } : {}),
    account_id: data.id,
  };
  const tags = data.leadTags.legacy(lead.tagIds);
  if (tags.length > 0) item.tags = tags;
  const customFields = renderLegacyCustomFields(lead.customFields, data.leadFields);
  if (customFields.length > 0) item.custom_fields = customFields;
  if (lead.closedAt !== null) item.closed_at = lead.closedAt;
  item.created_at = lead.createdAt;
  item.updated_at = lead.updatedAt;
  return item;
}

function legacyContact(data: AccountData, contact: ContactRecord, change: EntityChange): FormObject {
  const item: FormObject = {
    id: contact.id,
    name: contact.name,
    ...(contact.firstName ? { first_name: contact.firstName } : {}),
    ...(contact.lastName ? { last_name: contact.lastName } : {}),
    responsible_user_id: contact.responsibleUserId,
    ...(change.action === 'responsible'
      ? { old_responsible_user_id: change.oldResponsibleUserId ?? null }
      : {}),
    date_create: contact.createdAt,
    last_modified: contact.updatedAt,
    created_user_id: contact.createdBy,
    modified_user_id: contact.updatedBy,
    account_id: data.id,
  };
  const tags = data.contactTags.legacy(contact.tagIds);
  if (tags.length > 0) item.tags = tags;
  const customFields = renderLegacyCustomFields(contact.customFields, data.contactFields);
  if (customFields.length > 0) item.custom_fields = customFields;
  const leads = data.leadsOfContact(contact.id);
  if (leads.length > 0) {
    const linked: FormObject = {};
    for (const lead of leads) linked[String(lead.id)] = { ID: lead.id };
    item.linked_leads_id = linked;
  }
  item.type = 'contact';
  item.created_at = contact.createdAt;
  item.updated_at = contact.updatedAt;
  return item;
}

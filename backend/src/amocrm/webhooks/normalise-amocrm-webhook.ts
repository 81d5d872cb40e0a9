import type { NestedFormObject, NestedFormValue } from '../../http/nested-form';
import type { AmocrmWebhookPayload } from './parse-amocrm-webhook-form';

/**
 * Turns a parsed amoCRM webhook (legacy v2 field names: `date_create`, `last_modified`, `custom_fields[i][values]`,
 * `linked_leads_id[LEADID][ID]`…) into typed changes, one per entity and action. Unknown entities are skipped,
 * and so are items without a numeric id; every change keeps its raw fields in `fields`.
 */

export type AmocrmWebhookEntity = 'lead' | 'contact' | 'company' | 'customer' | 'task';
export type AmocrmWebhookAction = 'add' | 'update' | 'status' | 'delete' | 'restore' | 'responsible' | 'note';

export interface AmocrmWebhookFieldValue {
  value: string | null;
  /** The enum id of select-like fields. */
  enum: number | null;
}

export interface AmocrmWebhookCustomField {
  id: number | null;
  name: string | null;
  code: string | null;
  values: AmocrmWebhookFieldValue[];
}

export interface AmocrmWebhookNote {
  id: number | null;
  text: string | null;
  noteType: string | null;
  elementId: number | null;
  elementType: number | null;
}

export interface AmocrmWebhookChange {
  entity: AmocrmWebhookEntity;
  action: AmocrmWebhookAction;
  /** The entity's id (for notes: the entity the note belongs to). */
  id: number;
  name: string | null;
  statusId: number | null;
  oldStatusId: number | null;
  pipelineId: number | null;
  oldPipelineId: number | null;
  price: number | null;
  responsibleUserId: number | null;
  oldResponsibleUserId: number | null;
  createdUserId: number | null;
  modifiedUserId: number | null;
  /** Unix seconds. */
  dateCreate: number | null;
  lastModified: number | null;
  createdAt: number | null;
  updatedAt: number | null;
  closedAt: number | null;
  customFields: AmocrmWebhookCustomField[];
  tags: { id: number | null; name: string }[];
  /** Contacts: the leads linked to it (`linked_leads_id` is keyed by lead id). */
  linkedLeadIds: number[];
  note: AmocrmWebhookNote | null;
  /** The entity's fields exactly as parsed. */
  fields: NestedFormObject;
}

export interface NormalisedAmocrmWebhook {
  account: { id: number | null; subdomain: string | null };
  changes: AmocrmWebhookChange[];
}

const ENTITY_KEYS: Readonly<Record<string, AmocrmWebhookEntity>> = {
  leads: 'lead',
  lead: 'lead',
  contacts: 'contact',
  contact: 'contact',
  companies: 'company',
  company: 'company',
  customers: 'customer',
  customer: 'customer',
  tasks: 'task',
  task: 'task',
};

const ACTIONS: ReadonlySet<string> = new Set([
  'add',
  'update',
  'status',
  'delete',
  'restore',
  'responsible',
  'note',
]);

export function normaliseAmocrmWebhook(payload: AmocrmWebhookPayload): NormalisedAmocrmWebhook {
  const account = asObject(payload.account);
  const changes: AmocrmWebhookChange[] = [];
  for (const [entityKey, byAction] of Object.entries(payload)) {
    const entity = ENTITY_KEYS[entityKey];
    const actions = asObject(byAction);
    if (!entity || !actions) continue;
    for (const [action, items] of Object.entries(actions)) {
      if (!ACTIONS.has(action)) continue;
      for (const item of asList(items)) {
        const fields = asObject(item);
        const change = fields ? toChange(entity, action as AmocrmWebhookAction, fields) : null;
        if (change) changes.push(change);
      }
    }
  }
  return {
    account: { id: integer(account?.id), subdomain: text(account?.subdomain) },
    changes,
  };
}

function toChange(
  entityFromKey: AmocrmWebhookEntity,
  action: AmocrmWebhookAction,
  fields: NestedFormObject,
): AmocrmWebhookChange | null {
  const note = action === 'note' ? readNote(fields) : null;
  const id = note?.elementId ?? integer(fields.element_id) ?? integer(fields.id);
  if (id === null) return null;
  const entity = entityFromKey === 'contact' && text(fields.type) === 'company' ? 'company' : entityFromKey;
  return {
    entity,
    action,
    id,
    name: text(fields.name),
    statusId: integer(fields.status_id),
    oldStatusId: integer(fields.old_status_id),
    pipelineId: integer(fields.pipeline_id),
    oldPipelineId: integer(fields.old_pipeline_id),
    price: number(fields.price),
    responsibleUserId: integer(fields.responsible_user_id),
    oldResponsibleUserId: integer(fields.old_responsible_user_id),
    createdUserId: integer(fields.created_user_id),
    modifiedUserId: integer(fields.modified_user_id),
    dateCreate: integer(fields.date_create),
    lastModified: integer(fields.last_modified),
    createdAt: integer(fields.created_at),
    updatedAt: integer(fields.updated_at),
    closedAt: integer(fields.closed_at),
    customFields: asList(fields.custom_fields).flatMap((raw) => {
      const field = asObject(raw);
      if (!field) return [];
      return [
        {
          id: integer(field.id),
          name: text(field.name),
          code: text(field.code),
          values: asList(field.values).map(readValue),
        },
      ];
    }),
    tags: asList(fields.tags).flatMap((raw) => {
      const tag = asObject(raw);
      const name = text(tag?.name);
      return tag && name !== null ? [{ id: integer(tag.id), name }] : [];
    }),
    linkedLeadIds: linkedLeads(fields.linked_leads_id),
    note,
    fields,
  };
}

/** `values[j]` is `{value, enum}` or a bare scalar (`values[0]=1542067200`). */
function readValue(raw: NestedFormValue): AmocrmWebhookFieldValue {
  if (typeof raw === 'string') return { value: raw, enum: null };
  const value = asObject(raw);
  return { value: text(value?.value, true), enum: integer(value?.enum) };
}

function readNote(fields: NestedFormObject): AmocrmWebhookNote {
  const note = asObject(fields.note) ?? fields;
  return {
    id: integer(note.id),
    text: text(note.text, true),
    noteType: text(note.note_type),
    elementId: integer(note.element_id),
    elementType: integer(note.element_type),
  };
}

/** `linked_leads_id[18000001][ID]=18000001` (keyed by lead id); a list of ids is accepted too. */
function linkedLeads(raw: NestedFormValue | undefined): number[] {
  if (raw === undefined) return [];
  const ids = new Set<number>();
  const entries = Array.isArray(raw)
    ? raw.map((value, index) => [String(index), value] as const)
    : Object.entries(asObject(raw) ?? {});
  for (const [key, value] of entries) {
    const inner = asObject(value);
    const id =
      integer(inner?.ID) ??
      integer(inner?.id) ??
      (typeof value === 'string' ? integer(value) : null) ??
      integer(key);
    if (id !== null) ids.add(id);
  }
  return [...ids];
}

function asObject(value: NestedFormValue | undefined): NestedFormObject | null {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** Lists come as arrays; an object of items is accepted too, in key order. */
function asList(value: NestedFormValue | undefined): NestedFormValue[] {
  if (value === undefined || typeof value === 'string') return [];
  return Array.isArray(value) ? value : Object.values(value);
}

function text(value: NestedFormValue | undefined, keepEmpty = false): string | null {
  return typeof value === 'string' && (keepEmpty || value !== '') ? value : null;
}

function integer(value: NestedFormValue | undefined): number | null {
  if (typeof value !== 'string' || !/^-?\d{1,16}$/.test(value.trim())) return null;
  const parsed = Number(value.trim());
  return Number.isSafeInteger(parsed) ? parsed : null;
}

function number(value: NestedFormValue | undefined): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : null;
}

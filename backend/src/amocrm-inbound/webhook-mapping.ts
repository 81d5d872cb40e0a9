import type { CountryCode } from 'libphonenumber-js';
import type {
  AmoContact,
  AmoCustomFieldValue,
  AmoCustomFieldValueItem,
  AmoLead,
} from '../amocrm/client/amocrm-api.types';
import type { AmocrmCustomFieldMeta, AmocrmMetadata } from '../amocrm/metadata/amocrm-metadata.types';
import type { AmocrmWebhookChange, AmocrmWebhookCustomField } from '../amocrm/webhooks';
import type { ContactData } from '../contacts/contacts.repository';
import { isOpenStatus } from '../leads/lead-status';
import type { LeadData } from '../leads/leads.repository';
import { contactDataFromAmo, type ContactFieldIds } from '../sync/contacts/contact-mapping';
import { leadDataFromAmo } from '../sync/leads/lead-mapping';
import { placementNames } from '../sync/leads/lead-rules';
import { MIRROR_SOURCE } from './amocrm-inbound.constants';

/**
 * amoCRM webhooks speak the old v2 field names (`date_create`, `last_modified`, `custom_fields[i][values][j]
 * [value|enum]`, bare `values[0]=1542067200`, `tags[i][name]`, `status_id`, `responsible_user_id`, `price`). They
 * are turned into the v4 shapes the API answers (`custom_fields_values`, `_embedded.tags`…), so a webhook and an
 * API read of the same entity go through the same mirror mapping (`contactDataFromAmo`, `leadDataFromAmo`) and
 * converge on the same row: phones in E.164, custom fields as `{fieldId, fieldCode, fieldName, values:[{value,
 * enumId}]}` with values typed like the API's (dates as unix seconds, checkboxes as booleans), the stage's name
 * from the metadata cache.
 */

export type MirrorContactData = ContactData & { amocrmId: number };
export type MirrorLeadData = LeadData & { amocrmId: number };
/** Fields a partial payload changes on a known row. */
export type ContactPatch = Partial<Omit<ContactData, 'amocrmId'>>;
export type LeadPatch = Partial<Omit<LeadData, 'amocrmId'>>;

export interface MappingContext {
  /** The cached account metadata (null when never loaded: names and value types then stay as sent). */
  metadata: AmocrmMetadata | null;
  region: CountryCode;
  syncedAt: Date;
}

const DATE_TYPES = new Set(['date', 'date_time', 'birthday']);

/**
 * The fields every full contact payload carries (amoCRM sends the whole entity; custom fields without a value are
 * left out, so their absence means empty). Without them the payload may be partial and is read from the API.
 */
export function missingContactFields(change: AmocrmWebhookChange): string[] {
  return [
    ...(change.name === null ? ['name'] : []),
    ...(change.responsibleUserId === null ? ['responsible_user_id'] : []),
  ];
}

/** The fields every full lead payload carries; without them the payload may be partial and is read from the API. */
export function missingLeadFields(change: AmocrmWebhookChange): string[] {
  return [
    ...(change.name === null ? ['name'] : []),
    ...(change.statusId === null ? ['status_id'] : []),
    ...(change.pipelineId === null ? ['pipeline_id'] : []),
    ...(change.responsibleUserId === null ? ['responsible_user_id'] : []),
  ];
}

/** Field ids of PHONE and EMAIL, for values that come without `code`. */
export function contactFieldIds(metadata: AmocrmMetadata | null): ContactFieldIds {
  const byCode = (code: string): number | undefined =>
    metadata?.contactFields.find((field) => field.code?.toUpperCase() === code)?.id;
  return { phone: byCode('PHONE'), email: byCode('EMAIL') };
}

/**
 * `custom_fields[i]` of a webhook as v4 `custom_fields_values`: the field found by id (else by code) in the
 * metadata for its code, name and type; `[enum]` becomes `enum_id` (the option's text filled in when only the
 * enum came); dates become unix seconds and checkboxes booleans, as the API answers them; empty fields are left
 * out (amoCRM omits fields without a value).
 */
export function customFieldsFromWebhook(
  fields: readonly AmocrmWebhookCustomField[],
  definitions: readonly AmocrmCustomFieldMeta[],
): AmoCustomFieldValue[] {
  const result: AmoCustomFieldValue[] = [];
  for (const field of fields) {
    const definition =
      (field.id !== null ? definitions.find((candidate) => candidate.id === field.id) : undefined) ??
      (field.code !== null
        ? definitions.find((candidate) => candidate.code?.toUpperCase() === field.code?.toUpperCase())
        : undefined);
    const fieldId = field.id ?? definition?.id;
    const fieldCode = field.code ?? definition?.code ?? null;
    const fieldName = field.name ?? definition?.name;
    if (fieldId === undefined && fieldCode === null) continue; // nothing names the field
    const values: AmoCustomFieldValueItem[] = [];
    for (const item of field.values) {
      const optionText =
        item.enum !== null ? definition?.enums?.find((option) => option.id === item.enum)?.value : undefined;
      const text = item.value ?? optionText ?? null;
      if (text === null && item.enum === null) continue;
      values.push({
        value: typedValue(text, definition?.type),
        ...(item.enum !== null ? { enum_id: item.enum } : {}),
      });
    }
    if (values.length === 0) continue;
    result.push({
      ...(fieldId !== undefined ? { field_id: fieldId } : {}),
      field_code: fieldCode,
      ...(fieldName ? { field_name: fieldName } : {}),
      values,
    });
  }
  return result;
}

/** A value as the v4 API types it: unix seconds for dates, booleans for checkboxes, text otherwise. */
export function typedValue(text: string | null, type: string | undefined): string | number | boolean | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (type !== undefined && DATE_TYPES.has(type)) {
    if (/^-?\d{1,12}$/.test(trimmed)) return Number(trimmed);
    const ms = /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
    return Number.isNaN(ms) ? text : Math.floor(ms / 1000);
  }
  if (type === 'checkbox') {
    if (['1', 'true', 'y', 'yes', 'on'].includes(trimmed.toLowerCase())) return true;
    if (['0', 'false', 'n', 'no', 'off', ''].includes(trimmed.toLowerCase())) return false;
  }
  return text;
}

/** A full contact payload as the v4 contact it describes. */
export function contactFromWebhook(change: AmocrmWebhookChange, metadata: AmocrmMetadata | null): AmoContact {
  const version = change.updatedAt ?? change.lastModified ?? 0;
  return {
    id: change.id,
    name: change.name ?? '',
    responsible_user_id: change.responsibleUserId ?? 0,
    created_at: change.createdAt ?? change.dateCreate ?? 0,
    updated_at: version,
    custom_fields_values: customFieldsFromWebhook(change.customFields, metadata?.contactFields ?? []),
    _embedded: { tags: change.tags.map((tag) => ({ id: tag.id ?? 0, name: tag.name })) },
  };
}

/** A full lead payload as the v4 lead it describes. */
export function leadFromWebhook(change: AmocrmWebhookChange, metadata: AmocrmMetadata | null): AmoLead {
  const version = change.updatedAt ?? change.lastModified ?? 0;
  return {
    id: change.id,
    name: change.name ?? '',
    price: change.price === null ? null : Math.round(change.price),
    responsible_user_id: change.responsibleUserId ?? 0,
    status_id: change.statusId ?? 0,
    pipeline_id: change.pipelineId ?? 0,
    created_at: change.createdAt ?? change.dateCreate ?? 0,
    updated_at: version,
    closed_at: closingTime(change, version),
    custom_fields_values: customFieldsFromWebhook(change.customFields, metadata?.leadFields ?? []),
    _embedded: { tags: change.tags.map((tag) => ({ id: tag.id ?? 0, name: tag.name })) },
  };
}

/** The mirror row of a contact read from the API or built from a full payload. */
export function mirrorContactData(
  contact: Pick<AmoContact, 'id' | 'name' | 'responsible_user_id' | 'custom_fields_values'>,
  context: MappingContext,
): MirrorContactData {
  const data = contactDataFromAmo(
    contact,
    context.region,
    contactFieldIds(context.metadata),
    context.syncedAt,
  );
  return { ...data, responsibleUserId: positiveOrNull(contact.responsible_user_id) };
}

/** The mirror row of a lead read from the API or built from a full payload, linked to `contactId`. */
export function mirrorLeadData(
  lead: AmoLead,
  contactId: string | null,
  context: MappingContext,
): MirrorLeadData {
  const data = leadDataFromAmo(lead, contactId, context.metadata, MIRROR_SOURCE, context.syncedAt);
  return { ...data, responsibleUserId: positiveOrNull(lead.responsible_user_id) };
}

/** A contact row with the mirror fields of a full payload (`contacts[add|update|restore|responsible]`). */
export function contactDataFromWebhook(
  change: AmocrmWebhookChange,
  context: MappingContext,
): MirrorContactData {
  return mirrorContactData(contactFromWebhook(change, context.metadata), context);
}

/** A lead row with the mirror fields of a full payload; `contactId` is the link kept or found for it. */
export function leadDataFromWebhook(
  change: AmocrmWebhookChange,
  contactId: string | null,
  context: MappingContext,
): MirrorLeadData {
  return mirrorLeadData(leadFromWebhook(change, context.metadata), contactId, context);
}

/**
 * What a partial payload changes on a known lead (`leads[status]` or `leads[responsible]` without the whole
 * lead): the stage (with its name and the closing time) and whatever else it carries.
 */
export function leadPatchFromWebhook(
  change: AmocrmWebhookChange,
  current: Pick<LeadData, 'statusId' | 'pipelineId' | 'closedAt'>,
  context: MappingContext,
): LeadPatch {
  const patch: LeadPatch = {};
  if (change.statusId !== null) {
    const pipelineId = change.pipelineId ?? current.pipelineId;
    patch.statusId = change.statusId;
    patch.pipelineId = pipelineId;
    patch.status = placementNames(context.metadata, pipelineId, change.statusId).status;
    patch.closedAt = isOpenStatus(change.statusId)
      ? null
      : change.closedAt !== null && change.closedAt > 0
        ? new Date(change.closedAt * 1000)
        : !isOpenStatus(current.statusId)
          ? current.closedAt
          : new Date((change.updatedAt ?? change.lastModified ?? context.syncedAt.getTime() / 1000) * 1000);
  }
  if (change.name !== null) patch.name = change.name;
  if (change.price !== null) patch.price = Math.round(change.price);
  if (change.responsibleUserId !== null) patch.responsibleUserId = change.responsibleUserId;
  patch.syncedAt = context.syncedAt;
  return patch;
}

/** What a partial contact payload (`contacts[responsible]` without the whole contact) changes. */
export function contactPatchFromWebhook(change: AmocrmWebhookChange, context: MappingContext): ContactPatch {
  return {
    ...(change.name !== null ? { name: change.name } : {}),
    ...(change.responsibleUserId !== null ? { responsibleUserId: change.responsibleUserId } : {}),
    syncedAt: context.syncedAt,
  };
}

/**
 * When a closed lead was closed: `closed_at`, else the v2 `date_close`; a payload that names neither (a lead
 * moved to won/lost) is taken as closed at its version. Open leads have none.
 */
function closingTime(change: AmocrmWebhookChange, version: number): number | null {
  if (isOpenStatus(change.statusId)) return null;
  const dateClose = change.fields.date_close;
  const legacy = typeof dateClose === 'string' && /^\d{1,12}$/.test(dateClose) ? Number(dateClose) : null;
  return [change.closedAt, legacy, version].find((time) => time !== null && time > 0) ?? null;
}

function positiveOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && value > 0 ? value : null;
}

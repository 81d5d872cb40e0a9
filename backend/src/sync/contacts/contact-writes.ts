import type { CountryCode } from 'libphonenumber-js';
import type {
  AmoContact,
  AmoContactInput,
  AmoContactUpdate,
  AmoCustomFieldValue,
} from '../../amocrm/client/amocrm-api.types';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { CustomFieldInput, PreparedCustomField, PreparedCustomFields } from '../custom-fields';
import { echoOfCustomFields, prepareCustomFields } from '../custom-fields';
import type { AmoWriteShape } from '../amocrm-paths';
import type { EchoValue } from '../echo-fingerprint';
import type { ContactFieldIds } from './contact-mapping';
import { mergeMultiValue, multiValueField, sameEmail, samePhone } from './contact-matching';
import type { ContactIdentity } from './contact-identity';

/**
 * What the engine writes to amoCRM for a contact (pure steps of find-or-create and update), and what it records
 * for the echo guard.
 */

/** A contact to create in amoCRM, checked and converted. */
export interface PreparedContact {
  identity: ContactIdentity;
  name: string;
  /** The contact as amoCRM takes it (without request_id). */
  amo: AmoContactInput;
  /** How its fields map back to the client's names (amoCRM validation errors). */
  shape: AmoWriteShape;
  customFields: PreparedCustomField[];
}

/** A contact's custom fields checked against the metadata (PHONE and EMAIL are set through phone and email). */
export function checkContactCustomFields(
  inputs: readonly CustomFieldInput[] | undefined,
  metadata: AmocrmMetadata,
  path: string,
): PreparedCustomFields {
  return prepareCustomFields(inputs, metadata.contactFields, path, { reservedCodes: ['PHONE', 'EMAIL'] });
}

/** The contact to create: its phone and e-mail as WORK values, then its checked custom fields. */
export function prepareContact(
  name: string,
  identity: ContactIdentity,
  customFields: PreparedCustomField[],
  prefix: string,
): PreparedContact {
  const values: AmoCustomFieldValue[] = [];
  const sources: string[] = [];
  if (identity.phone) {
    values.push({ field_code: 'PHONE', values: [{ value: identity.phone, enum_code: 'WORK' }] });
    sources.push('phone');
  }
  if (identity.email) {
    values.push({ field_code: 'EMAIL', values: [{ value: identity.email, enum_code: 'WORK' }] });
    sources.push('email');
  }
  for (const field of customFields) {
    values.push(field.amo);
    sources.push(field.source.slice(prefix.length));
  }
  return {
    identity,
    name,
    amo: { name, custom_fields_values: values },
    shape: { prefix, customFields: sources },
    customFields,
  };
}

/** A contact update as sent to amoCRM, with the client's field for each custom field value. */
export interface ContactWrite {
  update: AmoContactUpdate;
  values: AmoCustomFieldValue[];
  sources: string[];
}

/** What an update asks for, checked: the added phone and e-mail (normalised) and the custom fields. */
export interface ContactChange {
  name?: string;
  phone: string | null;
  email: string | null;
  customFields: PreparedCustomField[];
}

/**
 * The update to send: the name, the phone and e-mail merged into the contact's current sets (`current`, read from
 * amoCRM: amoCRM replaces a multi-value field's whole set), and the custom fields. Null when nothing changes.
 */
export function buildContactWrite(
  amocrmId: number,
  change: ContactChange,
  current: AmoContact | null,
  fieldIds: ContactFieldIds,
  region: CountryCode,
): ContactWrite | null {
  const values: AmoCustomFieldValue[] = [];
  const sources: string[] = [];
  const addMerged = (
    code: 'PHONE' | 'EMAIL',
    added: string,
    same: (a: string, b: string) => boolean,
    source: string,
  ): void => {
    const knownId = code === 'PHONE' ? fieldIds.phone : fieldIds.email;
    const field = current ? multiValueField(current, code, knownId) : undefined;
    const merged = mergeMultiValue(field?.values ?? [], [added], same, 'WORK');
    if (!merged) return;
    const fieldId = field?.field_id ?? knownId;
    values.push(
      fieldId !== undefined ? { field_id: fieldId, values: merged } : { field_code: code, values: merged },
    );
    sources.push(source);
  };
  if (change.phone) addMerged('PHONE', change.phone, samePhone(region), 'phone');
  if (change.email) addMerged('EMAIL', change.email, sameEmail, 'email');
  for (const field of change.customFields) {
    values.push(field.amo);
    sources.push(field.source);
  }
  if (change.name === undefined && values.length === 0) return null;
  const update: AmoContactUpdate = {
    id: amocrmId,
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(values.length > 0 ? { custom_fields_values: values } : {}),
  };
  return { update, values, sources };
}

/** The PHONE and EMAIL field ids of the account (for values amoCRM answers without `field_code`). */
export function contactFieldIdsOf(metadata: AmocrmMetadata | null): ContactFieldIds {
  const byCode = (code: string): number | undefined =>
    metadata?.contactFields.find((field) => field.code?.toUpperCase() === code)?.id;
  return { phone: byCode('PHONE'), email: byCode('EMAIL') };
}

/** What a create wrote, as the echo guard compares it. */
export function echoFieldsOfCreate(
  prepared: PreparedContact,
  ids: ContactFieldIds,
): Record<string, EchoValue> {
  const fields: Record<string, EchoValue> = { name: prepared.name };
  if (prepared.identity.phone)
    fields[ids.phone !== undefined ? `cf:${ids.phone}` : 'cf:PHONE'] = [prepared.identity.phone];
  if (prepared.identity.email)
    fields[ids.email !== undefined ? `cf:${ids.email}` : 'cf:EMAIL'] = [prepared.identity.email];
  return { ...fields, ...echoOfCustomFields(prepared.customFields.map((field) => field.local)) };
}

/** What an update wrote, as the echo guard compares it. */
export function echoFieldsOfWrite(
  write: ContactWrite,
  customFields: readonly PreparedCustomField[],
  ids: ContactFieldIds,
): Record<string, EchoValue> {
  const name = write.update.name;
  const fields: Record<string, EchoValue> = name !== undefined ? { name } : {};
  const custom = new Set(customFields.map((field) => field.amo.field_id));
  for (const field of write.values) {
    if (field.field_id !== undefined && custom.has(field.field_id)) continue;
    const code = field.field_code?.toUpperCase();
    const id = field.field_id ?? (code === 'PHONE' ? ids.phone : code === 'EMAIL' ? ids.email : undefined);
    fields[id !== undefined ? `cf:${id}` : `cf:${code ?? ''}`] = field.values.map((item) =>
      typeof item.value === 'string' || typeof item.value === 'number' ? item.value : null,
    );
  }
  return { ...fields, ...echoOfCustomFields(customFields.map((field) => field.local)) };
}

/**
 * The contact's custom fields after our write: the written fields replace theirs. Custom fields are written
 * with option ids only, so their mirrored values come from the checked input (with the option's text).
 */
export function mergeWritten(
  current: AmoContact['custom_fields_values'],
  written: readonly AmoCustomFieldValue[],
  customFields: readonly PreparedCustomField[],
): AmoCustomFieldValue[] {
  const result = [...(current ?? [])];
  const localById = new Map(customFields.map((field) => [field.local.fieldId, field.local]));
  for (const field of written) {
    const local = field.field_id !== undefined ? localById.get(field.field_id) : undefined;
    const value: AmoCustomFieldValue = local
      ? {
          field_id: local.fieldId,
          field_code: local.fieldCode,
          field_name: local.fieldName ?? undefined,
          values: local.values.map((item) => ({
            value: item.value,
            ...(item.enumId !== null ? { enum_id: item.enumId } : {}),
          })),
        }
      : { ...field };
    const index = result.findIndex(
      (candidate) =>
        (field.field_id !== undefined && candidate.field_id === field.field_id) ||
        (field.field_code && candidate.field_code?.toUpperCase() === field.field_code.toUpperCase()),
    );
    if (index >= 0)
      result[index] = {
        ...result[index],
        ...value,
        field_code: value.field_code ?? result[index].field_code,
      };
    else result.push(value);
  }
  return result;
}

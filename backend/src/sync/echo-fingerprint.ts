import { createHash } from 'node:crypto';
import type { AmoCustomFieldValue, AmoTagInput } from '../amocrm/client/amocrm-api.types';
import type { AmocrmWebhookChange } from '../amocrm/webhooks';

/**
 * Fingerprints of what we wrote to amoCRM, field by field, so a webhook that describes exactly that state can
 * be recognised as our own write coming back (echo).
 *
 * Field keys: `name`, `price`, `status_id`, `pipeline_id`, `responsible_user_id`, `tags`, and `cf:<field id>` for
 * custom fields. Values are compared after canonicalisation, identical on both sides:
 * - texts are trimmed; numbers and numeric texts compare as numbers (`5` = `"5"` = `"5.0"`); true/false are
 *   `1`/`0` (webhooks send checkboxes as `"1"`/`"0"`);
 * - lists (multi-value fields, tags) are sets: order and repeats do not matter; tags compare case-insensitively;
 * - empty (`null`, `""`, `[]`, absent) is one value, so a field we cleared matches a webhook that omits it;
 * - a custom field value is its text; select options are compared by their text (webhooks carry it), which is
 *   why our writes are recorded with the option's text and not only its id.
 * Only digests (SHA-256, shortened) are kept, never the values themselves (phones, e-mails).
 */

export type EchoScalar = string | number | boolean | null;
export type EchoValue = EchoScalar | readonly EchoScalar[];
export type EchoFields = Readonly<Record<string, EchoValue | undefined>>;

/** Field key → digest of the canonical value. */
export type EchoDigests = Record<string, string>;

const SET_KEYS_CASE_INSENSITIVE = new Set(['tags']);

export function canonicalScalar(value: EchoScalar): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  const text = value.trim();
  if (text === '') return null;
  return /^-?\d+(\.\d+)?$/.test(text) ? String(Number(text)) : text;
}

/** The canonical text of a field's value: a sorted set for lists, '' for empty. */
export function canonicalValue(key: string, value: EchoValue | undefined): string {
  if (value === undefined) return '';
  const list = Array.isArray(value) ? (value as readonly EchoScalar[]) : [value as EchoScalar];
  const caseless = SET_KEYS_CASE_INSENSITIVE.has(key);
  const items = list
    .map(canonicalScalar)
    .filter((item): item is string => item !== null)
    .map((item) => (caseless ? item.toLocaleLowerCase('ru') : item));
  const unique = [...new Set(items)].sort();
  if (unique.length === 0) return '';
  return Array.isArray(value) || unique.length > 1 ? JSON.stringify(unique) : unique[0];
}

export function digestOf(key: string, value: EchoValue | undefined): string {
  return createHash('sha256')
    .update(`${key}\u0000${canonicalValue(key, value)}`)
    .digest('base64url')
    .slice(0, 22);
}

export function digestFields(fields: EchoFields): EchoDigests {
  const digests: EchoDigests = {};
  for (const [key, value] of Object.entries(fields)) digests[key] = digestOf(key, value);
  return digests;
}

/** Whether every field we wrote has, in `observed`, the value we wrote (absent counts as empty). */
export function describesWrite(written: EchoDigests, observed: EchoDigests): boolean {
  return Object.entries(written).every(
    ([key, digest]) => (observed[key] ?? digestOf(key, undefined)) === digest,
  );
}

/** One fingerprint for a whole write (to log or compare writes). */
export function fingerprintOf(digests: EchoDigests): string {
  const text = Object.keys(digests)
    .sort()
    .map((key) => `${key}=${digests[key]}`)
    .join('&');
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

// ---- building the fields on both sides ----

/** The value of a custom field item as compared: its text (select options: the option's text). */
function itemValues(field: { values?: readonly { value?: unknown }[] | null }): EchoScalar[] {
  return (field.values ?? []).map((item) => {
    const value = item.value;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? value
      : null;
  });
}

export interface AmoWriteLike {
  name?: string;
  price?: number | null;
  status_id?: number;
  pipeline_id?: number;
  responsible_user_id?: number;
  /** With each select option's text as `value` (see `withOptionTexts`), field ids resolved for field codes. */
  custom_fields_values?: readonly AmoCustomFieldValue[];
  tags?: readonly AmoTagInput[] | null;
}

/**
 * The fields of a write as we sent it. Custom fields must carry `field_id` (resolve `field_code` PHONE/EMAIL
 * through the metadata first) and, for select options, the option's text as `value`.
 */
export function echoFieldsOfWrite(write: AmoWriteLike): Record<string, EchoValue> {
  const fields: Record<string, EchoValue> = {};
  if (write.name !== undefined) fields.name = write.name;
  if (write.price !== undefined) fields.price = write.price;
  if (write.status_id !== undefined) fields.status_id = write.status_id;
  if (write.pipeline_id !== undefined) fields.pipeline_id = write.pipeline_id;
  if (write.responsible_user_id !== undefined) fields.responsible_user_id = write.responsible_user_id;
  if (write.tags !== undefined)
    fields.tags = (write.tags ?? []).flatMap((tag) => ('name' in tag ? [tag.name] : []));
  for (const field of write.custom_fields_values ?? []) {
    const key =
      field.field_id !== undefined
        ? `cf:${field.field_id}`
        : field.field_code
          ? `cf:${field.field_code.toUpperCase()}`
          : null;
    if (key) fields[key] = itemValues(field);
  }
  return fields;
}

/**
 * The fields an amoCRM webhook change describes (`normaliseAmocrmWebhook` output): what the inbox passes to
 * `EchoGuardService.isEcho` as `observed.fields`, with `observed.updatedAt` = `change.updatedAt ??
 * change.lastModified`.
 */
export function echoFieldsOfWebhookChange(change: AmocrmWebhookChange): Record<string, EchoValue> {
  const fields: Record<string, EchoValue> = {};
  if (change.name !== null) fields.name = change.name;
  if (change.price !== null) fields.price = change.price;
  if (change.statusId !== null) fields.status_id = change.statusId;
  if (change.pipelineId !== null) fields.pipeline_id = change.pipelineId;
  if (change.responsibleUserId !== null) fields.responsible_user_id = change.responsibleUserId;
  fields.tags = change.tags.map((tag) => tag.name);
  for (const field of change.customFields) {
    const key = field.id !== null ? `cf:${field.id}` : field.code ? `cf:${field.code.toUpperCase()}` : null;
    if (key) fields[key] = field.values.map((item) => item.value);
  }
  return fields;
}

import type { CountryCode } from 'libphonenumber-js/max';
import { normalizeEmail, normalizePhone } from '../contacts/phone';
import { checkBodyShape, describeBodyShapeViolation } from '../http/body-shape';
import { FormParseError, parseNestedForm } from '../http/nested-form';
import { prototypeKeyPath } from '../http/prototype-keys';
import { InboxBadRequest } from '../inbox/source-adapter';
import { readCallRecords } from '../lptracker/client/lptracker-call-read';
import type { LptrackerLead } from '../lptracker/lptracker-lead.types';
import { MAX_LEADS_PER_DELIVERY } from './lptracker-inbound.constants';

export type { LptrackerLead } from '../lptracker/lptracker-lead.types';

type Raw = Record<string, unknown>;

/** The form body carries one field (`data`): a handful of keys is plenty. */
const FORM_MAX_KEYS = 20;

/** The JSON of a delivery: form field `data` holding a JSON string, or a raw JSON body. */
export function readDeliveryJson(rawBody: Buffer, contentType: string): unknown {
  let text: string;
  if (contentType === 'application/x-www-form-urlencoded') {
    let form;
    try {
      form = parseNestedForm(rawBody, { maxKeys: FORM_MAX_KEYS, maxDepth: 2 });
    } catch (error) {
      if (error instanceof FormParseError) throw new InboxBadRequest('malformed_body', error.message);
      throw error;
    }
    const data = form.data;
    if (typeof data !== 'string' || data.trim() === '')
      throw new InboxBadRequest('malformed_body', 'The form has no field `data` holding the lead as JSON.');
    text = data;
  } else if (contentType === 'application/json') {
    text = rawBody.toString('utf8');
  } else {
    throw new InboxBadRequest(
      'unsupported_content_type',
      `LPTracker callbacks are form-encoded (field \`data\`) or JSON, not ${contentType || 'untyped'}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InboxBadRequest('malformed_body', 'The lead is not valid JSON.');
  }
  const violation = checkBodyShape(parsed);
  if (violation) throw new InboxBadRequest('malformed_body', describeBodyShapeViolation(violation));
  const forbidden = prototypeKeyPath(parsed)?.key ?? null;
  if (forbidden !== null)
    throw new InboxBadRequest('malformed_body', `The body uses the forbidden key "${forbidden}".`);
  return parsed;
}

/** The raw lead objects of a delivery: one lead, an array of leads, or `{leads: [...]}`; capped. */
export function rawLeadsOf(json: unknown): Raw[] {
  const list = Array.isArray(json) ? json : isObject(json) && Array.isArray(json.leads) ? json.leads : [json];
  if (list.length > MAX_LEADS_PER_DELIVERY)
    throw new InboxBadRequest(
      'too_many_changes',
      `A delivery carries at most ${MAX_LEADS_PER_DELIVERY} leads, this one ${list.length}.`,
    );
  return list.map((item, index) => {
    if (!isObject(item)) throw new InboxBadRequest('malformed_body', `Lead ${index} is not an object.`);
    return item;
  });
}

/** One lead, typed and normalised; throws `InboxBadRequest` naming what is missing. */
export function parseLead(raw: Raw, region: CountryCode, defaultAction: string | null = null): LptrackerLead {
  const projectId = integerOf(raw.project_id) ?? integerOf(asObject(raw.contact).project_id);
  const id = integerOf(raw.id);
  if (projectId === null) throw new InboxBadRequest('malformed_body', 'The lead has no project_id.');
  if (id === null) throw new InboxBadRequest('malformed_body', 'The lead has no id.');
  const sent = typeof raw.action === 'string' ? raw.action.trim().toLowerCase() : null;
  const action = sent ?? defaultAction;
  if (action === null || !/^[a-z_]{1,32}$/.test(action))
    throw new InboxBadRequest('malformed_body', `Lead ${id} has no action (create, update or delete).`);
  const contact = asObject(raw.contact);
  const entries = Array.isArray(contact.contacts)
    ? contact.contacts
    : Array.isArray(contact.details)
      ? contact.details
      : [];
  const phones: string[] = [];
  const emails: string[] = [];
  const invalidPhones: string[] = [];
  for (const entry of entries) {
    const detail = asObject(entry);
    const type = textOf(detail.type)?.toLowerCase();
    const data = textOf(detail.data);
    if (data === null) continue;
    if (type === 'phone') {
      const e164 = normalizePhone(data, region);
      if (e164 === null) invalidPhones.push(data);
      else if (!phones.includes(e164)) phones.push(e164);
    } else if (type === 'email') {
      const email = normalizeEmail(data);
      if (email !== '' && !emails.includes(email)) emails.push(email);
    }
  }
  const view = asObject(raw.view);
  const stage = asObject(raw.stage);
  return {
    projectId,
    id,
    action,
    actionTimestamp: raw.action_timestamp === undefined ? null : (textOf(raw.action_timestamp) ?? null),
    updateFields: updateFieldsOf(raw.action_update_fields),
    updatedAt: integerOf(raw.updated_at),
    createdAt: textOf(raw.created_at) ?? textOf(raw.lead_date),
    name: textOf(raw.name),
    stageId: integerOf(raw.stage_id) ?? integerOf(stage.id),
    stageName: textOf(stage.name),
    ownerId: integerOf(raw.owner_id),
    contact: { id: integerOf(contact.id), name: textOf(contact.name), phones, emails, invalidPhones },
    view: { source: textOf(view.source), campaign: textOf(view.campaign), keyword: textOf(view.keyword) },
    custom: (Array.isArray(raw.custom) ? raw.custom : []).flatMap((item) => {
      const field = asObject(item);
      const fieldId = integerOf(field.id);
      return fieldId === null ? [] : [{ id: fieldId, name: textOf(field.name), value: field.value ?? null }];
    }),
    calls: Array.isArray(raw.calls_records) ? readCallRecords(raw.calls_records) : null,
  };
}

/** `action_update_fields` as an array, or as one string (comma-joined or single): a clean list, or null. */
export function updateFieldsOf(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  const fields = items
    .filter((item): item is string | number => typeof item === 'string' || typeof item === 'number')
    .map((item) => String(item).trim())
    .filter((item) => item !== '');
  return [...new Set(fields)];
}

function isObject(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asObject(value: unknown): Raw {
  return isObject(value) ? value : {};
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function integerOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value.trim())) {
    const number = Number(value.trim());
    return number > 0 ? number : null;
  }
  return null;
}

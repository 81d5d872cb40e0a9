import { asBoolean, asInteger, describeValue, isRecord, type JsonRecord } from '../amocrm/json-input';
import { badRequest } from './lp-errors';
import { parseLeadDate } from './lp-runtime';
import type { DetailType, LpCustomValue, LpPayment, LpProject, LpStaff } from './lp-records';

/** Reading `POST/PUT` bodies of leads and contacts; a wrong value answers error 400 naming it. */

export interface DetailInput {
  type: DetailType;
  data: string;
}

export interface ContactInput {
  projectId?: number;
  name?: string;
  profession?: string;
  site?: string;
  details?: DetailInput[];
  /** Field id → value; an empty value removes it. */
  fields?: Map<number, string>;
}

export interface ViewInput {
  source?: string;
  campaign?: string;
  keyword?: string;
}

/** What `PUT /lead/{id}` may change (and `POST /lead` set). */
export interface LeadPatch {
  name?: string;
  stageId?: number;
  ownerId?: number | null;
  leadDate?: number;
  view?: ViewInput;
  /** Field id → value; null removes it. Validated against the project with `readCustomValue`. */
  custom?: Map<number, unknown>;
  payments?: LpPayment[];
}

export interface NewLeadInput extends LeadPatch {
  contactId?: number;
  contact?: ContactInput;
  callback: boolean;
}

export function requireBody(body: unknown): JsonRecord {
  if (body === undefined) return {};
  if (!isRecord(body)) throw badRequest('Request body must be a JSON object');
  return body;
}

export function optionalText(body: JsonRecord, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw badRequest(`${key} must be a string, got ${describeValue(value)}`);
}

export function optionalId(body: JsonRecord, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === '') return undefined;
  const id = asInteger(value);
  if (id === undefined || id <= 0)
    throw badRequest(`${key} must be a positive integer, got ${describeValue(value)}`);
  return id;
}

/** `{id: value}` or `[{id, value}]` → id → raw value. */
function readIdValueMap(value: unknown, key: string): Map<number, unknown> {
  const entries: [unknown, unknown][] = Array.isArray(value)
    ? value.map((item): [unknown, unknown] =>
        isRecord(item) ? [item.id, item.value] : [undefined, undefined],
      )
    : isRecord(value)
      ? Object.entries(value)
      : [];
  if (!Array.isArray(value) && !isRecord(value)) throw badRequest(`${key} must be an object of id: value`);
  const map = new Map<number, unknown>();
  for (const [rawId, raw] of entries) {
    const id = asInteger(rawId);
    if (id === undefined || id <= 0)
      throw badRequest(`${key} has an invalid field id ${describeValue(rawId)}`);
    map.set(id, raw);
  }
  return map;
}

function fieldText(id: number, raw: unknown): string {
  if (raw === null) return '';
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw badRequest(`fields.${id} must be text, got ${describeValue(raw)}`);
}

function readDetails(value: unknown): DetailInput[] {
  if (!Array.isArray(value)) throw badRequest('contact.details must be an array');
  return value.map((item, index) => {
    if (!isRecord(item) || (item.type !== 'phone' && item.type !== 'email')) {
      throw badRequest(`contact.details[${index}].type must be "phone" or "email"`);
    }
    const data = typeof item.data === 'string' ? item.data.trim() : '';
    if (data === '') throw badRequest(`contact.details[${index}].data must be a non-empty string`);
    return { type: item.type, data };
  });
}

export function readContactInput(body: JsonRecord, creating: boolean): ContactInput {
  const input: ContactInput = {
    projectId: optionalId(body, 'project_id'),
    name: optionalText(body, 'name'),
    profession: optionalText(body, 'profession'),
    site: optionalText(body, 'site'),
  };
  if (body.details !== undefined) input.details = readDetails(body.details);
  if (body.fields !== undefined && body.fields !== null) {
    input.fields = new Map(
      [...readIdValueMap(body.fields, 'fields')].map(([id, raw]) => [id, fieldText(id, raw)]),
    );
  }
  if (creating && input.projectId === undefined) throw badRequest('project_id is required');
  if (creating && (input.details ?? []).length === 0) throw badRequest('Contact details can not be empty');
  return input;
}

function readView(value: unknown): ViewInput {
  if (!isRecord(value)) throw badRequest('view must be an object');
  return {
    source: optionalText(value, 'source'),
    campaign: optionalText(value, 'campaign'),
    keyword: optionalText(value, 'keyword'),
  };
}

function readPayments(value: unknown): LpPayment[] {
  if (!Array.isArray(value)) throw badRequest('payments must be an array');
  return value.map((item, index) => {
    const sum = isRecord(item) ? Number(item.sum) : Number.NaN;
    if (!isRecord(item) || !Number.isFinite(sum)) throw badRequest(`payments[${index}].sum must be a number`);
    return {
      category: optionalText(item, 'category') ?? '',
      purpose: optionalText(item, 'purpose') ?? '',
      sum,
    };
  });
}

export function readLeadPatch(body: JsonRecord): LeadPatch {
  const patch: LeadPatch = { name: optionalText(body, 'name'), stageId: optionalId(body, 'funnel') };
  if (body.owner !== undefined)
    patch.ownerId = body.owner === null || body.owner === 0 ? null : optionalId(body, 'owner');
  const leadDate = optionalText(body, 'lead_date');
  if (leadDate !== undefined) {
    patch.leadDate = parseLeadDate(leadDate);
    if (patch.leadDate === undefined) throw badRequest(`lead_date must be "d.m.Y H:i", got "${leadDate}"`);
  }
  if (body.view !== undefined && body.view !== null) patch.view = readView(body.view);
  if (body.custom !== undefined && body.custom !== null) patch.custom = readIdValueMap(body.custom, 'custom');
  if (body.payments !== undefined && body.payments !== null) patch.payments = readPayments(body.payments);
  return patch;
}

export function readNewLead(body: JsonRecord): NewLeadInput {
  const contactId = optionalId(body, 'contact_id');
  const contact = isRecord(body.contact)
    ? readContactInput(body.contact, contactId === undefined)
    : undefined;
  if (contactId === undefined && contact === undefined) throw badRequest('contact or contact_id is required');
  const callback = body.callback === undefined ? false : asBoolean(body.callback);
  if (callback === undefined) throw badRequest('callback must be true or false');
  return { ...readLeadPatch(body), contactId, contact, callback };
}

/**
 * A custom value checked against its field: text and map take text, funnel a stage of the project,
 * owner a staff member, cats one or more of its options. null or "" answers null (remove the value).
 */
export function readCustomValue(
  project: LpProject,
  staff: readonly LpStaff[],
  fieldId: number,
  raw: unknown,
): LpCustomValue | null {
  const field = project.customs.find((candidate) => candidate.id === fieldId);
  if (!field) throw badRequest(`Custom field ${fieldId} does not exist in project ${project.id}`);
  if (raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0)) return null;
  const wrong = (expected: string) =>
    badRequest(
      `custom ${fieldId} («${field.name}», ${field.type}) expects ${expected}, got ${describeValue(raw)}`,
    );
  switch (field.type) {
    case 'text':
    case 'map':
      if (typeof raw !== 'string' && typeof raw !== 'number') throw wrong('text');
      return String(raw);
    case 'funnel': {
      const id = asInteger(raw);
      if (id === undefined || !project.stages.some((stage) => stage.id === id)) throw wrong('a stage id');
      return id;
    }
    case 'owner': {
      const id = asInteger(raw);
      if (id === undefined || !staff.some((member) => member.id === id)) throw wrong('a staff id');
      return id;
    }
    case 'cats': {
      const chosen = Array.isArray(raw) ? raw : [raw];
      if (!chosen.every((item): item is string => typeof item === 'string' && field.options.includes(item))) {
        throw wrong(`one of ${field.options.join(', ')}`);
      }
      return chosen;
    }
  }
}

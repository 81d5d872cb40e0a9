import type { AccountData } from './account-data';
import type { ChangeLog, ChangedEntity } from './change-log';
import { readCustomFieldWrites, type CustomFieldWrite, type FieldCatalog } from './custom-field-values';
import { asInteger, isRecord, type JsonRecord } from './json-input';
import { httpProblem, type EntityIssues } from './problems';
import { nowSeconds } from './sandbox-runtime';
import type { TagRef, TagRegistry } from './tag-registry';

/** Reading the fields every writable entity shares (name, owner, audit fields, custom fields, tags). */

export const MAX_NAME_LENGTH = 255;
export const MAX_BATCH_SIZE = 250;

export interface CommonWrite {
  name?: string;
  responsibleUserId?: number;
  createdBy?: number;
  updatedBy?: number;
  createdAt?: number;
  updatedAt?: number;
  customFields: CustomFieldWrite[];
  tags?: TagRef[];
}

/** A write request body must be a non-empty JSON array of at most `max` objects. */
export function readBatch(body: unknown, max: number = MAX_BATCH_SIZE): unknown[] {
  if (!Array.isArray(body)) throw httpProblem(400, 'Request body must be a JSON array');
  if (body.length === 0) throw httpProblem(400, 'Request body must not be empty');
  if (body.length > max) throw httpProblem(400, `At most ${max} entities per request`);
  return body;
}

/** `request_id` as sent, defaulting to the entity's index in the batch. */
export function requestIdOf(raw: unknown, index: number): string {
  if (isRecord(raw) && (typeof raw.request_id === 'string' || typeof raw.request_id === 'number')) {
    return String(raw.request_id);
  }
  return String(index);
}

export function embeddedOf(raw: JsonRecord): JsonRecord {
  return isRecord(raw._embedded) ? raw._embedded : {};
}

export function readName(raw: JsonRecord, key: string, issues: EntityIssues): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    issues.add('InvalidType', key, `${key} must be a string`);
    return undefined;
  }
  if (value.length > MAX_NAME_LENGTH) {
    issues.add('MaxLength', key, `${key} must be at most ${MAX_NAME_LENGTH} characters`);
    return undefined;
  }
  return value;
}

function readUserId(
  raw: JsonRecord,
  key: string,
  data: AccountData,
  issues: EntityIssues,
  allowRobot: boolean,
): number | undefined {
  if (raw[key] === undefined) return undefined;
  const id = asInteger(raw[key]);
  if (id === undefined) {
    issues.add('InvalidType', key, `${key} must be an integer`);
    return undefined;
  }
  if ((allowRobot && id === 0) || data.user(id)) return id;
  issues.add('NotSupportedChoice', key, `User ${id} not found`);
  return undefined;
}

function readTimestamp(raw: JsonRecord, key: string, issues: EntityIssues): number | undefined {
  if (raw[key] === undefined) return undefined;
  const value = asInteger(raw[key]);
  if (value === undefined || value < 0) {
    issues.add('InvalidType', key, `${key} must be a unix timestamp`);
    return undefined;
  }
  return value;
}

export function readCommonWrite(
  raw: JsonRecord,
  data: AccountData,
  catalog: FieldCatalog,
  tags: TagRegistry,
  issues: EntityIssues,
): CommonWrite {
  return {
    name: readName(raw, 'name', issues),
    responsibleUserId: readUserId(raw, 'responsible_user_id', data, issues, false),
    createdBy: readUserId(raw, 'created_by', data, issues, true),
    updatedBy: readUserId(raw, 'updated_by', data, issues, true),
    createdAt: readTimestamp(raw, 'created_at', issues),
    updatedAt: readTimestamp(raw, 'updated_at', issues),
    customFields: readCustomFieldWrites(raw.custom_fields_values, catalog, issues.at('custom_fields_values')),
    tags: tags.read(embeddedOf(raw).tags, issues.at('_embedded.tags')),
  };
}

/** The user a write is attributed to when the request names no one (0 = robot stays 0). */
export function defaultResponsible(actorUserId: number, data: AccountData): number {
  return data.user(actorUserId) ? actorUserId : data.currentUserId;
}

/**
 * A manager deletes (`deleted` true) or restores a contact or lead in amoCRM (there is no DELETE in API v4): the
 * record stays, marked, and the change becomes a `delete` or `restore` webhook. 404 when it is not in the other
 * state (`noun`: `Contact`, `Lead`).
 */
export function markDeleted<R extends { isDeleted: boolean; updatedBy: number; updatedAt: number }>(
  records: ReadonlyMap<number, R>,
  entity: ChangedEntity,
  noun: string,
  change: { id: number; deleted: boolean; actorUserId: number; changes: ChangeLog },
): R {
  const { id, deleted } = change;
  const record = records.get(id);
  if (!record || record.isDeleted === deleted)
    throw httpProblem(
      404,
      deleted ? `${noun} ${id} not found` : `Deleted ${noun.toLowerCase()} ${id} not found`,
    );
  record.isDeleted = deleted;
  record.updatedBy = change.actorUserId;
  record.updatedAt = nowSeconds();
  change.changes.record({ entity, action: deleted ? 'delete' : 'restore', id });
  return record;
}

import { createHash } from 'node:crypto';
import type { InboxKey } from './source-adapter';

/**
 * Idempotency keys: one per changed entity in a delivery, so that a second delivery of the same change is
 * recognised (amoCRM retries deliveries; LPTracker may send one change twice) while a later change of the
 * same entity is not mistaken for it.
 */

export const MAX_KEY_LENGTH = 300;

type Scalar = string | number | bigint | null | undefined;

/**
 * amoCRM: entity, action, id and the entity's version (`last_modified`, or `updated_at` in newer payloads).
 * Without a version the change can only be told apart by its content: pass `fingerprint` (e.g. a hash of
 * the item's fields, see `fingerprintOf`).
 */
export function amocrmKey(change: {
  entity: string;
  action: string;
  id: Scalar;
  lastModified?: Scalar;
  updatedAt?: Scalar;
  fingerprint?: string;
}): InboxKey {
  const entity = part(change.entity, 'entity').toLowerCase();
  const action = part(change.action, 'action').toLowerCase();
  const id = part(change.id, 'id');
  const version = present(change.lastModified) ?? present(change.updatedAt);
  const versionPart = version ?? `~${part(change.fingerprint, 'last_modified, updated_at or a fingerprint')}`;
  return checked({
    key: `${entity}:${action}:${id}:${versionPart}`,
    entityType: singular(entity),
    entityId: id,
  });
}

/** LPTracker: `project_id + id + action + action_timestamp` (the payload has no event id). */
export function lptrackerKey(change: {
  projectId: Scalar;
  id: Scalar;
  action: string;
  actionTimestamp: Scalar;
}): InboxKey {
  const projectId = part(change.projectId, 'project_id');
  const id = part(change.id, 'id');
  const action = part(change.action, 'action').toLowerCase();
  const timestamp = part(change.actionTimestamp, 'action_timestamp');
  return checked({ key: `${projectId}:${id}:${action}:${timestamp}`, entityType: 'lead', entityId: id });
}

/** A generic key for sources whose changes carry `entity`, `id` and a version such as `updated_at`. */
export function entityVersionKey(
  entityType: string,
  id: Scalar,
  version: Scalar,
  action = 'change',
): InboxKey {
  const entity = part(entityType, 'entity');
  const entityId = part(id, 'id');
  return checked({
    key: `${entity}:${part(action, 'action')}:${entityId}:${part(version, 'version')}`,
    entityType: entity,
    entityId,
  });
}

/** A short stable hash of a change's content, for payloads without a version field. */
export function fingerprintOf(content: string): string {
  return createHash('sha256').update(content).digest('base64url').slice(0, 22);
}

/** What is stored and compared: the key scoped to its workspace and source, hashed to a fixed width. */
export function keyHash(workspaceId: string, source: string, key: string): string {
  return createHash('sha256').update(`${workspaceId}\n${source}\n${key}`).digest('hex');
}

/** Rejects keys an adapter built wrongly: empty, too long or with control characters. */
export function assertValidKey(key: InboxKey): void {
  if (!key.key || key.key.length > MAX_KEY_LENGTH || hasControlCharacters(key.key)) {
    throw new Error(
      `invalid idempotency key "${key.key.slice(0, 40)}": 1-${MAX_KEY_LENGTH} printable characters`,
    );
  }
  if (!key.entityId || key.entityId.length > 64)
    throw new Error('an idempotency key needs an entity id of 1-64 characters');
  if (!key.entityType || key.entityType.length > 32)
    throw new Error('an idempotency key needs an entity type of 1-32 characters');
}

function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) < 0x20) return true;
  return false;
}

function checked(key: InboxKey): InboxKey {
  assertValidKey(key);
  return key;
}

function present(value: Scalar): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === '' || text === '0' ? undefined : text;
}

function part(value: Scalar, name: string): string {
  const text = value === null || value === undefined ? '' : String(value).trim();
  if (text === '') throw new Error(`an idempotency key needs ${name}`);
  return text.replace(/:/g, '%3A');
}

function singular(entity: string): string {
  const known: Record<string, string> = {
    leads: 'lead',
    contacts: 'contact',
    companies: 'company',
    customers: 'customer',
    tasks: 'task',
  };
  return known[entity] ?? entity;
}

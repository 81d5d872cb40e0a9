import { createHash } from 'node:crypto';
import type { InboxKey } from './source-adapter';

/**
 * Idempotency keys: one per changed entity in a delivery, so that a second delivery of the same change is
 * recognised (senders retry deliveries, or send one change twice) while a later change of the same entity is not
 * mistaken for it. A source builds its keys from these helpers, in its own folder (e.g. `amocrmKey` in
 * `src/amocrm-inbound/amocrm-idempotency-key.ts`).
 */

export const MAX_KEY_LENGTH = 300;

/** A value a key is made of, as payloads carry it. */
export type Scalar = string | number | bigint | null | undefined;

/** A generic key for sources whose changes carry `entity`, `id` and a version such as `updated_at`. */
export function entityVersionKey(
  entityType: string,
  id: Scalar,
  version: Scalar,
  action = 'change',
): InboxKey {
  const entity = keyPart(entityType, 'entity');
  const entityId = keyPart(id, 'id');
  return checkedKey({
    key: `${entity}:${keyPart(action, 'action')}:${entityId}:${keyPart(version, 'version')}`,
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

/** `key` after `assertValidKey`: what a key builder returns. */
export function checkedKey(key: InboxKey): InboxKey {
  assertValidKey(key);
  return key;
}

/** A version part, or undefined when the payload has none (missing, empty or `0`). */
export function keyVersion(value: Scalar): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === '' || text === '0' ? undefined : text;
}

/** A required part of a key, trimmed, with `:` escaped so parts cannot run into each other; throws naming `name`. */
export function keyPart(value: Scalar, name: string): string {
  const text = value === null || value === undefined ? '' : String(value).trim();
  if (text === '') throw new Error(`an idempotency key needs ${name}`);
  return text.replace(/:/g, '%3A');
}

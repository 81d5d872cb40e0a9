import { checkedKey, keyPart, keyVersion, type Scalar } from '../inbox/idempotency-key';
import type { InboxKey } from '../inbox/source-adapter';

/**
 * The idempotency key of one amoCRM change: entity, action, id and the entity's version (`last_modified`, or
 * `updated_at` in newer payloads). Without a version the change can only be told apart by its content: pass
 * `fingerprint` (e.g. a hash of the item's fields, see `fingerprintOf`).
 */
export function amocrmKey(change: {
  entity: string;
  action: string;
  id: Scalar;
  lastModified?: Scalar;
  updatedAt?: Scalar;
  fingerprint?: string;
}): InboxKey {
  const entity = keyPart(change.entity, 'entity').toLowerCase();
  const action = keyPart(change.action, 'action').toLowerCase();
  const id = keyPart(change.id, 'id');
  const version = keyVersion(change.lastModified) ?? keyVersion(change.updatedAt);
  const versionPart =
    version ?? `~${keyPart(change.fingerprint, 'last_modified, updated_at or a fingerprint')}`;
  return checkedKey({
    key: `${entity}:${action}:${id}:${versionPart}`,
    entityType: singular(entity),
    entityId: id,
  });
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

import { checkedKey, keyPart, type Scalar } from '../inbox/idempotency-key';
import type { InboxKey } from '../inbox/source-adapter';

/** The key of one LPTracker lead change: `project_id:id:action:action_timestamp` (conventions, step 5). */
export function lptrackerKey(change: {
  projectId: Scalar;
  id: Scalar;
  action: string;
  actionTimestamp: Scalar;
}): InboxKey {
  const id = keyPart(change.id, 'id');
  const parts = [keyPart(change.projectId, 'project_id'), id, keyPart(change.action, 'action').toLowerCase()];
  return checkedKey({
    key: [...parts, keyPart(change.actionTimestamp, 'action_timestamp')].join(':'),
    entityType: 'lead',
    entityId: id,
  });
}

import type { InboxEventEntity } from './inbox-event.entity';
import type { InboxEventView } from './source-adapter';

/**
 * What an adapter sees of a stored event; `settingsVersion` defaults to the one the next run applies. Before
 * the first run has claimed the keys, the event owns none.
 */
export function eventView(
  event: InboxEventEntity,
  settingsVersion = event.appliedSettingsVersion ?? event.settingsVersion,
): InboxEventView {
  const idempotency = event.idempotency ?? { owned: [], duplicates: [] };
  const owned = new Set(idempotency.owned);
  return {
    id: event.id,
    workspaceId: event.workspaceId,
    source: event.source,
    eventType: event.eventType,
    contentType: event.contentType,
    headers: event.headers,
    rawBody: event.rawBody,
    summary: event.summary,
    receivedAt: event.createdAt,
    keys: idempotency.owned,
    duplicateKeys: idempotency.duplicates.map((duplicate) => duplicate.key),
    owns: (key: string) => owned.has(key),
    attempt: event.attempts,
    mode: event.mode,
    settingsVersion,
    receivedSettingsVersion: event.settingsVersion,
  };
}

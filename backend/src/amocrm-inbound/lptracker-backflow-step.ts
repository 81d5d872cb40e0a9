import type { AmoLead } from '../amocrm/client/amocrm-api.types';
import type { AmocrmWebhookChange } from '../amocrm/webhooks';
import type { JsonValue } from '../database/columns';
import type { InboxEventView, ProcessingContext } from '../inbox/source-adapter';
import {
  changeOfLead,
  changeOfWebhook,
  type LptrackerBackflowService,
} from '../sync/lptracker/lptracker-backflow.service';

/**
 * The LPTracker step of an amoCRM webhook or reconciliation: lead changes (webhook changes, or leads read back) that
 * are not our own writes coming back (the amoCRM echo guard decided) go to the back-flow, which writes the stage and mapped fields of linked leads to LPTracker (an
 * unlinked lead, or LPTracker not connected: no request). Runs before the mirror commit, like every CRM call: a
 * failure retries the event. Answers what it did per lead, for the event's page.
 */
export async function runLptrackerBackflow(
  backflow: LptrackerBackflowService,
  event: InboxEventView,
  context: ProcessingContext,
  leadChanges: readonly (AmocrmWebhookChange | AmoLead)[],
): Promise<JsonValue[]> {
  const changes = leadChanges.flatMap((change) =>
    'entity' in change
      ? change.entity === 'lead' && change.action !== 'delete'
        ? [changeOfWebhook(change)]
        : []
      : change.is_deleted === true
        ? []
        : [changeOfLead(change)],
  );
  if (changes.length === 0) return [];
  const results = await backflow.apply(event.workspaceId, changes, {
    settingsVersion: event.settingsVersion,
    trace: context,
  });
  return results.map((result) => ({ lptracker: result }));
}

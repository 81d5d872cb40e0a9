import type { AmoContact, AmoLead } from '../amocrm/client/amocrm-api.types';
import type { AmocrmWebhookChange } from '../amocrm/webhooks';
import type { JsonValue } from '../database/columns';
import type { InboxEventView, ProcessingContext } from '../inbox/source-adapter';
import type { LptrackerBackflowService } from '../sync/lptracker/lptracker-backflow.service';
import { runLptrackerBackflow } from './lptracker-backflow-step';
import type { MirrorView } from './webhook-change-plans';
import { reconciledChange } from '../sync/rules/rule-context-amocrm';
import type { RuleRunnerService } from '../sync/rules/rule-runner.service';

/** A change the rules run on, with its inbox key. */
export type RuledChange = { change: AmocrmWebhookChange; key: string };

/**
 * The rules step of an amoCRM webhook or reconciliation, after the back-flow and before the mirror commit: the lead
 * and contact changes that are not our own writes coming back (the echo guard decided before) run the rules of
 * source `amocrm`. Reconciled entities are read as the webhook changes they stand for (`reconciledChange`: new to
 * the mirror → created; a lead whose stage differs from the mirror's → stage changed, with the old values).
 */
export async function runAmocrmRules(
  rules: RuleRunnerService,
  event: InboxEventView,
  context: ProcessingContext,
  changes: readonly RuledChange[],
): Promise<JsonValue[]> {
  if (changes.length === 0) return [];
  return [
    ...(await rules.runOnAmocrmLeads(event, changes, context)),
    ...(await rules.runOnAmocrmContacts(event, changes, context)),
  ];
}

/** A webhook's changes that are not echoes: the LPTracker back-flow (their leads), then the rules. */
export async function backflowThenRules(
  backflow: LptrackerBackflowService,
  rules: RuleRunnerService,
  event: InboxEventView,
  context: ProcessingContext,
  changes: readonly RuledChange[],
): Promise<JsonValue[]> {
  const leads = changes.map(({ change }) => change);
  return [
    ...(await runLptrackerBackflow(backflow, event, context, leads)),
    ...(await runAmocrmRules(rules, event, context, changes)),
  ];
}

/** A reconciled lead or contact with the mirror's row before it (see `reconciledChange`). */
export function reconciledForRules(
  entity: 'lead' | 'contact',
  item: AmoLead | AmoContact,
  key: string,
  view: MirrorView,
): RuledChange {
  const before = entity === 'lead' ? (view.leads.get(item.id) ?? null) : (view.contacts.get(item.id) ?? null);
  const old =
    before === null
      ? null
      : {
          statusId: 'statusId' in before ? before.statusId : null,
          pipelineId: 'pipelineId' in before ? before.pipelineId : null,
          responsibleUserId: before.responsibleUserId ?? null,
        };
  return { change: reconciledChange(entity, item, old), key };
}

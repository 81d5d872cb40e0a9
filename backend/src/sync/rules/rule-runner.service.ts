import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { JsonObject, JsonValue } from '../../database/columns';
import type { AmocrmWebhookChange } from '../../amocrm/webhooks';
import { LeadsService } from '../../leads/leads.service';
import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import { LptrackerLinksService } from '../lptracker/lptracker-links.service';
import type { LptrackerSyncResult, SyncTrace } from '../lptracker/lptracker-sync.types';
import { lptrackerEventsOf, lptrackerLeadContext } from './rule-context';
import { amocrmChangeContext, amocrmEventsOf } from './rule-context-amocrm';
import { AmocrmLeadActions } from './actions/amocrm-lead-actions';
import { FindOrCreateActions, restoreFound } from './actions/find-or-create-actions';
import type { RuleActionResult, RuleActionScope } from './actions/rule-action.types';
import { LptrackerLeadActions } from './actions/lptracker-lead-actions';
import { RuleActionRunEntity } from './rule-action-run.entity';
import type { FieldTypeOf, RuleEventContext } from './rule-evaluate';
import { compiledRule } from './rule-compile';
import { explainRule, type RuleExplanation } from './rule-plan';
import { RulesForRunCache } from './rule-run-cache';
import type { RuleSubject } from './rule-find-or-create';
import type { RuleTarget } from './rule-requests';
import { RuleValidationService } from './rule-validation.service';
import type { RuleAction, RuleForRun } from './rule.types';
import { RulesService } from './rules.service';

const NO_TARGET: RuleTarget = {
  amocrmLeadId: null,
  amocrmContactId: null,
  lptrackerLeadId: null,
  lptrackerContactId: null,
  lptrackerProjectId: null,
  lptrackerLeadName: null,
};

/** One change of an inbox event the rules run on. */
export interface RuleRunInput {
  workspaceId: string;
  eventId: string;
  /** The inbox key of the change (the done-markers are per change). */
  changeKey: string;
  settingsVersion: number;
  /** One context per domain event the change stands for (`lead.updated` and `lead.stage_changed`…). */
  contexts: RuleEventContext[];
  target: RuleTarget;
  leadMirrorId: string | null;
  trace: SyncTrace;
  /** What find-or-create and mapping actions build from; absent: the values of the first context, no LPTracker lead. */
  subject?: RuleSubject;
}

/** What the event records per rule: the version it ran with and its outcome (and each action's result). */
export type RuleRunRecord = {
  ruleId: string;
  version: number;
  outcome: RuleExplanation['outcome'];
  actions?: JsonObject[];
};

/**
 * Runs the enabled rules of an event's settings version (`RulesService.forRun`) in priority order: each explained
 * (trigger, conditions with the values seen), the matched ones' actions executed in order up to `stop` (which also
 * ends the chain). Each action's result goes to the trace; a failing action throws (the event is retried or
 * dead-lettered as any failure) and the actions already done are skipped on the retry: a done-marker per (event,
 * change, rule, version, action index) is written right after each action succeeds. `call_back` is marked `sent`
 * before its request goes out, so it is never sent twice: a retry finding that mark records it as `unknown`.
 */
@Injectable()
export class RuleRunnerService {
  private readonly inForce = new RulesForRunCache();

  constructor(
    private readonly rules: RulesService,
    private readonly validation: RuleValidationService,
    @InjectRepository(RuleActionRunEntity) private readonly runs: Repository<RuleActionRunEntity>,
    private readonly amocrmActions: AmocrmLeadActions,
    private readonly lptrackerActions: LptrackerLeadActions,
    private readonly findOrCreate: FindOrCreateActions,
    private readonly links: LptrackerLinksService,
    private readonly leads: LeadsService,
  ) {}

  /**
   * The rules on the amoCRM lead changes of an event that are not our own writes coming back (the amoCRM echo guard
   * decided before), after the back-flow: LPTracker actions address the linked LPTracker lead. Answers one record
   * list per change (kept on the event).
   */
  async runOnAmocrmLeads(
    event: { workspaceId: string; id: string; settingsVersion: number },
    changes: readonly { change: AmocrmWebhookChange; key: string }[],
    trace: SyncTrace,
  ): Promise<JsonObject[]> {
    const leadChanges = changes.filter(({ change }) => change.entity === 'lead');
    if (leadChanges.length === 0) return [];
    const rules = await this.forRun(event.workspaceId, event.settingsVersion);
    if (!rules.some((rule) => rule.document.trigger.source === 'amocrm')) return [];
    const ids = leadChanges.map(({ change }) => change.id);
    const links = await this.links.findByAmocrmLeadIds(event.workspaceId, ids);
    const described: JsonObject[] = [];
    for (const { change, key } of leadChanges) {
      const link = links.find((candidate) => candidate.amocrmLeadId === change.id) ?? null;
      const mirror =
        link?.leadId ?? (await this.leads.findByAmocrmId(event.workspaceId, change.id))?.id ?? null;
      const records = await this.run(
        {
          workspaceId: event.workspaceId,
          eventId: event.id,
          changeKey: key,
          settingsVersion: event.settingsVersion,
          contexts: amocrmEventsOf(change).map((type) => amocrmChangeContext(change, type)),
          target: {
            amocrmLeadId: change.id,
            amocrmContactId: link?.amocrmContactId ?? null,
            lptrackerLeadId: link?.lptrackerLeadId ?? null,
            lptrackerContactId: link?.lptrackerContactId ?? null,
            lptrackerProjectId: link?.projectId ?? null,
            lptrackerLeadName: change.name,
          },
          leadMirrorId: mirror,
          trace,
        },
        rules,
      );
      if (records.length > 0) described.push({ key, amocrmLeadId: change.id, rules: records });
    }
    return described;
  }

  /**
   * The rules on the amoCRM contact changes of an event (`contact.created`, `contact.updated`) that are not our own
   * writes coming back (the echo guard decided before). Actions address the contact; `find_or_create_lead` finds or
   * makes a lead for it. Answers one record list per change (kept on the event).
   */
  async runOnAmocrmContacts(
    event: { workspaceId: string; id: string; settingsVersion: number },
    changes: readonly { change: AmocrmWebhookChange; key: string }[],
    trace: SyncTrace,
  ): Promise<JsonObject[]> {
    const contactChanges = changes.filter(({ change }) => change.entity === 'contact');
    if (contactChanges.length === 0) return [];
    const rules = await this.forRun(event.workspaceId, event.settingsVersion);
    if (!rules.some((rule) => rule.document.trigger.source === 'amocrm')) return [];
    const described: JsonObject[] = [];
    for (const { change, key } of contactChanges) {
      const contexts = amocrmEventsOf(change).map((type) => amocrmChangeContext(change, type));
      const records = await this.run(
        {
          workspaceId: event.workspaceId,
          eventId: event.id,
          changeKey: key,
          settingsVersion: event.settingsVersion,
          contexts,
          target: { ...NO_TARGET, amocrmContactId: change.id },
          leadMirrorId: null,
          trace,
        },
        rules,
      );
      if (records.length > 0) described.push({ key, amocrmContactId: change.id, rules: records });
    }
    return described;
  }

  /**
   * The rules on one LPTracker lead of an event, after the sync applied it (so the amoCRM contact and lead are found
   * or created and linked). Our own write coming back (`echo`) runs no rule. Answers what each rule did (recorded
   * on the event) and whether any rule acted (a change the mapping filtered out but a rule acted on is not skipped).
   */
  async runOnLptrackerLead(
    event: { workspaceId: string; id: string; settingsVersion: number },
    changeKey: string,
    lead: LptrackerLead,
    synced: LptrackerSyncResult,
    trace: SyncTrace,
  ): Promise<{ records: RuleRunRecord[]; acted: boolean }> {
    if (synced.outcome === 'skipped' && synced.reason === 'echo') return { records: [], acted: false };
    const rules = await this.forRun(event.workspaceId, event.settingsVersion);
    if (!rules.some((rule) => rule.document.trigger.source === 'lptracker'))
      return { records: [], acted: false };
    const link = await this.links.findByLptrackerLead(event.workspaceId, lead.id);
    const records = await this.run(
      {
        workspaceId: event.workspaceId,
        eventId: event.id,
        changeKey,
        settingsVersion: event.settingsVersion,
        contexts: lptrackerEventsOf(lead).map((type) => lptrackerLeadContext(lead, type)),
        target: {
          amocrmLeadId: link?.amocrmLeadId ?? null,
          amocrmContactId: link?.amocrmContactId ?? null,
          lptrackerLeadId: lead.id,
          lptrackerContactId: lead.contact.id ?? link?.lptrackerContactId ?? null,
          lptrackerProjectId: lead.projectId,
          lptrackerLeadName: lead.name,
        },
        leadMirrorId: link?.leadId ?? null,
        trace,
        subject: { lptrackerLead: lead, values: lptrackerLeadContext(lead, 'lead.updated').values },
      },
      rules,
    );
    return { records, acted: records.some((record) => record.outcome === 'matched') };
  }

  /**
   * The enabled rules in force at that settings version (the inbound side asks before deciding to filter), from
   * memory after the first read (see RulesForRunCache).
   */
  forRun(workspaceId: string, settingsVersion: number): Promise<RuleForRun[]> {
    return this.inForce.get(workspaceId, settingsVersion, () =>
      this.rules.forRun(workspaceId, settingsVersion),
    );
  }

  /** Explains the chain on the change (nothing executed): which rules would act. */
  async explain(
    workspaceId: string,
    rules: RuleForRun[],
    contexts: RuleEventContext[],
  ): Promise<RuleExplanation[]> {
    if (rules.length === 0 || contexts.length === 0) return [];
    const typeOf = RuleValidationService.typeOf(await this.validation.metadata(workspaceId));
    return explainChainOver(rules, contexts, typeOf);
  }

  async run(input: RuleRunInput, rules?: RuleForRun[]): Promise<RuleRunRecord[]> {
    const forRun = rules ?? (await this.forRun(input.workspaceId, input.settingsVersion));
    const explanations = await this.explain(input.workspaceId, forRun, input.contexts);
    if (explanations.length === 0) return [];
    input.trace.note(
      'rules: explained',
      explanations.map((e) => ({
        ruleId: e.ruleId,
        version: e.version,
        name: e.name,
        outcome: e.outcome,
        conditions: e.conditions.map((c) => ({ path: c.path, actual: c.actual, matched: c.matched })),
      })),
    );
    const markers = await this.runs.findBy({ eventId: input.eventId, changeKey: input.changeKey });
    const scope: RuleActionScope = {
      workspaceId: input.workspaceId,
      target: { ...input.target },
      leadMirrorId: input.leadMirrorId,
      trace: input.trace,
      subject: input.subject ?? { lptrackerLead: null, values: input.contexts[0]?.values ?? {} },
      settingsVersion: input.settingsVersion,
    };
    const records: RuleRunRecord[] = [];
    for (const explanation of explanations) {
      const record: RuleRunRecord = {
        ruleId: explanation.ruleId ?? '',
        version: explanation.version ?? 0,
        outcome: explanation.outcome,
      };
      records.push(record);
      if (explanation.outcome !== 'matched') continue;
      record.actions = [];
      for (const [index, action] of explanation.actions.entries()) {
        const key = { ...input, ruleId: record.ruleId, ruleVersion: record.version, actionIndex: index };
        const marker = markers.find(
          (m) => m.ruleId === key.ruleId && m.ruleVersion === key.ruleVersion && m.actionIndex === index,
        );
        record.actions.push(await this.runAction(action, index, key, marker ?? null, scope));
      }
    }
    input.trace.note(
      'rules: ran',
      records.map((r) => ({ ruleId: r.ruleId, version: r.version, outcome: r.outcome })),
    );
    return records;
  }

  private async runAction(
    action: RuleAction,
    index: number,
    key: RuleRunInput & { ruleId: string; ruleVersion: number; actionIndex: number },
    marker: RuleActionRunEntity | null,
    scope: RuleActionScope,
  ): Promise<JsonObject> {
    const base: JsonObject = { index, type: action.type };
    if (marker?.state === 'done') {
      if (action.type === 'find_or_create_contact' || action.type === 'find_or_create_lead')
        restoreFound(scope, marker.result);
      scope.trace.note(`rules: action ${index} (${action.type}) already done`, { ruleId: key.ruleId });
      return { ...base, outcome: 'already_done' };
    }
    if (marker?.state === 'sent') {
      scope.trace.note(`rules: ${action.type} sent before, its answer unknown: not sent again`, {
        ruleId: key.ruleId,
      });
      return { ...base, outcome: 'unknown', reason: 'sent before, its answer is unknown; never sent twice' };
    }
    const row = (state: 'done' | 'sent', result: JsonValue | null): Partial<RuleActionRunEntity> => ({
      eventId: key.eventId,
      changeKey: key.changeKey,
      ruleId: key.ruleId,
      ruleVersion: key.ruleVersion,
      actionIndex: key.actionIndex,
      workspaceId: key.workspaceId,
      state,
      result: result === null ? null : JSON.stringify(result),
    });
    if (action.type === 'call_back') await this.runs.insert(row('sent', null));
    const result = await this.execute(action, scope);
    const detail: JsonObject =
      result.outcome === 'done'
        ? { ...base, outcome: 'done', answer: result.answer }
        : { ...base, outcome: 'skipped', reason: result.reason };
    if (action.type === 'call_back') await this.runs.save(row('done', detail));
    else await this.runs.insert(row('done', detail));
    return detail;
  }

  private async execute(action: RuleAction, scope: RuleActionScope): Promise<RuleActionResult> {
    switch (action.type) {
      case 'stop':
        return { outcome: 'done', answer: 'the chain ends here' };
      case 'find_or_create_contact':
      case 'find_or_create_lead':
        return this.findOrCreate.run(action, scope);
      case 'move_stage':
        return action.system === 'amocrm'
          ? this.amocrmActions.run(action, scope)
          : this.lptrackerActions.run(action, scope);
      case 'update_lptracker_lead':
      case 'call_back':
        return this.lptrackerActions.run(action, scope);
      default:
        return this.amocrmActions.run(action, scope);
    }
  }
}

/**
 * `explainChain` over a change that stands for several domain events: a rule matches when it matches on any of
 * them (its first matching one explains it); after a matched rule with `stop`, the rest are `stopped`.
 */
export function explainChainOver(
  rules: RuleForRun[],
  contexts: RuleEventContext[],
  typeOf: FieldTypeOf,
): RuleExplanation[] {
  let stopped = false;
  return rules.map((rule) => {
    const id = { ruleId: rule.ruleId, version: rule.version };
    if (stopped) return { ...id, name: rule.document.name, outcome: 'stopped', conditions: [], actions: [] };
    // The compiled check picks the context that explains the rule: the first it matches on, else the first whose
    // trigger fires (its conditions explained as failed), else a trigger miss; only that one is explained.
    const compiled = compiledRule(rule);
    const ctx =
      contexts.find((candidate) => compiled.matches(candidate, typeOf)) ??
      contexts.find((candidate) => compiled.trigger(candidate, typeOf));
    const result: RuleExplanation = ctx
      ? explainRule(rule.document, ctx, typeOf, id)
      : { ...id, name: rule.document.name, outcome: 'trigger', conditions: [], actions: [] };
    stopped = result.actions.some((action) => action.type === 'stop');
    return result;
  });
}

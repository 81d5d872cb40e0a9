import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ContactsService } from '../contacts/contacts.service';
import { NotFoundProblem, ValidationProblem } from '../http/problem';
import { InboxEventsService } from '../inbox/inbox-events.service';
import type { FieldTypeOf } from '../sync/rules/rule-evaluate';
import type { RuleExplanation } from '../sync/rules/rule-plan';
import {
  planRuleActions,
  type RulePlanEngine,
  type RulePlannedAction,
  type RuleRequest,
  type RuleTarget,
} from '../sync/rules/rule-requests';
import {
  contactInputOf,
  engineRequests,
  leadInputOf,
  type RuleMapped,
  type RuleSubject,
} from '../sync/rules/rule-find-or-create';
import { RuleMappedService } from '../sync/rules/rule-mapped.service';
import { RuleValidationService } from '../sync/rules/rule-validation.service';
import { RulesService } from '../sync/rules/rules.service';
import { LptrackerLinksService } from '../sync/lptracker/lptracker-links.service';
import { AMOCRM_WEBHOOK_SOURCE, RECONCILE_SOURCE } from '../amocrm-inbound/amocrm-inbound.constants';
import {
  LPTRACKER_RECONCILE_SOURCE,
  LPTRACKER_WEBHOOK_SOURCE,
} from '../lptracker-inbound/lptracker-inbound.constants';
import {
  compiledForTrial,
  explainSubjects,
  quickOutcome,
  type BacktestOutcome,
  type RuleUnderTest,
} from './rule-dryrun-evaluate';
import { parseBacktestBody, parseTestBody, type DryRunSource } from './rule-dryrun-input';
import {
  payloadBody,
  readsPhones,
  subjectsOf,
  type DryRunSubject,
  type StoredSource,
} from './rule-dryrun-subjects';

/** The rule tried: an unsaved draft (`body.rule`) or a saved rule by id. */
export type RuleRef = { draft: true } | { id: string };

export interface RuleTestResult {
  eventId: string | null;
  explanations: RuleExplanation[];
  requests: RuleRequest[];
  /** Each action of a matched rule planned in order (why one sends nothing: `missing`, `note`). */
  planned: RulePlannedAction[];
}

export interface BacktestSample {
  eventId: string;
  receivedAt: string;
  source: string;
  eventType: string;
  outcome: BacktestOutcome;
  explanation: RuleExplanation;
  requests: RuleRequest[];
}

export interface BacktestResult {
  scanned: number;
  matched: number;
  byOutcome: Record<BacktestOutcome, number>;
  samples: BacktestSample[];
  /** The range held more than `BACKTEST_MAX_EVENTS` events: the newest ones were scanned. */
  truncated: boolean;
}

const SOURCES: Readonly<Record<string, StoredSource>> = {
  [RECONCILE_SOURCE]: 'amocrm-reconcile',
  [LPTRACKER_RECONCILE_SOURCE]: 'lptracker-reconcile',
  [LPTRACKER_WEBHOOK_SOURCE]: 'lptracker',
  [AMOCRM_WEBHOOK_SOURCE]: 'amocrm',
};
/** Rows per keyset page of a backtest (small bodies: a page is a few MB at most). */
const PAGE = 2000;
const SAMPLES = 20;
/** A from/to backtest scans at most this many events (the newest of the range). */
export const BACKTEST_MAX_EVENTS = 100_000;

interface Candidate {
  row: {
    id: string;
    source: string;
    eventType: string;
    createdAt: Date;
    rawBody: Buffer | null;
    contentType: string;
  };
  outcome: BacktestOutcome;
}

/**
 * Rule dry runs (issue #13 §2): a draft or a saved rule tried on one stored event or a payload (`test`), or over
 * stored past events (`backtest`, keyset pages of the inbox, bounded memory). Pure evaluation and planning: nothing
 * is sent to a CRM, nothing is stored; the LPTracker ↔ amoCRM links are only read for the requests shown.
 */
@Injectable()
export class RuleDryRunService {
  constructor(
    private readonly events: InboxEventsService,
    private readonly rules: RulesService,
    private readonly validation: RuleValidationService,
    private readonly links: LptrackerLinksService,
    private readonly config: AppConfig,
    private readonly mapped: RuleMappedService,
    private readonly contactRows: ContactsService,
  ) {}

  async test(workspaceId: string, ref: RuleRef, body: unknown): Promise<RuleTestResult> {
    const input = parseTestBody(body, 'draft' in ref);
    const { rule, id } = await this.ruleOf(workspaceId, ref, input.rule);
    const typeOf = await this.typeOf(workspaceId);
    let subjects: DryRunSubject[];
    if (input.eventId !== null) {
      const { event } = await this.events.get(workspaceId, input.eventId);
      const source = SOURCES[event.source];
      if (!source)
        throw new NotFoundProblem('An LPTracker or amoCRM webhook or reconciliation event with this id');
      subjects = this.readSubjects(source, event.rawBody, event.contentType) ?? [];
    } else {
      const source = input.source ?? sourceOfRule(rule);
      const { rawBody, contentType } = payloadBody(source, input.payload!);
      const read = this.readSubjects(source, rawBody, contentType);
      if (read === null)
        throw new ValidationProblem([
          { field: 'payload', code: 'isWebhookBody', message: `payload is not a body ${source} sends` },
        ]);
      subjects = read;
    }
    const { explanation, subject } = explainSubjects(rule, subjects, typeOf, id);
    const planned =
      explanation.outcome === 'matched' && subject
        ? await this.plan(workspaceId, explanation.actions, subject)
        : [];
    return {
      eventId: input.eventId,
      explanations: [explanation],
      requests: planned.flatMap((plan) => plan.requests),
      planned,
    };
  }

  async backtest(workspaceId: string, ref: RuleRef, body: unknown): Promise<BacktestResult> {
    const input = parseBacktestBody(body, 'draft' in ref);
    const { rule, id } = await this.ruleOf(workspaceId, ref, input.rule);
    const typeOf = await this.typeOf(workspaceId);
    const limit = input.last ?? BACKTEST_MAX_EVENTS;
    const filter = {
      sources: Object.keys(SOURCES),
      // an event of another source cannot fit the trigger (outcome `trigger` with or without its body)
      bodySources: Object.keys(SOURCES).filter((source) => fitsTrigger(SOURCES[source], rule)),
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
    };
    const compiled = compiledForTrial(rule);
    // the quick pass reads no phone unless the rule does (each sample is read again in full)
    const phones = readsPhones(rule);
    const byOutcome: Record<BacktestOutcome, number> = { matched: 0, trigger: 0, conditions: 0 };
    const matched: Candidate[] = [];
    const others: Candidate[] = [];
    let scanned = 0;
    let more = true;
    const read = (after: { createdAt: Date; id: string } | null) =>
      this.events.bodiesPage(workspaceId, filter, after, Math.min(PAGE, limit - scanned));
    let next = read(null);
    next.catch(() => undefined); // awaited below; a failure while a page is evaluated is not unhandled
    while (more && scanned < limit) {
      const want = Math.min(PAGE, limit - scanned);
      const rows = await next;
      scanned += rows.length;
      more = rows.length === want;
      // the next page is read while this one is evaluated (keyset from its last row)
      if (more && scanned < limit) {
        next = read(rows[rows.length - 1]);
        next.catch(() => undefined);
      }
      for (const row of rows) {
        const subjects = this.readSubjects(SOURCES[row.source], row.rawBody, row.contentType, phones) ?? [];
        const outcome = quickOutcome(rule, compiled, subjects, typeOf);
        byOutcome[outcome] += 1;
        const kept = outcome === 'matched' ? matched : others;
        if (kept.length < SAMPLES) kept.push({ row, outcome });
      }
    }
    const truncated = input.last === null && more && scanned >= limit;
    const chosen = [...matched, ...others].slice(0, SAMPLES);
    const samples: BacktestSample[] = [];
    for (const candidate of chosen) samples.push(await this.sample(workspaceId, rule, id, candidate, typeOf));
    return { scanned, matched: byOutcome.matched, byOutcome, samples, truncated };
  }

  private async sample(
    workspaceId: string,
    rule: RuleUnderTest,
    id: { ruleId: string | null; version: number | null },
    { row, outcome }: Candidate,
    typeOf: FieldTypeOf,
  ): Promise<BacktestSample> {
    const subjects = this.readSubjects(SOURCES[row.source], row.rawBody, row.contentType) ?? [];
    const { explanation, subject } = explainSubjects(rule, subjects, typeOf, id);
    const requests =
      explanation.outcome === 'matched' && subject
        ? (await this.plan(workspaceId, explanation.actions, subject)).flatMap((plan) => plan.requests)
        : [];
    return {
      eventId: row.id,
      receivedAt: row.createdAt.toISOString(),
      source: row.source,
      eventType: row.eventType,
      outcome,
      explanation,
      requests,
    };
  }

  private async ruleOf(
    workspaceId: string,
    ref: RuleRef,
    draft: unknown,
  ): Promise<{ rule: RuleUnderTest; id: { ruleId: string | null; version: number | null } }> {
    if ('draft' in ref)
      return {
        rule: await this.validation.validate(workspaceId, draft, 'rule'),
        id: { ruleId: null, version: null },
      };
    const saved = await this.rules.get(workspaceId, ref.id);
    return { rule: saved.document, id: { ruleId: saved.id, version: saved.version } };
  }

  private async typeOf(workspaceId: string): Promise<FieldTypeOf> {
    return RuleValidationService.typeOf(await this.validation.metadata(workspaceId));
  }

  /** The subjects of a body, or null when it is not one the source sends. */
  private readSubjects(
    source: StoredSource | undefined,
    rawBody: Buffer | null,
    contentType: string,
    phones = true,
  ): DryRunSubject[] | null {
    if (!source || rawBody === null) return null;
    try {
      return subjectsOf(source, rawBody, contentType, this.config.defaultPhoneRegion, { phones });
    } catch {
      return null;
    }
  }

  /** The actions' requests on the subject's records (the engine actions planned from the current mapping). */
  private async plan(
    workspaceId: string,
    actions: RuleExplanation['actions'],
    subject: DryRunSubject,
  ): Promise<RulePlannedAction[]> {
    const target = await this.linked(workspaceId, subject);
    return planRuleActions(
      actions,
      target,
      nowS(),
      await this.engineFor(workspaceId, actions, subject, target),
    );
  }

  /**
   * What the engine actions plan with: the mapping's values for the subject's LPTracker lead (the current version:
   * nothing is written) and the find-or-create requests from the same inputs the live run sends.
   */
  private async engineFor(
    workspaceId: string,
    actions: RuleExplanation['actions'],
    subject: DryRunSubject,
    target: RuleTarget,
  ): Promise<RulePlanEngine> {
    const lead = subject.lptrackerLead;
    const mapped = await this.mapped.mapped(workspaceId, lead, null, 'current');
    const byProject = new Map<number, RuleMapped | null>();
    for (const action of actions)
      if (action.type === 'find_or_create_lead' && action.mappingProjectId !== null)
        byProject.set(
          action.mappingProjectId,
          await this.mapped.mapped(workspaceId, lead, action.mappingProjectId, 'current'),
        );
    const metadata = (await this.validation.metadata(workspaceId)).amocrm;
    const known = target.amocrmContactId;
    const mirrored =
      known === null ||
      (await this.contactRows.mirrorRowsOf(workspaceId, [known])).some((row) => row.deletedAt === null);
    const values = subject.context(subject.events[0]).values;
    const ruleSubject: RuleSubject = { lptrackerLead: lead, values };
    return {
      mapped,
      findOrCreate: (action) => {
        if (metadata === null) return { error: 'amoCRM is not connected' };
        const own =
          action.type === 'find_or_create_lead' && action.mappingProjectId !== null
            ? (byProject.get(action.mappingProjectId) ?? null)
            : mapped;
        return engineRequests(
          action.type === 'find_or_create_lead' ? 'lead' : 'contact',
          contactInputOf(ruleSubject, own),
          action.type === 'find_or_create_lead' ? leadInputOf(action, ruleSubject, own) : null,
          target.amocrmContactId,
          metadata,
          this.config.defaultPhoneRegion,
          mirrored,
        );
      },
    };
  }

  /** The subject's records with the other system's side read from the LPTracker ↔ amoCRM link. */
  private async linked(workspaceId: string, subject: DryRunSubject) {
    const target = { ...subject.target };
    if (target.lptrackerLeadId !== null) {
      const link = await this.links.findByLptrackerLead(workspaceId, target.lptrackerLeadId);
      if (link) {
        target.amocrmLeadId = link.amocrmLeadId;
        target.amocrmContactId = link.amocrmContactId;
      }
    } else if (target.amocrmLeadId !== null) {
      const [link] = await this.links.findByAmocrmLeadIds(workspaceId, [target.amocrmLeadId]);
      if (link) {
        target.lptrackerLeadId = link.lptrackerLeadId;
        target.lptrackerContactId = link.lptrackerContactId;
        target.lptrackerProjectId = link.projectId;
      }
    }
    return target;
  }
}

/** A payload without `source` is read as the rule's trigger source (LPTracker for api/import rules). */
function sourceOfRule(rule: RuleUnderTest): DryRunSource {
  return rule.trigger.source === 'amocrm' ? 'amocrm' : 'lptracker';
}

/** Whether events of a stored source can fit the rule's trigger (its contexts carry the trigger's source). */
function fitsTrigger(source: StoredSource, rule: RuleUnderTest): boolean {
  return (
    (source === 'amocrm' || source === 'amocrm-reconcile' ? 'amocrm' : 'lptracker') === rule.trigger.source
  );
}

const nowS = (): number => Math.floor(Date.now() / 1000);

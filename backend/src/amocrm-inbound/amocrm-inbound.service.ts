import { Injectable } from '@nestjs/common';
import type { CountryCode } from 'libphonenumber-js';
import type { AmoContact, AmoLead } from '../amocrm/client/amocrm-api.types';
import { AmocrmClient } from '../amocrm/client/amocrm-client';
import { AmocrmConnectionsService } from '../amocrm/connection/amocrm-connections.service';
import { AppConfig } from '../config/app-config';
import { ContactsService } from '../contacts/contacts.service';
import type { JsonObject, JsonValue } from '../database/columns';
import type { DomainEvent } from '../inbox/domain-events';
import {
  InboxBadRequest,
  InboxPermanentError,
  type InboxEventView,
  type InboxVerdict,
  type ProcessingContext,
  type ProcessingOutcome,
} from '../inbox/source-adapter';
import { LeadsService } from '../leads/leads.service';
import { EchoGuardService } from '../sync/echo-guard.service';
import { LptrackerBackflowService } from '../sync/lptracker/lptracker-backflow.service';
import { SyncMetadataService } from '../sync/sync-metadata.service';
import { ConnectedAccountCache } from './account-check';
import { AmocrmEntityVersionsRepository } from './amocrm-entity-versions.repository';
import { observedEntity } from './echo-check';
import { EchoReader } from './echo-reader';
import {
  describePlan,
  mainContactOf,
  type ContactPlan,
  type LeadPlan,
  type MirrorPlan,
  type PlannedChange,
} from './mirror-plan';
import { runLptrackerBackflow } from './lptracker-backflow-step';
import { RuleRunnerService } from '../sync/rules/rule-runner.service';
import { backflowThenRules, reconciledForRules, runAmocrmRules, type RuledChange } from './rules-step';
import { MirrorReader } from './mirror-reader';
import { MissingEntityFetcher } from './missing-entity-fetcher';
import { MirrorWriterService, type MirrorCommitItem } from './mirror-writer.service';
import { alreadyApplied } from './reconcile-decisions';
import { parseReconcileBody, reconcileKey, type ReconcileBody } from './reconcile-delivery';
import { changeKey, isMirrored, parseWebhookBody, versionOf, type MirroredChange } from './webhook-delivery';
import {
  finishPlans,
  planWebhookContact,
  planWebhookLead,
  unlinkedLeads,
  wantedBy,
  type MirrorView,
  type PlanStep,
} from './webhook-change-plans';
import { mirrorContactData, mirrorLeadData, type MappingContext } from './webhook-mapping';

/**
 * Applies amoCRM changes (webhooks and reconciliation) to the local mirror. The worker plans each event —
 * parse, echo check, version check, a read from the API only when the payload lacks what the mirror keeps (a run's
 * reads together, 250 entities per request, shared with runs reading at the same time: `MissingEntityFetcher`) —
 * and the plan is applied in `outcome.commit`, inside the transaction that marks the event done (`MirrorWriterService`:
 * per entity under the lock of its version row, the domain events decided from the mirror row before against the
 * row after). So concurrent deliveries of one change (`leads[status]` and `leads[update]`) converge on one row and
 * publish the stage change once, and a crash or a lost lease rolls everything back with the event.
 */
@Injectable()
export class AmocrmInboundService {
  private readonly region: CountryCode;
  private readonly accounts: ConnectedAccountCache;
  private readonly fetcher: MissingEntityFetcher;
  private readonly mirror: MirrorReader;
  private readonly echoes: EchoReader;

  constructor(
    config: AppConfig,
    connections: AmocrmConnectionsService,
    client: AmocrmClient,
    private readonly metadata: SyncMetadataService,
    echo: EchoGuardService,
    private readonly contacts: ContactsService,
    leads: LeadsService,
    versions: AmocrmEntityVersionsRepository,
    private readonly writer: MirrorWriterService,
    private readonly backflow: LptrackerBackflowService,
    private readonly rules: RuleRunnerService,
  ) {
    this.region = config.defaultPhoneRegion;
    this.accounts = new ConnectedAccountCache((workspaceId) => connections.getAccountIdentity(workspaceId));
    this.mirror = new MirrorReader(contacts, leads, versions);
    this.echoes = new EchoReader(echo);
    this.fetcher = new MissingEntityFetcher((workspaceId) => client.forWorkspace(workspaceId, 'sync'));
  }

  /** The hot-path account check of a delivery (cached for a few seconds). */
  verifyAccount(workspaceId: string, summary: JsonObject): Promise<InboxVerdict> {
    const id = summary.accountId;
    const subdomain = summary.account;
    return this.accounts.verify(workspaceId, {
      id: typeof id === 'number' ? id : null,
      subdomain: typeof subdomain === 'string' ? subdomain : null,
    });
  }

  // ---- webhooks ----

  async processWebhook(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome> {
    const webhook = await context.step('parse', () => parseStored(() => parseWebhookBody(event.rawBody)));
    const owned: { change: MirroredChange; key: string }[] = [];
    const described: JsonValue[] = [];
    const seen = new Set<string>();
    for (const change of webhook.changes) {
      const key = changeKey(change).key;
      if (!event.owns(key) || seen.has(key)) continue;
      seen.add(key);
      if (!isMirrored(change)) {
        context.skip(key, 'filtered', `${change.entity} ${change.action} changes are not mirrored`);
        described.push({
          key,
          entity: change.entity,
          action: change.action,
          id: change.id,
          apply: 'filtered',
        });
        continue;
      }
      owned.push({ change, key });
    }
    if (owned.length === 0) return { changes: described };

    const workspaceId = event.workspaceId;
    const metadata = await this.metadata.cached(workspaceId);
    const mapping: MappingContext = { metadata, region: this.region, syncedAt: new Date() };
    const contactChangesOwned = owned.filter(({ change }) => change.entity === 'contact');
    const leadChangesOwned = owned.filter(({ change }) => change.entity === 'lead');
    /** Links the body itself tells: a contact of the body whose `linked_leads_id` names the lead. */
    const bodyLinks = new Map<number, number>();
    for (const { change } of contactChangesOwned) {
      if (change.action === 'delete') continue;
      for (const leadId of change.linkedLeadIds) if (!bodyLinks.has(leadId)) bodyLinks.set(leadId, change.id);
    }
    const view = await context.step('read mirror', () =>
      this.mirror.read(
        workspaceId,
        [...contactChangesOwned.map(({ change }) => change.id), ...bodyLinks.values()],
        [...leadChangesOwned.map(({ change }) => change.id), ...bodyLinks.keys()],
      ),
    );
    const echoes = await context.step('echo check', () =>
      this.echoes.webhookChanges(
        workspaceId,
        owned.map(({ change }) => change),
      ),
    );
    const plans = emptyMirrorPlan(view, described);
    const contactSteps: PlanStep<ContactPlan, AmoContact>[] = [];
    const leadSteps: PlanStep<LeadPlan, AmoLead>[] = [];
    const ruled: typeof owned = []; // not echoes: the back-flow (leads) and the rules
    for (const [index, { change, key }] of owned.entries()) {
      const version = versionOf(change);
      const appliedVersions = change.entity === 'contact' ? view.contactVersions : view.leadVersions;
      const applied = appliedVersions.get(change.id)?.version ?? null;
      if (version !== null && applied !== null && version < applied) {
        context.skip(key, 'filtered', `an older version (${version}) than the mirror has (${applied})`);
        plans.described.push(describeSkip(key, change, 'older version'));
        continue;
      }
      const echo = echoes[index];
      if (echo)
        context.skip(key, 'echo', 'our own write coming back: the mirror is refreshed, nothing is published');
      else ruled.push({ change, key });
      const base = {
        key,
        amocrmId: change.id,
        action: change.action,
        version,
        echo,
        occurredAt: version !== null ? new Date(version * 1000) : event.receivedAt,
        fetched: null,
        versioned: appliedVersions.has(change.id),
      };
      if (change.entity === 'contact') contactSteps.push(planWebhookContact(change, base, view, mapping));
      else leadSteps.push(planWebhookLead(change, base, view, bodyLinks, mapping));
    }
    // what the payloads lack, read for the whole run at once (and with other runs reading at the same time)
    const [contacts, leads] = await Promise.all([
      this.fetcher.fetch(context, workspaceId, 'contact', wantedBy(contactSteps)),
      this.fetcher.fetch(context, workspaceId, 'lead', wantedBy(leadSteps)),
    ]);
    plans.contacts.push(...finishPlans(contactSteps, contacts));
    plans.leads.push(...finishPlans(leadSteps, leads));
    plans.described.push(...(await backflowThenRules(this.backflow, this.rules, event, context, ruled)));
    return this.outcome(event, context, plans, mapping);
  }

  // ---- reconciliation ----

  async processReconcile(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome> {
    const body = await context.step('parse', () => parseStored(() => parseReconcileBody(event.rawBody)));
    const workspaceId = event.workspaceId;
    const entity = body.entity === 'contacts' ? 'contact' : 'lead';
    const items = this.ownedItems(event, body);
    const described: JsonValue[] = [];
    if (items.length === 0) return { changes: described };
    const metadata = await this.metadata.cached(workspaceId);
    const mapping: MappingContext = { metadata, region: this.region, syncedAt: new Date() };
    const linkedContactIds = entity === 'lead' ? items.flatMap(({ item }) => mainContactIds(item)) : [];
    const linkedLeadIds = entity === 'contact' ? items.flatMap(({ item }) => linkedLeadsOf(item)) : [];
    const view = await context.step('read mirror', () =>
      this.mirror.read(
        workspaceId,
        entity === 'contact' ? items.map(({ item }) => item.id) : linkedContactIds,
        entity === 'lead' ? items.map(({ item }) => item.id) : linkedLeadIds,
      ),
    );
    const echoes = await context.step('echo check', () =>
      this.echoes.areEchoes(
        workspaceId,
        items.map(({ item }) => ({ entity, amocrmId: item.id, observed: observedEntity(item) })),
      ),
    );
    const plans = emptyMirrorPlan(view, described);
    const backflowLeads: AmoLead[] = [];
    const ruled: RuledChange[] = [];
    for (const [index, { item, key }] of items.entries()) {
      const row = (entity === 'contact' ? view.contacts.get(item.id) : view.leads.get(item.id)) ?? null;
      const applied = (entity === 'contact' ? view.contactVersions : view.leadVersions).get(item.id)?.version;
      if (alreadyApplied(item, row ?? undefined, applied ?? null, mapping)) {
        context.skip(key, 'filtered', `already up to date: version ${item.updated_at} was applied before`);
        described.push({
          key,
          entity,
          action: 'reconcile',
          id: item.id,
          apply: 'none',
          skipped: 'up to date',
        });
        continue;
      }
      const echo = echoes[index];
      if (echo) context.skip(key, 'echo', 'our own write: the mirror is refreshed, nothing is published');
      else if (entity === 'lead') backflowLeads.push(item as AmoLead);
      if (!echo) ruled.push(reconciledForRules(entity, item, key, view));
      const base: PlannedChange = {
        key,
        amocrmId: item.id,
        action: 'reconcile',
        version: item.updated_at,
        echo,
        existed: row !== null,
        occurredAt: new Date(item.updated_at * 1000),
        fetched: null,
        versioned: (entity === 'contact' ? view.contactVersions : view.leadVersions).has(item.id),
      };
      if (entity === 'contact') {
        const contact = item as AmoContact;
        plans.contacts.push({
          ...base,
          entity: 'contact',
          write: contact.is_deleted
            ? { kind: 'delete' }
            : { kind: 'full', data: mirrorContactData(contact, mapping) },
          linkLeadIds: unlinkedLeads(view, linkedLeadsOf(contact)),
        });
      } else {
        const lead = item as AmoLead;
        const knowsContacts = Array.isArray(lead._embedded?.contacts);
        plans.leads.push({
          ...base,
          entity: 'lead',
          payloadOld: null,
          contactsCheckedAt: knowsContacts ? mapping.syncedAt : null,
          write: lead.is_deleted
            ? { kind: 'delete' }
            : {
                kind: 'full',
                data: mirrorLeadData(lead, view.leads.get(lead.id)?.contactId ?? null, mapping),
                link: knowsContacts
                  ? { mode: 'set', contactAmocrmId: mainContactOf(lead) }
                  : { mode: 'keep' },
              },
        });
      }
    }
    plans.described.push(...(await runLptrackerBackflow(this.backflow, event, context, backflowLeads)));
    plans.described.push(...(await runAmocrmRules(this.rules, event, context, ruled)));
    return this.outcome(event, context, plans, mapping);
  }

  private ownedItems(
    event: InboxEventView,
    body: ReconcileBody,
  ): { item: AmoContact | AmoLead; key: string }[] {
    const seen = new Set<string>();
    return body.items.flatMap((item) => {
      const key = reconcileKey(body.entity, item).key;
      if (!event.owns(key) || seen.has(key)) return [];
      seen.add(key);
      return [{ item, key }];
    });
  }

  // ---- shared: planning the links, the commit ----

  /**
   * Contacts that leads link to but that neither the mirror nor this event has are read from the API (they are
   * mirrored so the link can be kept), then the commit is prepared.
   */
  private async outcome(
    event: InboxEventView,
    context: ProcessingContext,
    plans: MirrorPlan,
    mapping: MappingContext,
  ): Promise<ProcessingOutcome> {
    const inEvent = new Set(
      plans.contacts.filter((plan) => plan.write.kind !== 'delete').map((plan) => plan.amocrmId),
    );
    const wanted = [
      ...new Set(
        plans.leads.flatMap((plan) =>
          plan.write.kind === 'full' &&
          plan.write.link.mode === 'set' &&
          plan.write.link.contactAmocrmId !== null
            ? [plan.write.link.contactAmocrmId]
            : [],
        ),
      ),
    ].filter((id) => !inEvent.has(id) && !plans.contactIds.has(id));
    if (wanted.length > 0) {
      const rows = await this.contacts.mirrorRowsOf(event.workspaceId, wanted);
      for (const row of rows) plans.contactIds.set(row.amocrmId as number, row.id);
      const missing = wanted.filter((candidate) => !plans.contactIds.has(candidate));
      const reason = 'a lead links to a contact the mirror does not have';
      const fetched = await this.fetcher.fetch(
        context,
        event.workspaceId,
        'contact',
        missing.map((id) => ({ id, reason })),
      );
      for (const id of missing) {
        const contact = fetched.get(id);
        if (contact && contact.is_deleted !== true)
          plans.linked.push({
            amocrmId: id,
            data: mirrorContactData(contact, mapping),
            version: contact.updated_at,
          });
      }
    }
    for (const plan of [...plans.contacts, ...plans.leads]) plans.described.push(describePlan(plan));
    /** What the first commit published: the inbox may commit again after rolling back a batch of runs. */
    let published: DomainEvent[] | null = null;
    const item: MirrorCommitItem = { event, plans };
    return {
      changes: plans.described,
      shared: { group: this.writer.together, item },
      commit: async (manager) => {
        const decided = await this.writer.apply(manager, event, plans, item);
        if (published === null) {
          // decided under the entities' locks, published by the inbox after this commit, in its transaction
          for (const domainEvent of decided) context.publish(domainEvent);
          published = decided;
        } else if (JSON.stringify(published) !== JSON.stringify(decided)) {
          // the mirror moved between the rolled-back commit and this one: what was published no longer holds
          throw new Error('the mirror changed while this event was being committed; it is processed again');
        }
      },
    };
  }
}

function emptyMirrorPlan(view: MirrorView, described: JsonValue[]): MirrorPlan {
  return {
    contacts: [],
    leads: [],
    linked: [],
    contactIds: new Map([...view.contacts].map(([amocrmId, row]) => [amocrmId, row.id])),
    described,
  };
}

/** Parsing a stored body again: it was accepted once, so a failure now cannot get better by retrying. */
function parseStored<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InboxBadRequest)
      throw new InboxPermanentError(`the stored body cannot be read: ${error.message}`);
    throw error;
  }
}

function mainContactIds(item: AmoContact | AmoLead): number[] {
  const id = mainContactOf(item);
  return id === null ? [] : [id];
}

function linkedLeadsOf(item: AmoContact | AmoLead): number[] {
  return ((item as AmoContact)._embedded?.leads ?? []).map((lead) => lead.id);
}

function describeSkip(key: string, change: MirroredChange, why: string): JsonValue {
  return { key, entity: change.entity, action: change.action, id: change.id, apply: 'none', skipped: why };
}

import type { EntityManager } from 'typeorm';
import type { ContactEntity } from '../contacts/contact.entity';
import type { ContactsService } from '../contacts/contacts.service';
import type { InboxEventView } from '../inbox/source-adapter';
import type { LeadEntity } from '../leads/lead.entity';
import type { LeadsService } from '../leads/leads.service';
import { MIRROR_SOURCE } from './amocrm-inbound.constants';
import { versionKey, type AmocrmEntityVersionsRepository } from './amocrm-entity-versions.repository';
import {
  byEntity,
  checkVersion,
  contactDataOf,
  fullWrite,
  leadDataOf,
  linkedContactId,
  lockRequests,
  type ContactPlan,
  type LeadPlan,
  type MirrorPlan,
} from './mirror-plan';

/** The rows written for an event together with other events, in `manager`'s transaction. */
export interface MadeTogether {
  manager: EntityManager;
  /** The rows as they were before (none for entities new to the mirror). */
  before: { contacts: Map<number, ContactEntity>; leads: Map<number, LeadEntity> };
  contacts: Map<number, ContactEntity>;
  leads: Map<number, LeadEntity>;
  /** Version keys of the changes dropped as older than the version applied meanwhile. */
  stale: Set<string>;
}

/** An event's share in `MirrorWriterService.together`: its plan, and the rows written for it. */
export interface MirrorCommitItem {
  readonly event: Pick<InboxEventView, 'id' | 'workspaceId' | 'source'>;
  readonly plans: MirrorPlan;
  made?: MadeTogether;
}

type Kind = 'new' | 'existing';

/**
 * The mirror writes of events committed in one transaction, each table written with one statement for all of them.
 * Two kinds of events take part: those whose every change makes an entity new to the mirror, and those whose every
 * change is a full or partial write of entities the mirror has (no deletion, no contact to fetch or link first).
 * An entity in two of the events is left to the events' own commits (applied one after the other). For the new
 * ones, if any row exists meanwhile, the transaction is rolled back and each event committed alone. For the
 * existing ones: their version rows are locked in one statement (in key order, as every commit takes them), then
 * their mirror rows (contacts before leads, by id) in one locking read each; a change older than the version
 * applied meanwhile is dropped, the others written with one INSERT … ON DUPLICATE KEY UPDATE per table, their
 * versions recorded with one statement.
 */
export class MirrorBatch {
  constructor(
    private readonly contacts: ContactsService,
    private readonly leads: LeadsService,
    private readonly versions: AmocrmEntityVersionsRepository,
  ) {}

  async apply(manager: EntityManager, items: MirrorCommitItem[]): Promise<void> {
    const candidates = items.flatMap((item) => {
      const kind = kindOf(item.plans);
      return kind ? [{ item, kind }] : [];
    });
    const events = new Map<string, number>();
    for (const { item } of candidates)
      for (const key of entityKeys(item.plans)) events.set(key, (events.get(key) ?? 0) + 1);
    const chosen = candidates.filter(({ item }) =>
      entityKeys(item.plans).every((key) => events.get(key) === 1),
    );
    for (const workspaceId of new Set(chosen.map(({ item }) => item.event.workspaceId))) {
      const mine = (kind: Kind): MirrorCommitItem[] =>
        chosen.filter((c) => c.kind === kind && c.item.event.workspaceId === workspaceId).map((c) => c.item);
      const fresh = mine('new');
      if (fresh.length > 1) await this.insertNew(manager, workspaceId, fresh);
      const existing = mine('existing');
      if (existing.length > 1) await this.updateExisting(manager, workspaceId, existing);
    }
  }

  private async insertNew(
    manager: EntityManager,
    workspaceId: string,
    mine: MirrorCommitItem[],
  ): Promise<void> {
    const versions = mine.flatMap((item) => lockRequests(item.plans));
    if ((await this.versions.insertNew(manager, workspaceId, versions)) !== versions.length)
      throw new SharedWriteConflict('a version row already in the mirror');
    const made = madeFor(manager, mine);
    const contactPlans = plansOf(mine, 'contacts');
    const contacts = await this.contacts.insertMirrorRowsIfAbsent(
      manager,
      workspaceId,
      contactPlans.map(({ plan }) => fullWrite(plan.write).data),
      MIRROR_SOURCE,
    );
    if (contacts.inserted !== contactPlans.length)
      throw new SharedWriteConflict('a contact already in the mirror');
    contactPlans.forEach(({ item, plan }, index) =>
      made.get(item)?.contacts.set(plan.amocrmId, contacts.rows[index]),
    );
    const leadPlans = plansOf(mine, 'leads');
    const leadData = leadPlans.map(({ item, plan }) => ({
      ...fullWrite(plan.write).data,
      contactId: linkedContactId(plan.write, contactIdsOf(item, made.get(item)), null),
    }));
    const leads = await this.leads.insertMirrorRowsIfAbsent(manager, workspaceId, leadData);
    if (leads.inserted !== leadPlans.length) throw new SharedWriteConflict('a lead already in the mirror');
    leadPlans.forEach(({ item, plan }, index) => made.get(item)?.leads.set(plan.amocrmId, leads.rows[index]));
    for (const [item, rows] of made) item.made = rows;
  }

  private async updateExisting(
    manager: EntityManager,
    workspaceId: string,
    mine: MirrorCommitItem[],
  ): Promise<void> {
    const versions = await this.versions.lockMany(
      manager,
      workspaceId,
      mine.flatMap((item) => lockRequests(item.plans)),
    );
    const made = madeFor(manager, mine);
    const contactPlans = plansOf(mine, 'contacts');
    const leadPlans = plansOf(mine, 'leads');
    const contactsBefore = await this.contacts.lockMirrorRows(
      manager,
      workspaceId,
      contactPlans.map(({ plan }) => plan.amocrmId),
    );
    const leadsBefore = await this.leads.lockMirrorRows(
      manager,
      workspaceId,
      leadPlans.map(({ plan }) => plan.amocrmId),
    );
    if (contactsBefore.length !== contactPlans.length || leadsBefore.length !== leadPlans.length)
      throw new SharedWriteConflict('a row planned as existing is missing from the mirror');
    const beforeContacts = new Map(contactsBefore.map((row) => [row.amocrmId as number, row]));
    const beforeLeads = new Map(leadsBefore.map((row) => [row.amocrmId as number, row]));
    const recorded: Parameters<AmocrmEntityVersionsRepository['recordMany']>[2][number][] = [];

    const contactWrites = contactPlans.filter(({ item, plan }) => {
      const { stale, record } = checkVersion(versions, 'contact', plan, null);
      if (stale) made.get(item)?.stale.add(versionKey('contact', plan.amocrmId));
      if (record) recorded.push({ entityType: 'contact', amocrmId: plan.amocrmId, version: plan.version });
      return !stale;
    });
    const contacts = await this.contacts.saveMirrorRows(
      manager,
      workspaceId,
      contactWrites.map(({ plan }) => {
        const before = beforeContacts.get(plan.amocrmId) as ContactEntity;
        return plan.write.kind === 'patch'
          ? { ...contactDataOf(before), ...plan.write.patch }
          : fullWrite(plan.write).data;
      }),
      MIRROR_SOURCE,
      beforeContacts,
    );
    contactWrites.forEach(({ item, plan }, index) => {
      made.get(item)?.before.contacts.set(plan.amocrmId, beforeContacts.get(plan.amocrmId) as ContactEntity);
      made.get(item)?.contacts.set(plan.amocrmId, contacts[index]);
    });

    const leadWrites = leadPlans.filter(({ item, plan }) => {
      const { stale, record } = checkVersion(versions, 'lead', plan, plan.contactsCheckedAt);
      if (stale) made.get(item)?.stale.add(versionKey('lead', plan.amocrmId));
      if (record)
        recorded.push({
          entityType: 'lead',
          amocrmId: plan.amocrmId,
          version: plan.version,
          contactsCheckedAt: plan.contactsCheckedAt,
        });
      return !stale;
    });
    const leads = await this.leads.saveMirrorRows(
      manager,
      workspaceId,
      leadWrites.map(({ item, plan }) => {
        const before = beforeLeads.get(plan.amocrmId) as LeadEntity;
        if (plan.write.kind === 'patch') return { ...leadDataOf(before), ...plan.write.patch };
        const contactIds = contactIdsOf(item, made.get(item));
        return {
          ...fullWrite(plan.write).data,
          contactId: linkedContactId(plan.write, contactIds, before.contactId),
        };
      }),
    );
    leadWrites.forEach(({ item, plan }, index) => {
      made.get(item)?.before.leads.set(plan.amocrmId, beforeLeads.get(plan.amocrmId) as LeadEntity);
      made.get(item)?.leads.set(plan.amocrmId, leads[index]);
    });
    await this.versions.recordMany(manager, workspaceId, recorded);
    for (const [item, rows] of made) item.made = rows;
  }
}

/** Which kind of shared write the event's plan can take part in, if any. */
function kindOf(plans: MirrorPlan): Kind | null {
  const all = [...plans.contacts, ...plans.leads];
  const distinct =
    new Set(plans.contacts.map((plan) => plan.amocrmId)).size === plans.contacts.length &&
    new Set(plans.leads.map((plan) => plan.amocrmId)).size === plans.leads.length;
  if (plans.linked.length > 0 || all.length === 0 || !distinct) return null;
  if (plans.contacts.some((plan) => plan.linkLeadIds.length > 0)) return null;
  if (all.every((plan) => plan.write.kind === 'full' && !plan.existed && !plan.versioned)) return 'new';
  if (all.every((plan) => plan.write.kind !== 'delete' && plan.existed && plan.versioned)) return 'existing';
  return null;
}

function entityKeys(plans: MirrorPlan): string[] {
  return [
    ...plans.contacts.map((plan) => versionKey('contact', plan.amocrmId)),
    ...plans.leads.map((plan) => versionKey('lead', plan.amocrmId)),
  ];
}

function madeFor(manager: EntityManager, items: MirrorCommitItem[]): Map<MirrorCommitItem, MadeTogether> {
  return new Map(
    items.map((item) => [
      item,
      {
        manager,
        before: { contacts: new Map(), leads: new Map() },
        contacts: new Map(),
        leads: new Map(),
        stale: new Set(),
      },
    ]),
  );
}

/** The plans of one entity of these events, in id order (the order every commit locks and writes rows in). */
function plansOf<E extends 'contacts' | 'leads'>(
  items: MirrorCommitItem[],
  entity: E,
): { item: MirrorCommitItem; plan: E extends 'contacts' ? ContactPlan : LeadPlan }[] {
  return items
    .flatMap((item) =>
      (item.plans[entity] as (E extends 'contacts' ? ContactPlan : LeadPlan)[]).map((plan) => ({
        item,
        plan,
      })),
    )
    .sort((a, b) => byEntity(a.plan, b.plan));
}

/** amoCRM contact id → mirror contact id for an event's leads: as planned, and the contacts written for it. */
function contactIdsOf(item: MirrorCommitItem, made: MadeTogether | undefined): Map<number, string> {
  const contactIds = new Map(item.plans.contactIds);
  for (const [amocrmId, row] of made?.contacts ?? []) contactIds.set(amocrmId, row.id);
  return contactIds;
}

/** A row not as planned after all: the shared write is given up (the batch is committed again event by event). */
class SharedWriteConflict extends Error {
  constructor(what: string) {
    super(`${what}: the events are committed one by one`);
  }
}

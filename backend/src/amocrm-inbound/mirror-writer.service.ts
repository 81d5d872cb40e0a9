import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ContactEntity } from '../contacts/contact.entity';
import type { ContactData } from '../contacts/contacts.repository';
import { ContactsService } from '../contacts/contacts.service';
import type { DomainEvent } from '../inbox/domain-events';
import type { InboxEventView, SharedCommitGroup } from '../inbox/source-adapter';
import type { LeadEntity } from '../leads/lead.entity';
import type { LeadData } from '../leads/leads.repository';
import { LeadsService } from '../leads/leads.service';
import { MIRROR_SOURCE } from './amocrm-inbound.constants';
import {
  AmocrmEntityVersionsRepository,
  versionKey,
  type VersionedEntity,
} from './amocrm-entity-versions.repository';
import { contactChanges, leadChanges, type DomainChange } from './mirror-changes';
import {
  lockRequests,
  type ContactPlan,
  type LeadPlan,
  type MirrorPlan,
  type PlannedChange,
} from './mirror-plan';

/** An event's share in `MirrorWriterService.newEntities`: its plan, and the rows made for it (in which transaction). */
export interface MirrorCommitItem {
  readonly event: Pick<InboxEventView, 'id' | 'workspaceId' | 'source'>;
  readonly plans: MirrorPlan;
  made?: {
    manager: EntityManager;
    contacts: Map<number, ContactEntity>;
    leads: Map<number, LeadEntity>;
  };
}

/** A write known to be a full one (`allNew` plans only have those). */
function fullWrite<W extends { kind: string }>(write: W): Extract<W, { kind: 'full' }> {
  if (write.kind !== 'full') throw new Error('only full writes make new rows');
  return write as Extract<W, { kind: 'full' }>;
}

/** The mirror contact a lead's write links it to; `current` when the write keeps the link or names no known row. */
function linkedContactId(
  write: LeadPlan['write'],
  contactIds: ReadonlyMap<number, string>,
  current: string | null,
): string | null {
  if (write.kind !== 'full' || write.link.mode === 'keep') return current;
  if (write.link.contactAmocrmId === null) return null;
  return contactIds.get(write.link.contactAmocrmId) ?? current;
}

/**
 * Applies an event's mirror plan in the transaction that marks the event done. First the version rows of every
 * entity the event touches are locked (one statement; contacts before leads, by id), so the changes of one entity
 * are applied one after another across workers; then each mirror row is read as committed (a locking read, only of
 * rows known to exist — never a gap), written, and the domain events decided from the row before against the row
 * after. A change older than the version applied meanwhile is dropped.
 */
@Injectable()
export class MirrorWriterService {
  constructor(
    private readonly contacts: ContactsService,
    private readonly leads: LeadsService,
    private readonly versions: AmocrmEntityVersionsRepository,
  ) {}

  /**
   * Events whose every change makes an entity new to the mirror, committed in one transaction: their version rows,
   * contacts and leads are each made with one statement for all of them. An entity in two of these events is left
   * to the events' own commits (applied one after the other). If any row exists meanwhile, the transaction is
   * rolled back and each event committed alone.
   */
  readonly newEntities: SharedCommitGroup<MirrorCommitItem> = {
    apply: (manager, items) => this.insertNewTogether(manager, items),
  };

  /**
   * Applies the plans in `manager`'s transaction; answers the domain events to publish. `item`: the event's share
   * in `newEntities`, when it has one.
   */
  async apply(
    manager: EntityManager,
    event: Pick<InboxEventView, 'id' | 'workspaceId' | 'source'>,
    plans: MirrorPlan,
    item?: MirrorCommitItem,
  ): Promise<DomainEvent[]> {
    const workspaceId = event.workspaceId;
    const contactIds = new Map(plans.contactIds);
    const { decided, address } = decisions(event);
    const made = item?.made;
    if (made && made.manager === manager) {
      // made together with other events in this transaction: what the steps below would decide for new rows
      for (const plan of [...plans.contacts].sort(byEntity))
        address(plan, contactChanges(null, made.contacts.get(plan.amocrmId) ?? null));
      for (const plan of [...plans.leads].sort(byEntity))
        address(plan, leadChanges(null, made.leads.get(plan.amocrmId) ?? null, plan.payloadOld));
      return decided;
    }
    const versions = await this.versions.lockMany(manager, workspaceId, lockRequests(plans));
    /** Whether a plan is older than what is applied (then dropped), and whether its version is to be stored. */
    const check = (
      entity: VersionedEntity,
      plan: PlannedChange,
      contactsCheckedAt: Date | null,
    ): { stale: boolean; record: boolean } => {
      const key = versionKey(entity, plan.amocrmId);
      const applied = versions.get(key) ?? { version: null, contactsCheckedAt: null };
      const stale = plan.version !== null && applied.version !== null && plan.version < applied.version;
      const newer = plan.version !== null && (applied.version === null || plan.version > applied.version);
      const checked =
        contactsCheckedAt !== null && applied.contactsCheckedAt?.getTime() !== contactsCheckedAt.getTime();
      if (!stale)
        versions.set(key, {
          version: newer ? plan.version : applied.version,
          contactsCheckedAt: contactsCheckedAt ?? applied.contactsCheckedAt,
        });
      return { stale, record: !stale && (newer || checked) };
    };
    for (const linked of [...plans.linked].sort((a, b) => a.amocrmId - b.amocrmId)) {
      // only made when missing: a contact the mirror has meanwhile is left as it is (its own changes update it);
      // one made here is new to the mirror, so it is told as created (its own `add` then finds it: nothing more)
      const inserted = await this.contacts.insertMirrorRowIfAbsent(
        manager,
        workspaceId,
        linked.data,
        MIRROR_SOURCE,
      );
      const row = inserted ?? (await this.contacts.lockMirrorRow(manager, workspaceId, linked.amocrmId));
      if (row) contactIds.set(linked.amocrmId, row.id);
      if (inserted) {
        await this.versions.record(manager, workspaceId, 'contact', linked.amocrmId, linked);
        address(
          { amocrmId: linked.amocrmId, echo: false, occurredAt: new Date(linked.version * 1000) },
          contactChanges(null, inserted),
        );
      }
    }
    for (const plan of [...plans.contacts].sort(byEntity)) {
      const { stale, record } = check('contact', plan, null);
      if (stale) continue;
      const { before, after } = await this.applyContact(manager, workspaceId, plan);
      if (after) {
        contactIds.set(plan.amocrmId, after.id);
        if (plan.linkLeadIds.length > 0)
          await this.leads.linkMirrorRowsToContact(manager, workspaceId, plan.linkLeadIds, after.id);
      }
      if (after || plan.write.kind === 'delete') address(plan, contactChanges(before, after));
      if (record)
        await this.versions.record(manager, workspaceId, 'contact', plan.amocrmId, { version: plan.version });
    }
    for (const plan of [...plans.leads].sort(byEntity)) {
      const { stale, record } = check('lead', plan, plan.contactsCheckedAt);
      if (stale) continue;
      const { before, after } = await this.applyLead(manager, workspaceId, plan, contactIds);
      if (after || plan.write.kind === 'delete') address(plan, leadChanges(before, after, plan.payloadOld));
      if (record) {
        await this.versions.record(manager, workspaceId, 'lead', plan.amocrmId, {
          version: plan.version,
          contactsCheckedAt: plan.contactsCheckedAt,
        });
      }
    }
    return decided;
  }

  private async insertNewTogether(manager: EntityManager, items: MirrorCommitItem[]): Promise<void> {
    const candidates = items.filter((item) => allNew(item.plans));
    const events = new Map<string, number>();
    for (const item of candidates)
      for (const key of entityKeys(item.plans)) events.set(key, (events.get(key) ?? 0) + 1);
    const chosen = candidates.filter((item) => entityKeys(item.plans).every((key) => events.get(key) === 1));
    for (const workspaceId of new Set(chosen.map((item) => item.event.workspaceId))) {
      const mine = chosen.filter((item) => item.event.workspaceId === workspaceId);
      if (mine.length < 2) continue;
      const versions = mine.flatMap((item) => lockRequests(item.plans));
      if ((await this.versions.insertNew(manager, workspaceId, versions)) !== versions.length)
        throw new SharedWriteConflict('a version row');

      const contactPlans = mine
        .flatMap((item) => item.plans.contacts.map((plan) => ({ item, plan })))
        .sort((a, b) => byEntity(a.plan, b.plan));
      const contacts = await this.contacts.insertMirrorRowsIfAbsent(
        manager,
        workspaceId,
        contactPlans.map(({ plan }) => fullWrite(plan.write).data),
        MIRROR_SOURCE,
      );
      if (contacts.inserted !== contactPlans.length) throw new SharedWriteConflict('a contact');
      const made = new Map(
        mine.map((item) => [
          item,
          { manager, contacts: new Map<number, ContactEntity>(), leads: new Map<number, LeadEntity>() },
        ]),
      );
      contactPlans.forEach(({ item, plan }, index) =>
        made.get(item)?.contacts.set(plan.amocrmId, contacts.rows[index]),
      );

      const leadPlans = mine
        .flatMap((item) => item.plans.leads.map((plan) => ({ item, plan })))
        .sort((a, b) => byEntity(a.plan, b.plan));
      const leadData = leadPlans.map(({ item, plan }) => {
        const contactIds = new Map(item.plans.contactIds);
        for (const [amocrmId, row] of made.get(item)?.contacts ?? []) contactIds.set(amocrmId, row.id);
        return { ...fullWrite(plan.write).data, contactId: linkedContactId(plan.write, contactIds, null) };
      });
      const leads = await this.leads.insertMirrorRowsIfAbsent(manager, workspaceId, leadData);
      if (leads.inserted !== leadPlans.length) throw new SharedWriteConflict('a lead');
      leadPlans.forEach(({ item, plan }, index) =>
        made.get(item)?.leads.set(plan.amocrmId, leads.rows[index]),
      );
      for (const [item, rows] of made) item.made = rows;
    }
  }

  private async applyContact(
    manager: EntityManager,
    workspaceId: string,
    plan: ContactPlan,
  ): Promise<{ before: ContactEntity | null; after: ContactEntity | null }> {
    const { write } = plan;
    if (write.kind === 'full' && !plan.existed) {
      const inserted = await this.contacts.insertMirrorRowIfAbsent(
        manager,
        workspaceId,
        write.data,
        MIRROR_SOURCE,
      );
      if (inserted) return { before: null, after: inserted };
    }
    // a row that did not exist when planning and was not made since stays missing: never lock a gap
    if (!plan.existed && write.kind !== 'full') return { before: null, after: null };
    const before = await this.contacts.lockMirrorRow(manager, workspaceId, plan.amocrmId);
    if (write.kind === 'delete') {
      if (before && !before.deletedAt)
        await this.contacts.markMirrorRowDeleted(manager, workspaceId, plan.amocrmId, plan.occurredAt);
      return { before, after: null };
    }
    if (!before && write.kind === 'patch') return { before: null, after: null };
    const data =
      write.kind === 'full' ? write.data : { ...contactDataOf(before as ContactEntity), ...write.patch };
    const after = await this.contacts.saveMirrorRow(manager, workspaceId, data, MIRROR_SOURCE);
    return { before, after };
  }

  private async applyLead(
    manager: EntityManager,
    workspaceId: string,
    plan: LeadPlan,
    contactIds: Map<number, string>,
  ): Promise<{ before: LeadEntity | null; after: LeadEntity | null }> {
    const { write } = plan;
    const linkedTo = (current: string | null): string | null => linkedContactId(write, contactIds, current);
    if (write.kind === 'full' && !plan.existed) {
      const data = { ...write.data, contactId: linkedTo(null) };
      const inserted = await this.leads.insertMirrorRowIfAbsent(manager, workspaceId, data);
      if (inserted) return { before: null, after: inserted };
    }
    if (!plan.existed && write.kind !== 'full') return { before: null, after: null };
    const before = await this.leads.lockMirrorRow(manager, workspaceId, plan.amocrmId);
    if (write.kind === 'delete') {
      if (before && !before.deletedAt)
        await this.leads.markMirrorRowDeleted(manager, workspaceId, plan.amocrmId, plan.occurredAt);
      return { before, after: null };
    }
    if (!before && write.kind === 'patch') return { before: null, after: null };
    const data =
      write.kind === 'full'
        ? { ...write.data, contactId: linkedTo(before?.contactId ?? null) }
        : { ...leadDataOf(before as LeadEntity), ...write.patch };
    const after = await this.leads.saveMirrorRow(manager, workspaceId, data);
    return { before, after };
  }
}

/** The domain events of one event's commit, and how a change of an entity is added to them. */
function decisions(event: Pick<InboxEventView, 'id' | 'workspaceId' | 'source'>): {
  decided: DomainEvent[];
  address: (plan: Pick<PlannedChange, 'amocrmId' | 'echo' | 'occurredAt'>, changes: DomainChange[]) => void;
} {
  const decided: DomainEvent[] = [];
  const address = (
    plan: Pick<PlannedChange, 'amocrmId' | 'echo' | 'occurredAt'>,
    changes: DomainChange[],
  ): void => {
    if (plan.echo) return;
    for (const change of changes) {
      decided.push({
        ...change,
        workspaceId: event.workspaceId,
        source: event.source,
        inboxEventId: event.id,
        entityId: String(plan.amocrmId),
        occurredAt: plan.occurredAt,
      });
    }
  };
  return { decided, address };
}

/** Whether every change of the plan makes an entity new to the mirror (nothing to read, lock or link first). */
function allNew(plans: MirrorPlan): boolean {
  const fresh = (plan: ContactPlan | LeadPlan): boolean =>
    plan.write.kind === 'full' && !plan.existed && !plan.versioned;
  return (
    plans.linked.length === 0 &&
    plans.contacts.length + plans.leads.length > 0 &&
    plans.contacts.every((plan) => fresh(plan) && plan.linkLeadIds.length === 0) &&
    plans.leads.every(fresh) &&
    new Set(plans.contacts.map((plan) => plan.amocrmId)).size === plans.contacts.length &&
    new Set(plans.leads.map((plan) => plan.amocrmId)).size === plans.leads.length
  );
}

function entityKeys(plans: MirrorPlan): string[] {
  return [
    ...plans.contacts.map((plan) => versionKey('contact', plan.amocrmId)),
    ...plans.leads.map((plan) => versionKey('lead', plan.amocrmId)),
  ];
}

/** A row that existed after all: the shared write is given up (the batch is committed again event by event). */
class SharedWriteConflict extends Error {
  constructor(what: string) {
    super(`${what} already in the mirror: the events are committed one by one`);
  }
}

function byEntity(a: { amocrmId: number }, b: { amocrmId: number }): number {
  return a.amocrmId - b.amocrmId;
}

function contactDataOf(row: ContactEntity): ContactData & { amocrmId: number } {
  return {
    amocrmId: row.amocrmId as number,
    name: row.name,
    phone: row.phone,
    email: row.email,
    phones: row.phones,
    emails: row.emails,
    responsibleUserId: row.responsibleUserId,
    customFields: row.customFields,
    syncedAt: row.syncedAt,
  };
}

function leadDataOf(row: LeadEntity): LeadData & { amocrmId: number } {
  return {
    amocrmId: row.amocrmId as number,
    name: row.name,
    statusId: row.statusId,
    status: row.status,
    pipelineId: row.pipelineId,
    price: row.price,
    contactId: row.contactId,
    responsibleUserId: row.responsibleUserId,
    customFields: row.customFields,
    tags: row.tags,
    source: row.source,
    syncedAt: row.syncedAt,
    closedAt: row.closedAt,
  };
}

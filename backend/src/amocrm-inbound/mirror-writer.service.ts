import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ContactEntity } from '../contacts/contact.entity';
import { ContactsService } from '../contacts/contacts.service';
import type { DomainEvent } from '../inbox/domain-events';
import type { InboxEventView, SharedCommitGroup } from '../inbox/source-adapter';
import type { LeadEntity } from '../leads/lead.entity';
import { LeadsService } from '../leads/leads.service';
import { MIRROR_SOURCE } from './amocrm-inbound.constants';
import {
  AmocrmEntityVersionsRepository,
  versionKey,
  type VersionedEntity,
} from './amocrm-entity-versions.repository';
import { contactChanges, leadChanges, type DomainChange } from './mirror-changes';
import { MirrorBatch, type MirrorCommitItem } from './mirror-batch';
import {
  byEntity,
  checkVersion,
  contactDataOf,
  leadDataOf,
  linkedContactId,
  lockRequests,
  type ContactPlan,
  type LeadPlan,
  type MirrorPlan,
  type PlannedChange,
} from './mirror-plan';

export type { MirrorCommitItem } from './mirror-batch';

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

  private readonly batch = new MirrorBatch(this.contacts, this.leads, this.versions);

  /** The shares of events committed in one transaction, written together (see `MirrorBatch`). */
  readonly together: SharedCommitGroup<MirrorCommitItem> = {
    apply: (manager, items) => this.batch.apply(manager, items),
  };

  /**
   * Applies the plans in `manager`'s transaction; answers the domain events to publish. `item`: the event's share
   * in `together`, when it has one.
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
      // written together with other events in this transaction: what the steps below would decide
      for (const plan of [...plans.contacts].sort(byEntity)) {
        if (made.stale.has(versionKey('contact', plan.amocrmId))) continue;
        const before = made.before.contacts.get(plan.amocrmId) ?? null;
        address(plan, contactChanges(before, made.contacts.get(plan.amocrmId) ?? null));
      }
      for (const plan of [...plans.leads].sort(byEntity)) {
        if (made.stale.has(versionKey('lead', plan.amocrmId))) continue;
        const before = made.before.leads.get(plan.amocrmId) ?? null;
        address(plan, leadChanges(before, made.leads.get(plan.amocrmId) ?? null, plan.payloadOld));
      }
      return decided;
    }
    const versions = await this.versions.lockMany(manager, workspaceId, lockRequests(plans));
    const check = (entity: VersionedEntity, plan: PlannedChange, contactsCheckedAt: Date | null) =>
      checkVersion(versions, entity, plan, contactsCheckedAt);
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

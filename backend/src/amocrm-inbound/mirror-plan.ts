import type { AmoLead } from '../amocrm/client/amocrm-api.types';
import type { ContactEntity } from '../contacts/contact.entity';
import type { ContactData } from '../contacts/contacts.repository';
import type { JsonValue } from '../database/columns';
import type { LeadEntity } from '../leads/lead.entity';
import type { LeadData } from '../leads/leads.repository';
import {
  versionKey,
  type EntityVersion,
  type VersionedEntity,
  type VersionLockRequest,
} from './amocrm-entity-versions.repository';
import type { PayloadOld } from './mirror-changes';
import type { ContactPatch, LeadPatch, MirrorContactData, MirrorLeadData } from './webhook-mapping';

/**
 * The plan of an event's mirror changes: made by the worker from the payload (and the API when it had to ask),
 * applied in the transaction that marks the event done (`MirrorWriterService`).
 */

/** How a lead's contact link is decided: kept as the mirror has it, or set from the API / the same body. */
export type LeadLink = { mode: 'keep' } | { mode: 'set'; contactAmocrmId: number | null };

export interface PlannedChange {
  key: string;
  amocrmId: number;
  action: string;
  /** The amoCRM version the change brings (unix seconds), null when the payload has none (deletions). */
  version: number | null;
  /** Our own write coming back: the mirror is refreshed, nothing is published. */
  echo: boolean;
  /** Whether the mirror had a row for the entity when the change was planned. */
  existed: boolean;
  /** Whether the entity's version row was seen when planning (rows are never deleted, so it still exists). */
  versioned: boolean;
  occurredAt: Date;
  /** Why the entity was read from the API, when it was. */
  fetched: string | null;
}

export interface ContactPlan extends PlannedChange {
  entity: 'contact';
  write:
    { kind: 'delete' } | { kind: 'full'; data: MirrorContactData } | { kind: 'patch'; patch: ContactPatch };
  /** Mirror leads (ids) this contact is linked to in amoCRM that have no contact in the mirror yet. */
  linkLeadIds: string[];
}

export interface LeadPlan extends PlannedChange {
  entity: 'lead';
  write:
    | { kind: 'delete' }
    | { kind: 'full'; data: MirrorLeadData; link: LeadLink }
    | { kind: 'patch'; patch: LeadPatch };
  payloadOld: PayloadOld | null;
  /** Set when the lead's contacts were read from the API now. */
  contactsCheckedAt: Date | null;
}

/**
 * A contact read from the API only because a lead links to it and the mirror lacks it: made when still missing
 * (and told as created then), never updated this way.
 */
export interface LinkedContact {
  amocrmId: number;
  data: MirrorContactData;
  version: number;
}

/** What one event changes in the mirror, planned by the worker and applied in the event's commit. */
export interface MirrorPlan {
  contacts: ContactPlan[];
  leads: LeadPlan[];
  linked: LinkedContact[];
  /** amoCRM contact id → mirror contact id, as known when planning. */
  contactIds: Map<number, string>;
  described: JsonValue[];
}

/**
 * The version rows an event's commit locks: one per entity, made (when new) with the newest version the event
 * brings, so an older change of the same entity in the same event is dropped as stale.
 */
export function lockRequests(plans: MirrorPlan): VersionLockRequest[] {
  const requests = new Map<string, VersionLockRequest>();
  const add = (request: VersionLockRequest): void => {
    const key = versionKey(request.entityType, request.amocrmId);
    const known = requests.get(key);
    if (!known) {
      requests.set(key, request);
      return;
    }
    known.knownToExist ||= request.knownToExist;
    if (request.version !== null && (known.version === null || request.version > known.version))
      known.version = request.version;
    known.contactsCheckedAt ??= request.contactsCheckedAt;
  };
  for (const linked of plans.linked)
    add({ entityType: 'contact', amocrmId: linked.amocrmId, version: null, knownToExist: false });
  for (const plan of plans.contacts)
    add({
      entityType: 'contact',
      amocrmId: plan.amocrmId,
      version: plan.version,
      knownToExist: plan.versioned,
    });
  for (const plan of plans.leads) {
    add({
      entityType: 'lead',
      amocrmId: plan.amocrmId,
      version: plan.version,
      contactsCheckedAt: plan.contactsCheckedAt,
      knownToExist: plan.versioned,
    });
  }
  return [...requests.values()];
}

/** The lead's main contact in amoCRM (`_embedded.contacts` with `is_main`, else the first), null without any. */
export function mainContactOf(lead: Pick<AmoLead, '_embedded'>): number | null {
  const contacts = lead._embedded?.contacts ?? [];
  return (contacts.find((contact) => contact.is_main) ?? contacts[0])?.id ?? null;
}

export function describePlan(plan: ContactPlan | LeadPlan): JsonValue {
  return {
    key: plan.key,
    entity: plan.entity,
    action: plan.action,
    id: plan.amocrmId,
    version: plan.version,
    apply: plan.write.kind,
    ...(plan.echo ? { echo: true } : {}),
    ...(plan.fetched ? { fetched: plan.fetched } : {}),
    ...(plan.entity === 'lead' && plan.write.kind === 'full' && plan.write.link.mode === 'set'
      ? { contact: plan.write.link.contactAmocrmId }
      : {}),
  };
}

/**
 * Whether a plan is older than the version applied (then dropped), and whether its version is to be stored; the
 * version it leaves is set in `versions` (a later change of the same entity is checked against it).
 */
export function checkVersion(
  versions: Map<string, EntityVersion>,
  entity: VersionedEntity,
  plan: PlannedChange,
  contactsCheckedAt: Date | null,
): { stale: boolean; record: boolean } {
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
}

/** A write known to be a full one (`allNew` plans only have those). */
export function fullWrite<W extends { kind: string }>(write: W): Extract<W, { kind: 'full' }> {
  if (write.kind !== 'full') throw new Error('only full writes make new rows');
  return write as Extract<W, { kind: 'full' }>;
}

/** The mirror contact a lead's write links it to; `current` when the write keeps the link or names no known row. */
export function linkedContactId(
  write: LeadPlan['write'],
  contactIds: ReadonlyMap<number, string>,
  current: string | null,
): string | null {
  if (write.kind !== 'full' || write.link.mode === 'keep') return current;
  if (write.link.contactAmocrmId === null) return null;
  return contactIds.get(write.link.contactAmocrmId) ?? current;
}

export function byEntity(a: { amocrmId: number }, b: { amocrmId: number }): number {
  return a.amocrmId - b.amocrmId;
}

export function contactDataOf(row: ContactEntity): ContactData & { amocrmId: number } {
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

export function leadDataOf(row: LeadEntity): LeadData & { amocrmId: number } {
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

import type { AmoContact, AmoLead } from '../amocrm/client/amocrm-api.types';
import type { ContactEntity } from '../contacts/contact.entity';
import type { LeadEntity } from '../leads/lead.entity';
import type { EntityVersion } from './amocrm-entity-versions.repository';
import type { PayloadOld } from './mirror-changes';
import {
  mainContactOf,
  type ContactPlan,
  type LeadLink,
  type LeadPlan,
  type PlannedChange,
} from './mirror-plan';
import type { MirroredChange } from './webhook-delivery';
import {
  contactDataFromWebhook,
  contactPatchFromWebhook,
  leadDataFromWebhook,
  leadPatchFromWebhook,
  missingContactFields,
  missingLeadFields,
  mirrorContactData,
  mirrorLeadData,
  type MappingContext,
} from './webhook-mapping';

/**
 * Planning one webhook change of a contact or a lead (pure): from the payload and the mirror when they say
 * enough, else a read from amoCRM is asked for (with the reason) and the plan is finished with what it answered
 * (null: deleted in amoCRM). The service reads what all changes of a run ask for together
 * (`MissingEntityFetcher`).
 */

/** A lead without a contact in the mirror has its contacts read from the API at most this often. */
export const CONTACTS_RECHECK_MS = 3_600_000;

/** What planning knows of the mirror: rows and applied versions of the entities involved. */
export interface MirrorView {
  contacts: Map<number, ContactEntity>;
  leads: Map<number, LeadEntity>;
  contactVersions: Map<number, EntityVersion>;
  leadVersions: Map<number, EntityVersion>;
}

/** A plan made from what the run knows (null: nothing to do), or one that needs the entity read from amoCRM. */
export type PlanStep<P, E> =
  | { kind: 'ready'; plan: P | null }
  | { kind: 'fetch'; id: number; reason: string; finish: (fetched: E | null) => P };

export type ChangeBase = Omit<PlannedChange, 'existed'>;

export function planWebhookContact(
  change: MirroredChange,
  base: ChangeBase,
  view: MirrorView,
  mapping: MappingContext,
): PlanStep<ContactPlan, AmoContact> {
  const row = view.contacts.get(change.id) ?? null;
  const existed = row !== null;
  const common = { ...base, entity: 'contact' as const, existed };
  const links = (): string[] => unlinkedLeads(view, change.linkedLeadIds);
  if (change.action === 'delete')
    return { kind: 'ready', plan: { ...common, write: { kind: 'delete' }, linkLeadIds: [] } };
  const missing = missingContactFields(change);
  if (missing.length === 0) {
    const data = contactDataFromWebhook(change, mapping);
    return { kind: 'ready', plan: { ...common, write: { kind: 'full', data }, linkLeadIds: links() } };
  }
  if (change.action === 'responsible' && row) {
    const patch = contactPatchFromWebhook(change, mapping);
    return { kind: 'ready', plan: { ...common, write: { kind: 'patch', patch }, linkLeadIds: links() } };
  }
  if (base.echo) return { kind: 'ready', plan: null }; // our own write, and nothing in the payload to refresh with
  const reason = `the payload has no ${missing.join(', ')}: it may be partial`;
  return {
    kind: 'fetch',
    id: change.id,
    reason,
    finish: (fetched) => {
      if (!fetched || fetched.is_deleted === true)
        return { ...common, fetched: reason, write: { kind: 'delete' }, linkLeadIds: [] };
      return {
        ...common,
        fetched: reason,
        version: Math.max(base.version ?? 0, fetched.updated_at) || null,
        write: { kind: 'full', data: mirrorContactData(fetched, mapping) },
        linkLeadIds: links(),
      };
    },
  };
}

export function planWebhookLead(
  change: MirroredChange,
  base: ChangeBase,
  view: MirrorView,
  bodyLinks: Map<number, number>,
  mapping: MappingContext,
): PlanStep<LeadPlan, AmoLead> {
  const row = view.leads.get(change.id) ?? null;
  const existed = row !== null;
  const payloadOld: PayloadOld = {
    statusId: change.oldStatusId,
    pipelineId: change.oldPipelineId,
    responsibleUserId: change.oldResponsibleUserId,
  };
  const common = { ...base, entity: 'lead' as const, existed, payloadOld, contactsCheckedAt: null };
  if (change.action === 'delete') return { kind: 'ready', plan: { ...common, write: { kind: 'delete' } } };
  const missing = missingLeadFields(change);
  const partialMove = change.action === 'status' || change.action === 'responsible';
  if (missing.length > 0 && partialMove && row && (change.action !== 'status' || change.statusId !== null)) {
    const patch = leadPatchFromWebhook(change, row, mapping);
    return { kind: 'ready', plan: { ...common, write: { kind: 'patch', patch } } };
  }
  if (missing.length > 0 && base.echo) return { kind: 'ready', plan: null };

  let reason: string | null = null;
  if (missing.length > 0) reason = `the payload has no ${missing.join(', ')}: it may be partial`;
  else if (!base.echo && !row?.contactId && !bodyLinks.has(change.id)) {
    const checkedAt = view.leadVersions.get(change.id)?.contactsCheckedAt ?? null;
    if (!checkedAt || mapping.syncedAt.getTime() - checkedAt.getTime() > CONTACTS_RECHECK_MS)
      reason = 'the lead has no contact in the mirror and the payload does not name its contacts';
  }
  if (reason === null) {
    // a link the mirror has is kept (the body's contact is linked, not necessarily the main one)
    const hinted = bodyLinks.get(change.id);
    const link: LeadLink =
      !row?.contactId && hinted !== undefined ? { mode: 'set', contactAmocrmId: hinted } : { mode: 'keep' };
    const data = leadDataFromWebhook(change, row?.contactId ?? null, mapping);
    return { kind: 'ready', plan: { ...common, write: { kind: 'full', data, link } } };
  }
  const why = reason;
  return {
    kind: 'fetch',
    id: change.id,
    reason: why,
    finish: (fetched) => {
      if (!fetched || fetched.is_deleted === true)
        return { ...common, fetched: why, write: { kind: 'delete' } };
      return {
        ...common,
        fetched: why,
        version: Math.max(base.version ?? 0, fetched.updated_at) || null,
        contactsCheckedAt: mapping.syncedAt,
        write: {
          kind: 'full',
          data: mirrorLeadData(fetched, row?.contactId ?? null, mapping),
          link: { mode: 'set', contactAmocrmId: mainContactOf(fetched) },
        },
      };
    },
  };
}

/** What the steps ask amoCRM for. */
export function wantedBy<P, E>(steps: readonly PlanStep<P, E>[]): { id: number; reason: string }[] {
  return steps.flatMap((step) => (step.kind === 'fetch' ? [{ id: step.id, reason: step.reason }] : []));
}

/** The plans, in order, once what was asked for has been read (absent: deleted in amoCRM). */
export function finishPlans<P, E>(steps: readonly PlanStep<P, E>[], fetched: ReadonlyMap<number, E>): P[] {
  return steps.flatMap((step) => {
    if (step.kind === 'fetch') return [step.finish(fetched.get(step.id) ?? null)];
    return step.plan === null ? [] : [step.plan];
  });
}

/** Mirror leads (known rows) without a contact, among the amoCRM lead ids a contact is linked to. */
export function unlinkedLeads(view: MirrorView, amocrmLeadIds: readonly number[]): string[] {
  return amocrmLeadIds.flatMap((id) => {
    const lead = view.leads.get(id);
    return lead && lead.contactId === null ? [lead.id] : [];
  });
}

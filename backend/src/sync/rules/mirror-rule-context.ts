import type { ContactEntity } from '../../contacts/contact.entity';
import type { LeadEntity } from '../../leads/lead.entity';
import type { EngineWriteEvent, WriteOrigin } from '../engine-writes';
import { contactFieldValues, leadFieldValues, type MirrorFieldValues } from '../mirror-field-values';
import type { RuleEventContext } from './rule-evaluate';
import type { RuleValue } from './rule-values';

/** An engine write for a client app or an import, as the rules see it (from its inbox event). */
export interface MirrorWrite {
  origin: WriteOrigin;
  events: readonly EngineWriteEvent[];
  /** Changed fields of an update (`lead.price`…); empty for a create. */
  changedFields: readonly string[];
  /** The values before an update of the changed fields, when known. */
  old: MirrorFieldValues | null;
}

/** The mirror rows the rules read: the lead (for lead events) and its contact, or the contact alone. */
export interface MirrorSubject {
  lead: LeadEntity | null;
  contact: ContactEntity | null;
}

const isUpdate = (event: EngineWriteEvent) => event.endsWith('.updated') || event === 'lead.stage_changed';

/**
 * One rule context per domain event of the write (pure): the values of the lead and its contact as the mirror holds
 * them, by the rules catalog's names (`lead.*`, `contact.*`, `event.source`, `event.type`); for an update, the
 * changed fields and their values before it (`old.*`, `changed`, `changed_from`); a create has neither.
 */
export function mirrorWriteContexts(write: MirrorWrite, subject: MirrorSubject): RuleEventContext[] {
  const values = mirrorValues(subject);
  return write.events.flatMap((event): RuleEventContext[] => {
    if (event === 'call.finished') return [];
    const update = isUpdate(event);
    const old = update && write.old && Object.keys(write.old).length > 0 ? { ...write.old } : null;
    return [
      {
        source: write.origin,
        event,
        values: { ...values, 'event.source': write.origin, 'event.type': event },
        old,
        changedFields: update ? [...write.changedFields] : null,
      },
    ];
  });
}

/** The lead's and the contact's values by the rules' names (pure). */
export function mirrorValues(subject: MirrorSubject): Record<string, RuleValue> {
  return {
    ...(subject.lead ? leadFieldValues(subject.lead) : {}),
    ...(subject.contact ? contactFieldValues(subject.contact) : {}),
  };
}

/**
 * A finished call's context (`call.*`, see sync/call-results/call-rule-context.ts) with the values of the lead and
 * contact the call is linked to underneath: the call's own values win (its phone as `contact.phone`). Pure.
 */
export function callWithMirror(call: RuleEventContext, subject: MirrorSubject): RuleEventContext {
  return { ...call, values: { ...mirrorValues(subject), ...call.values } };
}

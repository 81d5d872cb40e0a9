import type { CountryCode } from 'libphonenumber-js/max';
import { normaliseAmocrmWebhook, parseAmocrmWebhookForm } from '../amocrm/webhooks';
import { amocrmChangeContext, amocrmEventsOf } from '../sync/rules/rule-context-amocrm';
import { lptrackerEventsOf, lptrackerLeadContext } from '../sync/rules/rule-context';
import type { RuleEventContext } from '../sync/rules/rule-evaluate';
import type { LptrackerLead } from '../lptracker/lptracker-lead.types';
import type { RuleTarget } from '../sync/rules/rule-requests';
import type { RuleEvent, RuleTrigger } from '../sync/rules/rule.types';
import { RECONCILE_ACTION } from '../lptracker-inbound/lptracker-delivery';
import { parseLead, rawLeadsOf, readDeliveryJson } from '../lptracker-inbound/lptracker-lead-payload';
import { parseReconcileBody } from '../amocrm-inbound/reconcile-delivery';
import { reconciledChange } from '../sync/rules/rule-context-amocrm';
import type { DryRunSource } from './rule-dryrun-input';

/** Where a stored event's body comes from: a source's webhook, or amoCRM reconciliation (`reconcile`). */
export type StoredSource = DryRunSource | 'amocrm-reconcile' | 'lptracker-reconcile';

/**
 * What a rule is tried on (pure): the leads of a stored LPTracker callback, the lead and contact changes of an
 * amoCRM webhook. Each subject answers the rule context for one of its domain events and the records its actions
 * would address (the LPTracker ↔ amoCRM link is filled in later, only for what is shown).
 */
export interface DryRunSubject {
  events: RuleEvent[];
  context(event: RuleEvent): RuleEventContext;
  target: RuleTarget;
  /** The LPTracker lead of a callback (what a mapping reads), else null. */
  lptrackerLead: LptrackerLead | null;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * The subjects of a delivery; throws when the body is not one this source sends. LPTracker leads are read as the
 * webhook's processing reads them (`parseLead`, no inbox key: nothing is stored). `phones: false` leaves the
 * contact's phones out (their normalisation is most of a backtest's cost) for a rule that reads no phone.
 */
export function subjectsOf(
  source: StoredSource,
  rawBody: Buffer,
  contentType: string,
  region: CountryCode,
  options: { phones?: boolean } = {},
): DryRunSubject[] {
  if (source === 'lptracker' || source === 'lptracker-reconcile')
    return rawLeadsOf(readDeliveryJson(rawBody, contentType)).map((raw) => {
      const action = source === 'lptracker-reconcile' ? RECONCILE_ACTION : null;
      const lead = parseLead(options.phones === false ? withoutPhones(raw) : raw, region, action);
      return {
        events: lptrackerEventsOf(lead),
        context: (event: RuleEvent) => lptrackerLeadContext(lead, event),
        target: {
          amocrmLeadId: null,
          amocrmContactId: null,
          lptrackerLeadId: lead.id,
          lptrackerContactId: lead.contact.id,
          lptrackerProjectId: lead.projectId,
          lptrackerLeadName: lead.name,
        },
        lptrackerLead: lead,
      };
    });
  const changes =
    source === 'amocrm-reconcile'
      ? reconciledChanges(rawBody)
      : normaliseAmocrmWebhook(parseAmocrmWebhookForm(rawBody)).changes;
  return changes.flatMap((change) => {
    const events = amocrmEventsOf(change);
    if (events.length === 0) return [];
    const lead = change.entity === 'lead';
    return [
      {
        events,
        context: (event: RuleEvent) => amocrmChangeContext(change, event),
        target: {
          amocrmLeadId: lead ? change.id : null,
          amocrmContactId: lead ? null : change.id,
          lptrackerLeadId: null,
          lptrackerContactId: null,
          lptrackerProjectId: null,
          lptrackerLeadName: null,
        },
        lptrackerLead: null,
      },
    ];
  });
}

/**
 * The entities an amoCRM reconciliation event read back, as the changes rules see (source `amocrm`). The mirror row
 * the live run compared with is not known any more: each is read as an update with no old values (a live run may
 * have seen it as created, or as a stage change).
 */
function reconciledChanges(rawBody: Buffer) {
  const body = parseReconcileBody(rawBody);
  const entity = body.entity === 'contacts' ? 'contact' : 'lead';
  return body.items.map((item) =>
    reconciledChange(entity, item, {
      statusId: 'status_id' in item ? item.status_id : null,
      pipelineId: 'pipeline_id' in item ? item.pipeline_id : null,
      responsibleUserId: item.responsible_user_id ?? null,
    }),
  );
}

/** A raw LPTracker lead without its contact's phone entries (`details` / `contacts` of type phone). */
function withoutPhones(raw: Record<string, unknown>): Record<string, unknown> {
  const contact = raw.contact;
  if (contact === null || typeof contact !== 'object' || Array.isArray(contact)) return raw;
  const entries = contact as Record<string, unknown>;
  const keep = (list: unknown) =>
    Array.isArray(list)
      ? list.filter(
          (entry) =>
            !(
              entry !== null &&
              typeof entry === 'object' &&
              String((entry as Record<string, unknown>).type).toLowerCase() === 'phone'
            ),
        )
      : list;
  return {
    ...raw,
    contact: { ...entries, details: keep(entries.details), contacts: keep(entries.contacts) },
  };
}

/** Whether a rule reads the contact's phones (its trigger or conditions name `contact.phone`). */
export function readsPhones(rule: { trigger: unknown; conditions: unknown }): boolean {
  return JSON.stringify([rule.trigger, rule.conditions]).includes('contact.phone');
}

/** The event a subject is explained as: the first of its events the trigger listens to, else its first. */
export function eventFor(subject: DryRunSubject, trigger: RuleTrigger): RuleEvent {
  return subject.events.find((event) => trigger.events.includes(event)) ?? subject.events[0];
}

/** A payload given as an object, as the body its source's webhook carries (amoCRM: form-encoded). */
export function payloadBody(
  source: DryRunSource,
  payload: Record<string, unknown> | string,
): { rawBody: Buffer; contentType: string } {
  if (typeof payload === 'string')
    return { rawBody: Buffer.from(payload), contentType: source === 'amocrm' ? FORM : 'application/json' };
  if (source === 'lptracker')
    return { rawBody: Buffer.from(JSON.stringify(payload)), contentType: 'application/json' };
  return { rawBody: Buffer.from(formEncode(payload)), contentType: FORM };
}

/** `{leads: {status: [{id: 1}]}}` → `leads[status][0][id]=1` (depth is capped by the body check). */
export function formEncode(payload: Record<string, unknown>): string {
  const parts: string[] = [];
  const stack: { key: string; value: unknown }[] = Object.entries(payload)
    .reverse()
    .map(([key, value]) => ({ key, value }));
  while (stack.length > 0) {
    const { key, value } = stack.pop()!;
    if (value === null || value === undefined) continue;
    if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>).reverse();
      for (const [sub, inner] of entries) stack.push({ key: `${key}[${sub}]`, value: inner });
    } else {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      parts.push(
        `${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(text)}`,
      );
    }
  }
  return parts.join('&');
}

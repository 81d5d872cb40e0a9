import {
  normaliseAmocrmWebhook,
  parseAmocrmWebhookForm,
  FormParseError,
  type AmocrmWebhookAction,
  type AmocrmWebhookChange,
  type AmocrmWebhookEntity,
  type NormalisedAmocrmWebhook,
} from '../amocrm/webhooks';
import type { JsonObject } from '../database/columns';
import { fingerprintOf } from '../inbox/idempotency-key';
import { amocrmKey } from './amocrm-idempotency-key';
import {
  InboxBadRequest,
  type AcceptedDelivery,
  type InboxDelivery,
  type InboxKey,
} from '../inbox/source-adapter';

/**
 * The hot path of amoCRM webhooks (pure, no I/O): the content type, the bounded form parser, one idempotency key
 * per entity change, the event type and the summary the events page lists and searches.
 */

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** The entity changes the mirror follows; everything else (companies, tasks, customers, notes) is filtered. */
export type MirroredEntity = 'contact' | 'lead';
export type MirroredAction = Exclude<AmocrmWebhookAction, 'note'>;
export type MirroredChange = AmocrmWebhookChange & { entity: MirroredEntity; action: MirroredAction };

const PLURAL: Readonly<Record<AmocrmWebhookEntity, string>> = {
  lead: 'leads',
  contact: 'contacts',
  company: 'companies',
  customer: 'customers',
  task: 'tasks',
};
const SUMMARY_IDS = 20;

/**
 * The most entity changes one webhook may carry. amoCRM sends a handful per request (one per entity changed, a
 * bulk action in the interface in parts of a few dozen); a body naming more is refused at intake (413, recorded
 * as a rejected delivery), so one request cannot make the worker read thousands of entities from the account.
 */
export const MAX_WEBHOOK_CHANGES = 500;

/** The amoCRM account a delivery names (`account[id]`, `account[subdomain]`), for the account check. */
export interface DeliveryAccount {
  id: number | null;
  subdomain: string | null;
}

/** Parses an amoCRM webhook body; a body the parser refuses (size, keys, depth, `__proto__`…) is a 400. */
export function parseWebhookBody(rawBody: Buffer): NormalisedAmocrmWebhook {
  try {
    return normaliseAmocrmWebhook(parseAmocrmWebhookForm(rawBody));
  } catch (error) {
    if (error instanceof FormParseError) throw new InboxBadRequest('malformed_body', error.message);
    throw error;
  }
}

/**
 * `accept` of the amoCRM source: form-encoded only (any charset parameter), parsed with the bounded parser,
 * and it must name its account (amoCRM always sends `account[id]` and `account[subdomain]`).
 */
export function acceptAmocrmWebhook(delivery: InboxDelivery): AcceptedDelivery {
  if (delivery.contentType !== FORM_CONTENT_TYPE) {
    throw new InboxBadRequest(
      'unsupported_content_type',
      `amoCRM webhooks are ${FORM_CONTENT_TYPE}, not ${delivery.contentType || 'a body without a content type'}`,
    );
  }
  const webhook = parseWebhookBody(delivery.rawBody);
  if (webhook.changes.length > MAX_WEBHOOK_CHANGES) {
    throw new InboxBadRequest(
      'too_many_changes',
      `the webhook has ${webhook.changes.length} entity changes; at most ${MAX_WEBHOOK_CHANGES} are accepted in one delivery`,
    );
  }
  if (webhook.account.id === null && webhook.account.subdomain === null) {
    throw new InboxBadRequest(
      'malformed_body',
      'the body names no amoCRM account (account[id], account[subdomain]): it is not an amoCRM webhook',
    );
  }
  const keys = uniqueKeys(webhook.changes.map(changeKey));
  return { eventType: eventTypeOf(webhook.changes), keys, summary: summaryOf(webhook) };
}

/** The account named by an accepted delivery's summary (set by `summaryOf`). */
export function deliveryAccount(summary: JsonObject): DeliveryAccount {
  const id = summary.accountId;
  const subdomain = summary.account;
  return {
    id: typeof id === 'number' ? id : null,
    subdomain: typeof subdomain === 'string' ? subdomain : null,
  };
}

/**
 * One key per entity change: entity, action, id, the entity's version (`updated_at`, else `last_modified`) and a
 * fingerprint of the item's fields. amoCRM re-sends exactly the same body when it retries a delivery, so a retry
 * is recognised; the next change of the entity has a newer version — or, within the same second (versions are
 * whole seconds), other content. Changes without a version (deletions) are told apart by their content alone.
 */
export function changeKey(change: AmocrmWebhookChange): InboxKey {
  const version = versionOf(change);
  const fingerprint = fingerprintOf(
    `${change.entity}|${change.action}|${change.id}|${JSON.stringify(change.fields)}`,
  );
  return amocrmKey({
    entity: PLURAL[change.entity],
    action: change.action,
    id: change.id,
    updatedAt: version === null ? null : `${version}~${fingerprint}`,
    fingerprint,
  });
}

/** The entity's version in amoCRM (unix seconds): `updated_at` when present, else the v2 `last_modified`. */
export function versionOf(change: AmocrmWebhookChange): number | null {
  const version = change.updatedAt ?? change.lastModified;
  return version !== null && version > 0 ? version : null;
}

export function isMirrored(change: AmocrmWebhookChange): change is MirroredChange {
  return (change.entity === 'lead' || change.entity === 'contact') && change.action !== 'note';
}

/** `leads.status`, `contacts.update`…; `mixed` when a body holds several kinds of change; `empty` when none. */
export function eventTypeOf(changes: readonly AmocrmWebhookChange[]): string {
  const types = new Set(changes.map((change) => `${PLURAL[change.entity]}.${change.action}`));
  if (types.size === 0) return 'empty';
  return types.size === 1 ? [...types][0] : 'mixed';
}

/** Names longer than this are cut in the summary. */
const SUMMARY_NAME_CHARS = 120;

/** Small and searchable: the account and the ids of the entities the body changes. */
export function summaryOf(webhook: NormalisedAmocrmWebhook): JsonObject {
  const idsOf = (entity: AmocrmWebhookEntity): number[] => [
    ...new Set(webhook.changes.filter((change) => change.entity === entity).map((change) => change.id)),
  ];
  const leads = idsOf('lead');
  const contacts = idsOf('contact');
  const others = webhook.changes.filter(
    (change) => change.entity !== 'lead' && change.entity !== 'contact',
  ).length;
  // the name of the first deal or contact, for the events list (the console shows it beside the ids)
  const named = webhook.changes.find(
    (change) => (change.entity === 'lead' || change.entity === 'contact') && change.name,
  );
  return {
    account: webhook.account.subdomain,
    accountId: webhook.account.id,
    changes: webhook.changes.length,
    ...(leads.length > 0 ? { leads: leads.slice(0, SUMMARY_IDS) } : {}),
    ...(contacts.length > 0 ? { contacts: contacts.slice(0, SUMMARY_IDS) } : {}),
    ...(others > 0 ? { others } : {}),
    ...(named?.name ? { name: named.name.slice(0, SUMMARY_NAME_CHARS) } : {}),
  };
}

function uniqueKeys(keys: InboxKey[]): InboxKey[] {
  const seen = new Set<string>();
  return keys.filter((key) => {
    if (seen.has(key.key)) return false;
    seen.add(key.key);
    return true;
  });
}

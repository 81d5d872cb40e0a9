import type { AmoContact, AmoLead } from '../amocrm/client/amocrm-api.types';
import type { JsonObject } from '../database/columns';
import { fingerprintOf } from '../inbox/idempotency-key';
import { amocrmKey } from './amocrm-idempotency-key';
import {
  InboxBadRequest,
  type AcceptedDelivery,
  type InboxDelivery,
  type InboxKey,
} from '../inbox/source-adapter';
import { isPrototypeKey } from '../http/prototype-keys';

/**
 * What reconciliation feeds to the inbox (source `reconcile`): one JSON delivery per changed entity, holding the
 * entity exactly as the API listed it (v4 shape) and the account it was read from. Its key is the entity and
 * its version (`updated_at`), so a later pass that lists the same version again (the watermark overlaps) is a
 * duplicate; a version a webhook already brought is not fed at all (see `ReconcileService`).
 */

export type ReconciledEntity = 'contacts' | 'leads';
export const JSON_CONTENT_TYPE = 'application/json';
const MAX_ITEMS = 250;

export interface ReconcileBody {
  account: { id: number; subdomain: string };
  entity: ReconciledEntity;
  items: (AmoContact | AmoLead)[];
}

export function reconcileBody(body: ReconcileBody): string {
  return JSON.stringify({
    account: body.account,
    entity: body.entity,
    items: body.items.map(({ _links: _dropped, ...item }) => item),
  });
}

/**
 * The entity, its version and a fingerprint of what the mirror keeps of it (versions are whole seconds: two
 * changes within one second differ in content).
 */
export function reconcileKey(entity: ReconciledEntity, item: AmoContact | AmoLead): InboxKey {
  const lead = item as Partial<AmoLead>;
  const kept = {
    name: item.name,
    price: lead.price ?? null,
    status: lead.status_id ?? null,
    pipeline: lead.pipeline_id ?? null,
    responsible: item.responsible_user_id ?? null,
    deleted: item.is_deleted === true,
    fields: item.custom_fields_values ?? null,
    tags: (item._embedded?.tags ?? []).map((tag) => tag.name),
    contacts: (lead._embedded?.contacts ?? []).map((contact) => [contact.id, contact.is_main === true]),
    leads: ((item as AmoContact)._embedded?.leads ?? []).map((linked) => linked.id),
  };
  return amocrmKey({
    entity,
    action: 'reconcile',
    id: item.id,
    updatedAt: `${item.updated_at}~${fingerprintOf(JSON.stringify(kept))}`,
  });
}

/** Parses and checks a reconciliation delivery; anything else is a 400 (nothing stored). */
export function parseReconcileBody(rawBody: Buffer): ReconcileBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'), (key, value: unknown) => {
      if (isPrototypeKey(key)) throw new InboxBadRequest('malformed_body', `the key "${key}" is not allowed`);
      return value;
    });
  } catch (error) {
    if (error instanceof InboxBadRequest) throw error;
    throw new InboxBadRequest('malformed_body', 'the body is not valid JSON');
  }
  const body = parsed as Partial<ReconcileBody> | null;
  const account = body?.account;
  if (
    !body ||
    typeof body !== 'object' ||
    (body.entity !== 'contacts' && body.entity !== 'leads') ||
    !account ||
    !isId(account.id) ||
    typeof account.subdomain !== 'string' ||
    !Array.isArray(body.items) ||
    body.items.length === 0 ||
    body.items.length > MAX_ITEMS
  ) {
    throw new InboxBadRequest(
      'malformed_body',
      'a reconciliation delivery is {account:{id, subdomain}, entity: contacts|leads, items:[1-250 entities]}',
    );
  }
  for (const item of body.items as unknown[]) {
    const entity = item as Partial<AmoLead> | null;
    const valid =
      !!entity &&
      typeof entity === 'object' &&
      isId(entity.id) &&
      isId(entity.updated_at) &&
      typeof entity.name === 'string' &&
      (body.entity === 'contacts' || (isId(entity.status_id) && isId(entity.pipeline_id)));
    if (!valid) {
      throw new InboxBadRequest(
        'malformed_body',
        `every ${body.entity === 'contacts' ? 'contact' : 'lead'} needs id, updated_at and name${body.entity === 'leads' ? ', status_id and pipeline_id' : ''}`,
      );
    }
  }
  return body as ReconcileBody;
}

export function acceptReconcileDelivery(delivery: InboxDelivery): AcceptedDelivery {
  if (delivery.contentType !== JSON_CONTENT_TYPE)
    throw new InboxBadRequest(
      'unsupported_content_type',
      `reconciliation deliveries are ${JSON_CONTENT_TYPE}`,
    );
  const body = parseReconcileBody(delivery.rawBody);
  const ids = body.items.map((item) => item.id);
  const summary: JsonObject = {
    account: body.account.subdomain,
    accountId: body.account.id,
    changes: body.items.length,
    [body.entity]: ids.slice(0, 20),
  };
  return {
    eventType: `${body.entity}.reconcile`,
    keys: body.items.map((item) => reconcileKey(body.entity, item)),
    summary,
  };
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

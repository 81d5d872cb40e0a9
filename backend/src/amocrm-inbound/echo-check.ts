import type { AmoContact, AmoLead } from '../amocrm/client/amocrm-api.types';
import type { AmocrmWebhookChange } from '../amocrm/webhooks';
import { echoFieldsOfWebhookChange, echoFieldsOfWrite } from '../sync/echo-fingerprint';
import type { ObservedState } from '../sync/echo-guard.service';

/**
 * What the echo guard compares with the writes we made (`EchoGuardService.isEcho`): every field the change
 * carries and the entity's version. A change that describes exactly one of our writes of the last few minutes —
 * every field we wrote has the value we wrote, at the version our write produced — is our own write coming back.
 */

/** A webhook change as the echo guard observes it (`updated_at`, else the v2 `last_modified`). */
export function observedWebhookChange(change: AmocrmWebhookChange): ObservedState {
  return {
    updatedAt: change.updatedAt ?? change.lastModified,
    fields: echoFieldsOfWebhookChange(change),
  };
}

/** An entity read from the API (reconciliation, or a fetch) as the echo guard observes it. */
export function observedEntity(entity: AmoContact | AmoLead): ObservedState {
  const lead = 'status_id' in entity ? entity : null;
  return {
    updatedAt: entity.updated_at,
    fields: echoFieldsOfWrite({
      name: entity.name,
      ...(lead ? { price: lead.price, status_id: lead.status_id, pipeline_id: lead.pipeline_id } : {}),
      responsible_user_id: entity.responsible_user_id,
      custom_fields_values: entity.custom_fields_values ?? [],
      tags: (entity._embedded?.tags ?? []).map((tag) => ({ name: tag.name })),
    }),
  };
}

/** Whether a change is worth asking the echo guard about: deletions and restores are never our writes. */
export function echoCandidate(action: string): boolean {
  return action !== 'delete' && action !== 'restore';
}

import { Injectable } from '@nestjs/common';
import type { JsonValue } from '../database/columns';
import type {
  AcceptedDelivery,
  InboxDelivery,
  InboxEventView,
  ProcessingContext,
  ProcessingOutcome,
} from '../inbox/source-adapter';
import { AMOCRM_WEBHOOK_SOURCE } from './amocrm-inbound.constants';
import { AmocrmSourceAdapter } from './amocrm-source.adapter';
import { acceptAmocrmWebhook, changeKey, parseWebhookBody, versionOf } from './webhook-delivery';

/**
 * The inbox source `amocrm`: amoCRM's form-encoded webhooks. Accepting is pure (content type, bounded parse,
 * one key per entity change); the account check and the processing are the service's.
 */
@Injectable()
export class AmocrmWebhookAdapter extends AmocrmSourceAdapter {
  readonly source = AMOCRM_WEBHOOK_SOURCE;

  accept(delivery: InboxDelivery): AcceptedDelivery {
    return acceptAmocrmWebhook(delivery);
  }

  process(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome> {
    return this.inbound.processWebhook(event, context);
  }

  describe(event: InboxEventView): JsonValue {
    const webhook = parseWebhookBody(event.rawBody);
    return webhook.changes.map((change) => ({
      key: changeKey(change).key,
      entity: change.entity,
      action: change.action,
      id: change.id,
      version: versionOf(change),
      ...(change.name !== null ? { name: change.name } : {}),
      ...(change.statusId !== null ? { statusId: change.statusId } : {}),
      ...(change.oldStatusId !== null ? { oldStatusId: change.oldStatusId } : {}),
      ...(change.pipelineId !== null ? { pipelineId: change.pipelineId } : {}),
      ...(change.responsibleUserId !== null ? { responsibleUserId: change.responsibleUserId } : {}),
    }));
  }
}

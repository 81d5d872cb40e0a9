import { Injectable } from '@nestjs/common';
import type { JsonValue } from '../database/columns';
import type {
  AcceptedDelivery,
  InboxDelivery,
  InboxEventView,
  InboxSourceAdapter,
  InboxVerdict,
  ProcessingContext,
  ProcessingOutcome,
} from '../inbox/source-adapter';
import { AMOCRM_WEBHOOK_SOURCE } from './amocrm-inbound.constants';
import { AmocrmInboundService } from './amocrm-inbound.service';
import { acceptAmocrmWebhook, changeKey, parseWebhookBody, versionOf } from './webhook-delivery';

/**
 * The inbox source `amocrm`: amoCRM's form-encoded webhooks. Accepting is pure (content type, bounded parse,
 * one key per entity change); the account check and the processing are the service's.
 */
@Injectable()
export class AmocrmWebhookAdapter implements InboxSourceAdapter {
  readonly source = AMOCRM_WEBHOOK_SOURCE;

  constructor(private readonly inbound: AmocrmInboundService) {}

  accept(delivery: InboxDelivery): AcceptedDelivery {
    return acceptAmocrmWebhook(delivery);
  }

  verify(delivery: InboxDelivery, accepted: AcceptedDelivery): Promise<InboxVerdict> {
    return this.inbound.verifyAccount(delivery.workspaceId, accepted.summary);
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

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
import { AmocrmInboundService } from './amocrm-inbound.service';

/**
 * What the inbox sources of amoCRM changes (webhooks, reconciliation) share: the delivery must name the
 * workspace's connected account, and the service applies the changes. Each source has its own body format.
 */
@Injectable()
export abstract class AmocrmSourceAdapter implements InboxSourceAdapter {
  abstract readonly source: string;

  constructor(protected readonly inbound: AmocrmInboundService) {}

  abstract accept(delivery: InboxDelivery): AcceptedDelivery;
  abstract process(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome>;
  abstract describe(event: InboxEventView): JsonValue;

  verify(delivery: InboxDelivery, accepted: AcceptedDelivery): Promise<InboxVerdict> {
    return this.inbound.verifyAccount(delivery.workspaceId, accepted.summary);
  }
}

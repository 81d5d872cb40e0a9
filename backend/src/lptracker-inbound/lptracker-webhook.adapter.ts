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
import { acceptedOf, describeLead } from './lptracker-delivery';
import { LPTRACKER_WEBHOOK_SOURCE } from './lptracker-inbound.constants';
import { LptrackerInboundService } from './lptracker-inbound.service';

/**
 * The inbox source `lptracker`: LPTracker's callbacks (form field `data` holding the lead as JSON, or a raw JSON
 * body). Accepting is pure; the project named must be enabled in the workspace (403 and a rejection otherwise).
 */
@Injectable()
export class LptrackerWebhookAdapter implements InboxSourceAdapter {
  readonly source = LPTRACKER_WEBHOOK_SOURCE;

  constructor(private readonly inbound: LptrackerInboundService) {}

  accept(delivery: InboxDelivery): AcceptedDelivery {
    return acceptedOf(this.inbound.parse(delivery.rawBody, delivery.contentType, 'webhook'));
  }

  verify(delivery: InboxDelivery, accepted: AcceptedDelivery): Promise<InboxVerdict> {
    return this.inbound.verify(delivery, accepted.summary);
  }

  process(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome> {
    return this.inbound.process(event, context, 'webhook');
  }

  describe(event: InboxEventView): JsonValue {
    return this.inbound
      .parse(event.rawBody, event.contentType, 'webhook')
      .leads.map(({ lead, key }) => describeLead(lead, key));
  }
}

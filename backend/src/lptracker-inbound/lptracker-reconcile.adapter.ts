import { Injectable } from '@nestjs/common';
import type { JsonValue } from '../database/columns';
import type {
  AcceptedDelivery,
  InboxDelivery,
  InboxEventView,
  InboxSourceAdapter,
  ProcessingContext,
  ProcessingOutcome,
} from '../inbox/source-adapter';
import { acceptedOf, describeLead } from './lptracker-delivery';
import { LPTRACKER_RECONCILE_SOURCE } from './lptracker-inbound.constants';
import { LptrackerInboundService } from './lptracker-inbound.service';

/**
 * The inbox source `lptracker-reconcile`: pages of leads that reconciliation read from LPTracker (JSON
 * `{leads: [...]}`, fed through the intake with a secret of its own), stored and processed like callbacks.
 */
@Injectable()
export class LptrackerReconcileAdapter implements InboxSourceAdapter {
  readonly source = LPTRACKER_RECONCILE_SOURCE;

  constructor(private readonly inbound: LptrackerInboundService) {}

  accept(delivery: InboxDelivery): AcceptedDelivery {
    return acceptedOf(this.inbound.parse(delivery.rawBody, delivery.contentType, 'reconcile'));
  }

  process(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome> {
    return this.inbound.process(event, context, 'reconcile');
  }

  describe(event: InboxEventView): JsonValue {
    return this.inbound
      .parse(event.rawBody, event.contentType, 'reconcile')
      .leads.map(({ lead, key }) => describeLead(lead, key));
  }
}

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
import { RECONCILE_SOURCE } from './amocrm-inbound.constants';
import { AmocrmInboundService } from './amocrm-inbound.service';
import { acceptReconcileDelivery, parseReconcileBody, reconcileKey } from './reconcile-delivery';

/**
 * The inbox source `reconcile`: contacts and leads that reconciliation found changed in amoCRM, fed through the
 * inbox so they are stored, shown and processed like webhooks (same mirror writes, echo guard, domain events).
 */
@Injectable()
export class ReconcileAdapter implements InboxSourceAdapter {
  readonly source = RECONCILE_SOURCE;

  constructor(private readonly inbound: AmocrmInboundService) {}

  accept(delivery: InboxDelivery): AcceptedDelivery {
    return acceptReconcileDelivery(delivery);
  }

  verify(delivery: InboxDelivery, accepted: AcceptedDelivery): Promise<InboxVerdict> {
    return this.inbound.verifyAccount(delivery.workspaceId, accepted.summary);
  }

  process(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome> {
    return this.inbound.processReconcile(event, context);
  }

  describe(event: InboxEventView): JsonValue {
    const body = parseReconcileBody(event.rawBody);
    return body.items.map((item) => ({
      key: reconcileKey(body.entity, item).key,
      entity: body.entity,
      id: item.id,
      version: item.updated_at,
      name: item.name,
    }));
  }
}

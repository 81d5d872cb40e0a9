import { Injectable } from '@nestjs/common';
import type { JsonValue } from '../database/columns';
import type {
  AcceptedDelivery,
  InboxDelivery,
  InboxEventView,
  ProcessingContext,
  ProcessingOutcome,
} from '../inbox/source-adapter';
import { RECONCILE_SOURCE } from './amocrm-inbound.constants';
import { AmocrmSourceAdapter } from './amocrm-source.adapter';
import { acceptReconcileDelivery, parseReconcileBody, reconcileKey } from './reconcile-delivery';

/**
 * The inbox source `reconcile`: contacts and leads that reconciliation found changed in amoCRM, fed through the
 * inbox so they are stored, shown and processed like webhooks (same mirror writes, echo guard, domain events).
 */
@Injectable()
export class ReconcileAdapter extends AmocrmSourceAdapter {
  readonly source = RECONCILE_SOURCE;

  accept(delivery: InboxDelivery): AcceptedDelivery {
    return acceptReconcileDelivery(delivery);
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

import type { JsonValue } from '../database/columns';
import type {
  AcceptedDelivery,
  InboxDelivery,
  InboxEventView,
  InboxSourceAdapter,
  ProcessingContext,
  ProcessingOutcome,
} from '../inbox/source-adapter';
import type { WriteOrigin } from '../sync/engine-writes';
import { acceptEngineWrite, engineWriteKey, parseEngineWriteBody } from './engine-write-delivery';

/** What processes an engine write's event (EngineInboundService). */
export interface EngineWriteProcessor {
  process(event: InboxEventView, context: ProcessingContext, origin: WriteOrigin): Promise<ProcessingOutcome>;
}

/**
 * The inbox source of one origin of the engine's own writes (`api`: the client REST API, `import`: imports): one
 * JSON notice per write, recorded by EngineInboundService and processed by it (the rules of that source).
 */
export class EngineWriteAdapter implements InboxSourceAdapter {
  constructor(
    readonly source: WriteOrigin,
    private readonly processor: EngineWriteProcessor,
  ) {}

  accept(delivery: InboxDelivery): AcceptedDelivery {
    return acceptEngineWrite(delivery, this.source);
  }

  process(event: InboxEventView, context: ProcessingContext): Promise<ProcessingOutcome> {
    return this.processor.process(event, context, this.source);
  }

  describe(event: InboxEventView): JsonValue {
    const body = parseEngineWriteBody(event.rawBody, this.source);
    return [
      {
        key: engineWriteKey(body).key,
        entity: body.entity,
        id: body.id,
        amocrmId: body.amocrmId,
        events: body.events,
        changedFields: body.changedFields,
        occurredAt: body.occurredAt,
      },
    ];
  }
}

import { AmocrmValidationError } from '../amocrm/amocrm.problems';
import { MicroBatcher, type FailedItemOutcome } from '../batching/micro-batcher';
import { LockLostProblem } from './sync.problems';

/** Tells the queue whether the caller may still write (its lock is still held). */
export interface WriteFence {
  readonly lost: boolean;
}

export interface WriteQueueOptions {
  /** Most entities in one request (amoCRM: 50). */
  maxBatch: number;
  /** How often an entity is sent again after another entity of its batch was refused (default 2). */
  maxResends?: number;
  /** A request of fewer than `maxBatch` entities waits this long for more (bulk lanes; default 0). */
  lingerMs?: number;
}

interface Pending<I> {
  input: I;
  fence?: WriteFence;
}

/**
 * Group commit of amoCRM writes of one kind for one account: callers submit single entities; at most one
 * request is in flight, and every entity submitted while it waits (for the shared rate limiter, mostly) goes
 * in the next request, up to `maxBatch`. An idle queue sends a lone entity at once (same event-loop turn
 * arrivals join it), a busy one sends full batches, so concurrent find-or-creates cost one write request per
 * 50 new entities instead of one each.
 *
 * - Each entity gets a `request_id` (its index in the request); `send` answers results in input order.
 * - amoCRM refuses a whole request when one entity is invalid: the entities its `validation-errors` name get
 *   that error; the others are sent again in the next request (at most `maxResends` times).
 * - Fencing: an entity whose caller lost its lock while waiting is not sent (LockLostProblem).
 * - Any other error (unavailable, paused…) fails every entity of the request: none of them is known written.
 *
 * The batching itself is the service's one MicroBatcher (one flush at a time); what is amoCRM's here is the
 * request ids, the fencing and the sorting of a refused request.
 */
export class AmocrmWriteQueue<I extends object, R> {
  private readonly batcher: MicroBatcher<Pending<I>, R>;

  constructor(
    send: (inputs: (I & { request_id: string })[]) => Promise<R[]>,
    options: WriteQueueOptions,
    /** Called when the queue has nothing waiting or running (the owner may drop it). */
    onIdle: () => void = () => undefined,
  ) {
    this.batcher = new MicroBatcher<Pending<I>, R>(
      (batch) => send(batch.map((entry, index) => ({ ...entry.input, request_id: String(index) }))),
      {
        maxItems: options.maxBatch,
        maxBytes: options.maxBatch,
        maxConcurrent: 1,
        refuse: (entry) => (entry.fence?.lost ? new LockLostProblem() : undefined),
        afterFailure: (error, batch) => sortRefusal(error, batch.length),
        maxRetries: options.maxResends ?? 2,
        lingerMs: options.lingerMs,
        onIdle,
      },
    );
  }

  submit(input: I, fence?: WriteFence): Promise<R> {
    return this.batcher.submit({ input, fence });
  }

  get idle(): boolean {
    return this.batcher.idle;
  }
}

/**
 * A request amoCRM refused for validation errors that name some of its entities: those fail with their own
 * issues (renumbered to request_id 0: the caller sent one entity), the others are sent again. Anything else
 * (another error, issues naming no entity of the request, earlier parts already written) fails them all.
 */
function sortRefusal(error: unknown, size: number): FailedItemOutcome[] | undefined {
  if (!(error instanceof AmocrmValidationError) || error.completed.length > 0) return undefined;
  const named = new Map<number, AmocrmValidationError['issues']>();
  for (const issue of error.issues) {
    const index = /^\d+$/.test(issue.requestId) ? Number(issue.requestId) : -1;
    if (index < 0 || index >= size) return undefined;
    named.set(index, [...(named.get(index) ?? []), issue]);
  }
  if (named.size === 0) return undefined;
  return Array.from({ length: size }, (_, index) => {
    const issues = named.get(index);
    return issues
      ? { fail: new AmocrmValidationError(issues.map((issue) => ({ ...issue, requestId: '0' }))) }
      : { retry: error };
  });
}

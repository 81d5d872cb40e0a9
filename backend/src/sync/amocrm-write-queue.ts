import { AmocrmValidationError } from '../amocrm/amocrm.problems';
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
}

interface Pending<I, R> {
  input: I;
  fence?: WriteFence;
  resends: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
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
 */
export class AmocrmWriteQueue<I extends object, R> {
  private readonly waiting: Pending<I, R>[] = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly send: (inputs: (I & { request_id: string })[]) => Promise<R[]>,
    private readonly options: WriteQueueOptions,
    /** Called when the queue has nothing waiting or running (the owner may drop it). */
    private readonly onIdle: () => void = () => undefined,
  ) {}

  submit(input: I, fence?: WriteFence): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ input, fence, resends: 0, resolve, reject });
      this.kick();
    });
  }

  get idle(): boolean {
    return !this.running && !this.scheduled && this.waiting.length === 0;
  }

  private kick(): void {
    if (this.running || this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.running) return;
    const batch: Pending<I, R>[] = [];
    while (batch.length < this.options.maxBatch && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      if (entry.fence?.lost) entry.reject(new LockLostProblem());
      else batch.push(entry);
    }
    if (batch.length === 0) {
      this.finish();
      return;
    }
    this.running = true;
    try {
      const results = await this.send(
        batch.map((entry, index) => ({ ...entry.input, request_id: String(index) })),
      );
      if (results.length !== batch.length)
        throw new Error(`amoCRM answered ${results.length} results for ${batch.length} entities`);
      batch.forEach((entry, index) => entry.resolve(results[index]));
    } catch (error) {
      this.fail(batch, error);
    } finally {
      this.running = false;
      this.finish();
    }
  }

  private fail(batch: Pending<I, R>[], error: unknown): void {
    if (!(error instanceof AmocrmValidationError)) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    const named = new Map<number, AmocrmValidationError['issues']>();
    let unplaced = false;
    for (const issue of error.issues) {
      const index = /^\d+$/.test(issue.requestId) ? Number(issue.requestId) : -1;
      if (index < 0 || index >= batch.length) unplaced = true;
      else named.set(index, [...(named.get(index) ?? []), issue]);
    }
    if (unplaced || named.size === 0 || error.completed.length > 0) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    const resend: Pending<I, R>[] = [];
    batch.forEach((entry, index) => {
      const issues = named.get(index);
      if (issues)
        entry.reject(new AmocrmValidationError(issues.map((issue) => ({ ...issue, requestId: '0' }))));
      else if (entry.resends >= (this.options.maxResends ?? 2)) entry.reject(error);
      else resend.push({ ...entry, resends: entry.resends + 1 });
    });
    this.waiting.unshift(...resend);
  }

  private finish(): void {
    if (this.waiting.length > 0) this.kick();
    else if (this.idle) this.onIdle();
  }
}

/** How one item of a failed flush ends: it fails with `error`, or waits for the next flush (at the front). */
export type FailedItemOutcome = { fail: unknown } | { retry: unknown };

export interface MicroBatcherOptions<I = never> {
  /** Most items written in one flush. */
  maxItems: number;
  /** Most bytes (as `weigh` counts them) in one flush; a single larger item still goes alone. */
  maxBytes: number;
  /** Flushes running at the same time; items arriving meanwhile wait and go together in the next one. */
  maxConcurrent: number;
  /** Checked when an item is about to join a flush: an error answered here fails it without flushing it. */
  refuse?: (item: I) => unknown;
  /**
   * When a flush throws: how each of its items ends, in order (default: each fails with the flush's error).
   * An item sent again `maxRetries` times (default 2) fails with its retry's error instead.
   */
  afterFailure?: (error: unknown, items: readonly I[]) => readonly FailedItemOutcome[] | undefined;
  maxRetries?: number;
  /** Called whenever the batcher has nothing waiting or running (its owner may drop it then). */
  onIdle?: () => void;
  /**
   * Bulk writers whose items keep coming (an import's rows): a batch smaller than `maxItems` waits until it is full
   * or its oldest item has waited this long (default 0: flush at once). Fewer, fuller flushes for the same items.
   */
  lingerMs?: number;
}

interface Waiting<I, O> {
  item: I;
  /** When it was submitted (ms). */
  at: number;
  retries: number;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: concurrent callers submit single items, which are collected while earlier flushes run and
 * written together (one multi-row INSERT, one pipeline, one amoCRM batch request), without a timer: an idle
 * system flushes each item at once (items submitted in the same turn of the event loop join it), a busy one in
 * larger batches. Every caller gets its own result or its flush's error; a flush answers one result per item,
 * in order. Used by the inbox's hot path and by the engine's amoCRM writes (AmocrmWriteQueue).
 */
export class MicroBatcher<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private running = 0;
  private scheduled = false;
  private lingering: NodeJS.Timeout | undefined;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions<I>,
    private readonly weigh: (item: I) => number = () => 1,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, at: Date.now(), retries: 0, resolve, reject });
      this.kick();
    });
  }

  /** Items waiting for a flush slot. */
  get backlog(): number {
    return this.waiting.length;
  }

  /** Nothing waiting, scheduled or running. */
  get idle(): boolean {
    return this.running === 0 && !this.scheduled && this.waiting.length === 0 && !this.lingering;
  }

  private kick(): void {
    if (this.scheduled || this.running >= this.options.maxConcurrent || this.waiting.length === 0) return;
    const linger = this.options.lingerMs ?? 0;
    if (linger > 0) {
      const wait = this.waiting.length < this.options.maxItems ? this.waiting[0].at + linger - Date.now() : 0;
      if (wait > 0) {
        this.lingering ??= setTimeout(() => {
          this.lingering = undefined;
          this.kick();
        }, wait);
        return;
      }
      if (this.lingering) clearTimeout(this.lingering);
      this.lingering = undefined;
    }
    this.scheduled = true;
    // let the requests parsed in this turn of the event loop join the batch
    setImmediate(() => {
      this.scheduled = false;
      this.run();
    });
  }

  private run(): void {
    if (this.running >= this.options.maxConcurrent || this.waiting.length === 0) return;
    const batch = this.take();
    if (batch.length === 0) {
      this.settled();
      return;
    }
    this.running++;
    void this.write(batch);
    this.kick();
  }

  private async write(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.flush(batch.map((entry) => entry.item));
      if (results.length !== batch.length)
        throw new Error(`a flush must answer one result per item (${results.length} for ${batch.length})`);
      batch.forEach((entry, index) => entry.resolve(results[index]));
    } catch (error) {
      this.failed(batch, error);
    } finally {
      this.running--;
      this.settled();
    }
  }

  /** The next batch from the front of the queue, within the item and byte limits, leaving out refused items. */
  private take(): Waiting<I, O>[] {
    const batch: Waiting<I, O>[] = [];
    let bytes = 0;
    let taken = 0;
    for (; taken < this.waiting.length && batch.length < this.options.maxItems; taken++) {
      const next = this.waiting[taken];
      const refusal = this.options.refuse?.(next.item);
      if (refusal !== undefined) {
        next.reject(refusal);
        continue;
      }
      const weight = this.weigh(next.item);
      if (batch.length > 0 && bytes + weight > this.options.maxBytes) break;
      bytes += weight;
      batch.push(next);
    }
    this.waiting.splice(0, taken);
    return batch;
  }

  private failed(batch: Waiting<I, O>[], error: unknown): void {
    let outcomes: readonly FailedItemOutcome[] | undefined;
    try {
      outcomes = this.options.afterFailure?.(
        error,
        batch.map((entry) => entry.item),
      );
    } catch {
      outcomes = undefined;
    }
    if (!outcomes || outcomes.length !== batch.length) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    const again: Waiting<I, O>[] = [];
    batch.forEach((entry, index) => {
      const outcome = outcomes[index];
      if ('fail' in outcome) entry.reject(outcome.fail);
      else if (entry.retries >= (this.options.maxRetries ?? 2)) entry.reject(outcome.retry);
      else again.push({ ...entry, retries: entry.retries + 1 });
    });
    this.waiting.unshift(...again);
  }

  private settled(): void {
    if (this.waiting.length > 0) this.kick();
    else if (this.idle) this.options.onIdle?.();
  }
}

export interface MicroBatcherOptions {
  /** Most items written in one flush. */
  maxItems: number;
  /** Most bytes (as `weigh` counts them) in one flush; a single larger item still goes alone. */
  maxBytes: number;
  /** Flushes running at the same time; items arriving meanwhile wait and go together in the next one. */
  maxConcurrent: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the hot path: concurrent callers are collected while earlier flushes run and written
 * together (one multi-row INSERT, one pipeline), without a timer: an idle system flushes each item at once,
 * a busy one in larger batches. Every caller gets its own result or the flush's error.
 */
export class MicroBatcher<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions,
    private readonly weigh: (item: I) => number = () => 1,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.kick();
    });
  }

  /** Items waiting for a flush slot. */
  get backlog(): number {
    return this.waiting.length;
  }

  private kick(): void {
    if (this.scheduled || this.running >= this.options.maxConcurrent || this.waiting.length === 0) return;
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
    this.running++;
    Promise.resolve()
      .then(() => this.flush(batch.map((entry) => entry.item)))
      .then(
        (results) => {
          if (results.length !== batch.length) throw new Error('a flush must return one result per item');
          batch.forEach((entry, index) => entry.resolve(results[index]));
        },
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      )
      .catch((error: unknown) => batch.forEach((entry) => entry.reject(error)))
      .finally(() => {
        this.running--;
        this.kick();
      });
    this.kick();
  }

  private take(): Waiting<I, O>[] {
    let bytes = 0;
    let count = 0;
    while (count < this.waiting.length && count < this.options.maxItems) {
      const weight = this.weigh(this.waiting[count].item);
      if (count > 0 && bytes + weight > this.options.maxBytes) break;
      bytes += weight;
      count++;
    }
    return this.waiting.splice(0, count);
  }
}

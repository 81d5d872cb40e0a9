export interface WorkerPaceOptions {
  /** Webhooks accepted per second (all api processes) from which the worker slows down; 0: never. */
  yieldAbove: number;
  /** Event runs per second this worker process still starts while it slows down (at least 1). */
  yieldRate: number;
  /** Longest stretch of slowing down: past it the worker goes at full speed until the intake calms. */
  maxYieldMs: number;
  /** How often the runs waiting are let through while slowing down (a share of `yieldRate` each time). */
  tickMs: number;
}

/**
 * The worker yields to the intake (#16 §2): while the api processes accept webhooks faster than `yieldAbove`
 * per second, this worker starts at most `yieldRate` event runs per second (let through in groups every
 * `tickMs`, so that their claims and commits still go together), and at full speed again as soon as the rate
 * falls below it. The inbox keeps what waits; a burst longer than `maxYieldMs` is a load the worker must keep up
 * with, so it stops yielding until the intake has calmed once.
 */
export class WorkerPace {
  private readonly waiting: (() => void)[] = [];
  private yieldingSince: number | undefined;
  /** Yielded for `maxYieldMs` already during this burst: full speed until the intake calms. */
  private overdue = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: WorkerPaceOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get yielding(): boolean {
    return this.yieldingSince !== undefined;
  }

  /** Runs waiting to start. */
  get backlog(): number {
    return this.waiting.length;
  }

  /** The intake's latest rate (webhooks accepted per second, all api processes). */
  observe(intakeRate: number): void {
    const hot = this.options.yieldAbove > 0 && intakeRate >= this.options.yieldAbove;
    if (!hot) {
      this.overdue = false;
      this.resume();
      return;
    }
    if (this.overdue) return;
    this.yieldingSince ??= this.now();
    if (this.now() - this.yieldingSince >= this.options.maxYieldMs) {
      this.overdue = true;
      this.resume();
      return;
    }
    this.schedule();
  }

  /** Resolves when the run may start: at once unless the worker is yielding. */
  admit(): Promise<void> {
    if (!this.yielding) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  /** Full speed, and every waiting run starts (shutdown). */
  stop(): void {
    this.overdue = false;
    this.resume();
  }

  private resume(): void {
    this.yieldingSince = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    this.release(this.waiting.length);
  }

  private schedule(): void {
    if (this.timer || this.waiting.length === 0) return;
    // a slow rate lets one run through at longer intervals than tickMs
    const everyMs = Math.max(this.options.tickMs, 1000 / Math.max(1, this.options.yieldRate));
    const perTick = Math.max(1, Math.round((this.options.yieldRate * everyMs) / 1000));
    this.timer = setInterval(() => {
      this.release(perTick);
      if (this.waiting.length === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }, everyMs);
    this.timer.unref();
  }

  private release(count: number): void {
    for (const resolve of this.waiting.splice(0, count)) resolve();
  }
}

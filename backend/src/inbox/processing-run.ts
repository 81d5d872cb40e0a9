import type { AttemptRecord, InboxEventEntity } from './inbox-event.entity';
import { ProcessingTrace } from './processing-trace';

/** How many attempts an event's history keeps (the oldest are dropped). */
const HISTORY_LIMIT = 20;

/** The run lost its lease: another worker took the event over, this run must not finish it. */
export class LeaseLostError extends Error {
  constructor() {
    super('the processing lease was lost');
  }
}

export interface LeaseHeartbeat {
  /** Renews the lease; false when another worker holds it now. */
  renew: () => Promise<boolean>;
  everyMs: number;
  /** A renewal that could not be made (the database did not answer): the run goes on, the next beat retries. */
  onRenewError: (error: unknown) => void;
}

/**
 * One run of one claimed event: the heartbeat that keeps its lease (aborting the run when the lease is lost),
 * the trace of what it did, and the attempt record it adds to the event's history.
 */
export class ProcessingRun {
  readonly trace: ProcessingTrace;
  /** The settings the run applies: those of the replay, or those recorded when the event was received. */
  readonly settingsVersion: number;
  private readonly abort = new AbortController();
  private readonly startedAt = new Date();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    readonly event: InboxEventEntity,
    readonly token: string,
    lease: LeaseHeartbeat,
  ) {
    this.trace = new ProcessingTrace(this.abort.signal);
    this.settingsVersion = event.appliedSettingsVersion ?? event.settingsVersion;
    this.heartbeat = setInterval(() => {
      lease.renew().then((held) => {
        if (!held) this.abort.abort(new LeaseLostError());
      }, lease.onRenewError);
    }, lease.everyMs);
    this.heartbeat.unref();
  }

  get leaseLost(): boolean {
    return this.abort.signal.aborted;
  }

  /** The event's history with this attempt added. */
  history(result: AttemptRecord['result'], extra: Partial<AttemptRecord> = {}): AttemptRecord[] {
    return [
      ...this.event.history,
      {
        attempt: this.event.attempts,
        mode: this.event.mode,
        settingsVersion: this.settingsVersion,
        startedAt: this.startedAt.toISOString(),
        durationMs: Date.now() - this.startedAt.getTime(),
        result,
        steps: this.trace.steps,
        skipped: this.trace.skipped,
        ...extra,
      },
    ].slice(-HISTORY_LIMIT);
  }

  stop(): void {
    clearInterval(this.heartbeat);
  }
}

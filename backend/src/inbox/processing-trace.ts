import type { JsonValue } from '../database/columns';
import type { DomainEvent, DomainEventType } from './domain-events';
import type { TraceStep } from './inbox-event.entity';
import type { ProcessingContext, SkipReason } from './source-adapter';

const MAX_STEPS = 200;
const MAX_TEXT = 500;

/** Collects what one run of an event did: timed steps, skipped changes, domain events to publish. */
export class ProcessingTrace implements ProcessingContext {
  readonly steps: TraceStep[] = [];
  readonly skipped: { key: string | null; reason: Exclude<SkipReason, 'duplicate'>; detail?: string }[] = [];
  readonly domainEvents: DomainEvent[] = [];

  constructor(readonly signal: AbortSignal) {}

  async step<T>(name: string, work: () => Promise<T> | T, detail?: JsonValue): Promise<T> {
    const started = performance.now();
    try {
      const result = await work();
      this.push({ name, ms: elapsed(started), ok: true, ...(detail === undefined ? {} : { detail }) });
      return result;
    } catch (error) {
      this.push({ name, ms: elapsed(started), ok: false, error: errorText(error) });
      throw error;
    }
  }

  note(name: string, detail?: JsonValue): void {
    this.push({ name, ok: true, ...(detail === undefined ? {} : { detail }) });
  }

  skip(key: string | null, reason: Exclude<SkipReason, 'duplicate'>, detail?: string): void {
    this.skipped.push({ key, reason, ...(detail ? { detail: detail.slice(0, MAX_TEXT) } : {}) });
  }

  publish<T extends DomainEventType>(event: DomainEvent<T>): void {
    this.domainEvents.push(event);
  }

  private push(step: TraceStep): void {
    if (this.steps.length < MAX_STEPS) this.steps.push(step);
  }
}

export function errorText(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
      : String(error);
  return text.slice(0, MAX_TEXT);
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

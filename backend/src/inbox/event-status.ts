import type { SkipReason } from './source-adapter';

/**
 * The life of an inbox event:
 * `received` (stored) → `queued` (job in Redis) → `processing` (a worker holds the lease) →
 * `done` | `skipped` (nothing to apply: duplicate, echo, filtered) | `failed` (retries used up, dead letter);
 * an admin may `dismiss` a failed event or replay a finished one (back to `queued`).
 */
export const EVENT_STATUSES = [
  'received',
  'queued',
  'processing',
  'done',
  'failed',
  'skipped',
  'dismissed',
] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Not finished yet: the sweeper watches these. */
export const UNFINISHED_STATUSES: readonly EventStatus[] = ['received', 'queued', 'processing'];
/** Finished: a replay may start them again. */
export const REPLAYABLE_STATUSES: readonly EventStatus[] = ['done', 'failed', 'skipped', 'dismissed'];
/** Purged after the retention period; failed events stay until replayed or dismissed. */
export const PURGEABLE_STATUSES: readonly EventStatus[] = ['done', 'skipped', 'dismissed'];

const TRANSITIONS: Record<EventStatus, readonly EventStatus[]> = {
  received: ['queued', 'processing'],
  queued: ['processing', 'queued'],
  // a worker finishes, schedules a retry, gives up; the sweeper re-queues when the lease lapsed
  processing: ['done', 'skipped', 'failed', 'queued', 'processing'],
  done: ['queued'],
  skipped: ['queued'],
  failed: ['queued', 'dismissed'],
  dismissed: ['queued'],
};

export function canTransition(from: EventStatus, to: EventStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export type Refusal = { ok: false; reason: string };

/** Whether an admin may replay an event now, and why not. */
export function replayRefusal(status: EventStatus, skipReason: SkipReason | null): Refusal | null {
  if (!REPLAYABLE_STATUSES.includes(status)) {
    return {
      ok: false,
      reason: `The event is ${status}: it will be processed anyway; replay it once it has finished.`,
    };
  }
  if (status === 'skipped' && skipReason === 'duplicate') {
    return {
      ok: false,
      reason: 'This delivery repeated changes that an earlier event carried: replay that event instead.',
    };
  }
  return null;
}

/** Whether an admin may dismiss an event now, and why not. */
export function dismissRefusal(status: EventStatus): Refusal | null {
  return status === 'failed'
    ? null
    : { ok: false, reason: `Only failed events can be dismissed; this one is ${status}.` };
}

/** The final status of a processed event from what its adapter skipped. */
export function finishedStatus(
  ownedKeys: readonly string[],
  skipped: readonly { key: string | null; reason: Exclude<SkipReason, 'duplicate'> }[],
): { status: 'done' | 'skipped'; skipReason: SkipReason | null } {
  const whole = skipped.find((skip) => skip.key === null);
  if (whole) return { status: 'skipped', skipReason: whole.reason };
  if (ownedKeys.length === 0 || skipped.length === 0) return { status: 'done', skipReason: null };
  const skippedKeys = new Set(skipped.map((skip) => skip.key));
  if (!ownedKeys.every((key) => skippedKeys.has(key))) return { status: 'done', skipReason: null };
  const reasons = new Set(skipped.map((skip) => skip.reason));
  return { status: 'skipped', skipReason: reasons.size === 1 ? skipped[0].reason : 'filtered' };
}

import type { Queue } from 'bull';

/** The queue that feeds processing: one job per event run. */
export const INBOX_QUEUE = 'inbox';
export const PROCESS_EVENT_JOB = 'process-event';

/** Housekeeping, apart so that it never waits behind a backlog of events. */
export const INBOX_MAINTENANCE_QUEUE = 'inbox-maintenance';
export const SWEEP_JOB = 'sweep';
export const PURGE_JOB = 'purge';
export const BULK_REPLAY_JOB = 'bulk-replay';

export interface ProcessEventJobData {
  eventId: string;
}

/** The job id of an event's run: the event id, then `<id>:<generation>` for each later queueing (retry, replay, recovery). */
export function jobIdFor(eventId: string, generation: number): string {
  return generation === 0 ? eventId : `${eventId}:${generation}`;
}

/** How often the sweeper runs for a given threshold: every 10 s by default, more often for short test thresholds. */
export function sweepEveryMs(sweepAfterMs: number): number {
  return Math.min(10_000, Math.max(250, Math.floor(sweepAfterMs / 3)));
}

export const PURGE_EVERY_MS = 24 * 60 * 60 * 1000;

/**
 * The key counting the webhooks the api processes accepted during one second (unix seconds): incremented by the
 * intake's Redis call of each micro-batch (`addFirstRuns`), read by the workers (IntakePressureService) to slow
 * down while webhooks pour in; it expires after a few seconds.
 */
export function intakeCountKey(queue: Queue<ProcessEventJobData>, second: number): string {
  return queue.toKey(`intake:${second}`);
}

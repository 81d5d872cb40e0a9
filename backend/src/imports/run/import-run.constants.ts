import type { Queue } from 'bull';
/** The Bull queue of import runs (worker processes only). */
export const IMPORTS_QUEUE = 'imports';
export const RUN_IMPORT_JOB = 'run-import';

export interface RunImportJobData {
  workspaceId: string;
  importId: string;
}

/** Rows written per batch: one amoCRM request of at most 50 entities, their outcomes in one statement. */
export const ROWS_PER_BATCH = 50;
/**
 * Batches of a contacts/leads import in flight at once while the mirror is trusted (no amoCRM search per row), a
 * new one started as each ends: enough that the engine's batcher always has a full request of 50 waiting while the
 * previous one is sent, and the local work of the next rows overlaps the requests.
 */
export const BATCHES_IN_FLIGHT_TRUSTED = 8;
/** The most rows of an import in flight at once (a pause or cancel lands after at most these). */
export const ROWS_IN_FLIGHT_TRUSTED = BATCHES_IN_FLIGHT_TRUSTED * ROWS_PER_BATCH;
/** The lease a worker holds on a running import (renewed every third of it); a dead worker's lease expires. */
export const RUN_LEASE_MS = 6_000;
/** How often a worker looks for running imports nobody holds (a worker died) and takes them over. */
export const RESUME_SWEEP_MS = 2_000;

export function runLeaseKey(importId: string): string {
  return `import-run:${importId}`;
}

/** The Bull job id of an import's run: one job per import at a time. */
export function runJobId(importId: string): string {
  return `import:${importId}`;
}

/** One job per import at a time (its id is the import's); gone once it ends, so a later resume can add it again. */
export async function enqueueRun(
  queue: Queue<RunImportJobData>,
  workspaceId: string,
  importId: string,
): Promise<void> {
  await queue.add(
    RUN_IMPORT_JOB,
    { workspaceId, importId },
    { jobId: runJobId(importId), attempts: 1, removeOnComplete: true, removeOnFail: true },
  );
}

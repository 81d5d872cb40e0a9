import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventStatus } from './event-status';
import { dueRows, inTransaction, placeholders, type RequeuedEvent } from './inbox-sql';
import type { ProcessingMode } from './source-adapter';

export type { RequeuedEvent } from './inbox-sql';

export interface StaleEvent {
  id: string;
  status: EventStatus;
  generation: number;
  /** Milliseconds until the next run is due (0 when due). */
  dueInMs: number;
}

/**
 * Events put back in the queue under their next generation: by the sweeper (runs whose job is gone from Redis,
 * leases that lapsed) and by a replay.
 */
@Injectable()
export class InboxEventRequeuesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Unfinished events untouched for `olderThanMs`, oldest first, after the cursor: candidates for the
   * sweeper (it checks each against Redis).
   */
  async findStaleWaiting(
    status: 'received' | 'queued',
    olderThanMs: number,
    after: { updatedAt: Date; id: string } | null,
    limit: number,
  ): Promise<(StaleEvent & { updatedAt: Date })[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        status: EventStatus;
        generation: number;
        updatedAt: Date;
        dueInMs: string | number;
      }[]
    >(
      `SELECT id, status, generation, updated_at AS updatedAt,
              GREATEST(0, TIMESTAMPDIFF(MICROSECOND, NOW(3), COALESCE(next_attempt_at, NOW(3)))) DIV 1000 AS dueInMs
         FROM inbox_events
        WHERE status = ? AND updated_at < NOW(3) - INTERVAL ? MICROSECOND
              ${after ? 'AND (updated_at > ? OR (updated_at = ? AND id > ?))' : ''}
        ORDER BY updated_at, id
        LIMIT ?`,
      [status, olderThanMs * 1000, ...(after ? [after.updatedAt, after.updatedAt, after.id] : []), limit],
    );
    return rows.map((row) => ({ ...row, generation: Number(row.generation), dueInMs: Number(row.dueInMs) }));
  }

  /** Events whose processing lease lapsed: their worker died or hangs. */
  async findLapsedLeases(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM inbox_events WHERE status = 'processing' AND lease_until < NOW(3) ORDER BY updated_at LIMIT ?`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Re-queues waiting events whose job is gone (next generation); skips any that changed meanwhile. Returns
   * the events to enqueue.
   */
  async requeueWaiting(ids: string[], olderThanMs: number): Promise<RequeuedEvent[]> {
    if (ids.length === 0) return [];
    return inTransaction(this.dataSource, 'READ COMMITTED', async (runner) => {
      const candidates = (await runner.query(
        `SELECT id FROM inbox_events
          WHERE id IN (${placeholders(ids.length)}) AND status IN ('received', 'queued')
            AND updated_at < NOW(3) - INTERVAL ? MICROSECOND
          FOR UPDATE SKIP LOCKED`,
        [...ids, olderThanMs * 1000],
      )) as { id: string }[];
      if (candidates.length === 0) return [];
      const locked = candidates.map((row) => row.id);
      await runner.query(
        `UPDATE inbox_events SET status = 'queued', generation = generation + 1 WHERE id IN (${placeholders(locked.length)})`,
        locked,
      );
      return dueRows(runner, locked);
    });
  }

  /**
   * Takes events back from workers whose lease lapsed: counted as a failed run (so an event that kills its
   * worker every time ends failed), re-queued at once or failed when the retries are used up.
   */
  async reclaimLapsed(ids: string[], maxRetries: number): Promise<RequeuedEvent[]> {
    if (ids.length === 0) return [];
    return inTransaction(this.dataSource, 'READ COMMITTED', async (runner) => {
      const candidates = (await runner.query(
        `SELECT id FROM inbox_events
          WHERE id IN (${placeholders(ids.length)}) AND status = 'processing' AND lease_until < NOW(3)
          FOR UPDATE SKIP LOCKED`,
        ids,
      )) as { id: string }[];
      if (candidates.length === 0) return [];
      const locked = candidates.map((row) => row.id);
      await runner.query(
        `UPDATE inbox_events
            SET status = IF(retries >= ?, 'failed', 'queued'),
                processed_at = IF(retries >= ?, NOW(3), NULL),
                retries = retries + 1,
                mode = IF(mode = 'first', 'retry', mode),
                last_error = 'The worker stopped while processing this event (its lease lapsed).',
                generation = generation + 1, lease_token = NULL, lease_until = NULL, next_attempt_at = NULL
          WHERE id IN (${placeholders(locked.length)})`,
        [maxRetries, maxRetries, ...locked],
      );
      const queued = (await runner.query(
        `SELECT id FROM inbox_events WHERE id IN (${placeholders(locked.length)}) AND status = 'queued'`,
        locked,
      )) as { id: string }[];
      return dueRows(
        runner,
        queued.map((row) => row.id),
      );
    });
  }

  /**
   * Queues finished events again for a replay, applying the settings version stored with each event (`as_received`,
   * the only replay mode until mappings and rules exist). Returns the events to enqueue.
   */
  async requeueForReplay(
    workspaceId: string,
    ids: string[],
    mode: Extract<ProcessingMode, 'as_received'>,
    replayable: readonly EventStatus[],
  ): Promise<RequeuedEvent[]> {
    if (ids.length === 0) return [];
    return inTransaction(this.dataSource, 'READ COMMITTED', async (runner) => {
      const candidates = (await runner.query(
        `SELECT id FROM inbox_events
          WHERE workspace_id = ? AND id IN (${placeholders(ids.length)}) AND status IN (${placeholders(replayable.length)})
            AND NOT (status = 'skipped' AND skip_reason = 'duplicate')
          FOR UPDATE`,
        [workspaceId, ...ids, ...replayable],
      )) as { id: string }[];
      if (candidates.length === 0) return [];
      const locked = candidates.map((row) => row.id);
      await runner.query(
        `UPDATE inbox_events
            SET status = 'queued', mode = ?, applied_settings_version = settings_version, skip_reason = NULL,
                retries = 0, generation = generation + 1, next_attempt_at = NULL, processed_at = NULL
          WHERE id IN (${placeholders(locked.length)})`,
        [mode, ...locked],
      );
      return dueRows(runner, locked);
    });
  }
}

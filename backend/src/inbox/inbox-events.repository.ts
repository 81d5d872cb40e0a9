import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  DataSource,
  type EntityManager,
  type QueryRunner,
  type Repository,
  type SelectQueryBuilder,
} from 'typeorm';
import type { JsonObject, JsonValue } from '../database/columns';
import type { EventStatus } from './event-status';
import { keyHash } from './idempotency-key';
import {
  InboxEventEntity,
  type AttemptRecord,
  type EventIdempotency,
  type StoredKey,
} from './inbox-event.entity';
import type { ProcessingMode, SkipReason } from './source-adapter';

/** A delivery ready to be stored. */
export interface NewDelivery {
  id: string;
  workspaceId: string;
  source: string;
  eventType: string;
  contentType: string;
  headers: Record<string, string>;
  rawBody: Buffer;
  summary: JsonObject;
  keys: StoredKey[];
}

/** An event whose keys are to be claimed. */
export interface KeyClaim {
  id: string;
  workspaceId: string;
  source: string;
  keys: StoredKey[];
}

/** What storing a delivery decided. */
export interface StoredDelivery {
  id: string;
  /** `queued`: a run will be added; `skipped`: the delivery carried no change at all. */
  status: 'queued' | 'skipped';
}

export interface EventFilter {
  source?: string;
  status?: EventStatus;
  type?: string;
  from?: Date;
  to?: Date;
  search?: string;
}

/** The columns a list shows: never the body or the history. */
export type EventListRow = Pick<
  InboxEventEntity,
  | 'id'
  | 'source'
  | 'eventType'
  | 'status'
  | 'skipReason'
  | 'summary'
  | 'attempts'
  | 'lastError'
  | 'createdAt'
  | 'processedAt'
  | 'nextAttemptAt'
>;

export interface StaleEvent {
  id: string;
  status: EventStatus;
  generation: number;
  /** Milliseconds until the next run is due (0 when due). */
  dueInMs: number;
}

export interface RequeuedEvent {
  id: string;
  generation: number;
  dueInMs: number;
}

export interface FinishFields {
  idempotency: EventIdempotency;
  status: 'done' | 'skipped';
  skipReason: SkipReason | null;
  changes: JsonValue | null;
  history: AttemptRecord[];
  appliedSettingsVersion: number;
}

const LOCK_CONFLICTS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST_COLUMNS = [
  'e.id',
  'e.source',
  'e.eventType',
  'e.status',
  'e.skipReason',
  'e.summary',
  'e.attempts',
  'e.lastError',
  'e.createdAt',
  'e.processedAt',
  'e.nextAttemptAt',
];

/** Inbox events and their idempotency keys: the only place that builds inbox queries. */
@Injectable()
export class InboxEventsRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(InboxEventEntity) private readonly repo: Repository<InboxEventEntity>,
  ) {}

  /**
   * Stores a batch of deliveries with one multi-row INSERT (one round trip, one commit), each with the
   * workspace's settings version read inside the same statement. Deliveries are stored as `queued` (their runs
   * are added right after); one without any change is stored `skipped` (filtered).
   */
  async insertDeliveries(deliveries: NewDelivery[]): Promise<StoredDelivery[]> {
    const stored: StoredDelivery[] = deliveries.map((delivery) => ({
      id: delivery.id,
      status: delivery.keys.length > 0 ? 'queued' : 'skipped',
    }));
    const row = (index: number): string =>
      `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT v.version FROM workspace_settings_versions v WHERE v.workspace_id = ?), 0), 'first', '[]', ${
        stored[index].status === 'skipped' ? `'filtered', NOW(3)` : 'NULL, NULL'
      })`;
    await this.dataSource.query(
      `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body, summary,
         change_keys, idempotency, settings_version, mode, history, skip_reason, processed_at)
       VALUES ${deliveries.map((_, index) => row(index)).join(', ')}`,
      deliveries.flatMap((delivery, index) => [
        delivery.id,
        delivery.workspaceId,
        delivery.source,
        delivery.eventType,
        stored[index].status,
        delivery.contentType,
        JSON.stringify(delivery.headers),
        delivery.rawBody,
        JSON.stringify(delivery.summary),
        JSON.stringify(delivery.keys),
        stored[index].status === 'skipped' ? JSON.stringify({ owned: [], duplicates: [] }) : null,
        delivery.workspaceId,
      ]),
    );
    return stored;
  }

  /**
   * Claims the idempotency keys of several events in one statement: a key belongs to the first event that
   * claims it, for good (within one call the earliest received wins). Claiming again (a retry, a replay, a run
   * after a crash) gives the same answer, so the result needs no transaction.
   */
  async claimKeys(events: KeyClaim[]): Promise<Map<string, EventIdempotency>> {
    const claims: { hash: string; key: StoredKey; event: KeyClaim }[] = [];
    for (const event of events) {
      const seen = new Set<string>();
      for (const key of event.keys) {
        const hash = keyHash(event.workspaceId, event.source, key.key);
        if (!seen.has(hash)) claims.push({ hash, key, event });
        seen.add(hash);
      }
    }
    const results = new Map<string, EventIdempotency>(
      events.map((event) => [event.id, { owned: [], duplicates: [] }]),
    );
    if (claims.length === 0) return results;
    // one lock order for every writer; for the same key the earliest event (ids are time-ordered) comes first
    claims.sort((a, b) => compare(a.hash, b.hash) || compare(a.event.id, b.event.id));
    const inserted = await this.retryingLockConflicts(() =>
      this.dataSource.query<{ affectedRows: number }>(
        `INSERT IGNORE INTO inbox_keys (key_hash, workspace_id, event_id, entity_id) VALUES ${placeholders(claims.length, 4)}`,
        claims.flatMap(({ hash, key, event }) => [hash, event.workspaceId, event.id, key.entityId]),
      ),
    );
    let owners: Map<string, string> | null = null;
    if (inserted.affectedRows < claims.length) {
      const hashes = [...new Set(claims.map((claim) => claim.hash))];
      const rows = await this.dataSource.query<{ hash: string; eventId: string }[]>(
        `SELECT key_hash AS hash, event_id AS eventId FROM inbox_keys WHERE key_hash IN (${placeholders(hashes.length)})`,
        hashes,
      );
      owners = new Map(rows.map((row) => [row.hash, row.eventId]));
    }
    for (const { hash, key, event } of claims) {
      const owner = owners?.get(hash) ?? event.id;
      const result = results.get(event.id) as EventIdempotency;
      if (owner === event.id) result.owned.push(key.key);
      else result.duplicates.push({ key: key.key, eventId: owner });
    }
    return results;
  }

  /** Stored events whose runs could not be added to Redis: `received` until the sweeper queues them. */
  async markNotQueued(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE inbox_events SET status = 'received' WHERE status = 'queued' AND generation = 0 AND id IN (${placeholders(ids.length)})`,
      ids,
    );
  }

  /**
   * Takes the processing lease of the given events that are waiting (or whose previous holder's lease lapsed)
   * and due, all under one token, and returns the ones taken (one UPDATE and one SELECT for a whole batch).
   * An event someone else holds, a finished one or one not due yet is left out.
   */
  async claim(ids: string[], leaseToken: string, leaseMs: number): Promise<InboxEventEntity[]> {
    if (ids.length === 0) return [];
    const result = await this.dataSource.query<{ affectedRows: number }>(
      `UPDATE inbox_events
          SET retries = retries + IF(status = 'processing', 1, 0),
              last_error = IF(status = 'processing', 'The worker stopped while processing this event.', last_error),
              status = 'processing',
              lease_token = ?,
              lease_until = NOW(3) + INTERVAL ? MICROSECOND,
              attempts = attempts + 1
        WHERE id IN (${placeholders(ids.length)})
          AND (status IN ('received', 'queued') OR (status = 'processing' AND lease_until < NOW(3)))
          AND (next_attempt_at IS NULL OR next_attempt_at <= NOW(3) + INTERVAL 1 SECOND)`,
      [leaseToken, leaseMs * 1000, ...ids],
    );
    if (result.affectedRows === 0) return [];
    return this.repo
      .createQueryBuilder('e')
      .where('e.id IN (:...ids) AND e.lease_token = :leaseToken', { ids, leaseToken })
      .getMany();
  }

  async renewLease(id: string, leaseToken: string, leaseMs: number): Promise<boolean> {
    const result = await this.dataSource.query<{ affectedRows: number }>(
      `UPDATE inbox_events SET lease_until = NOW(3) + INTERVAL ? MICROSECOND
        WHERE id = ? AND lease_token = ? AND status = 'processing'`,
      [leaseMs * 1000, id, leaseToken],
    );
    return result.affectedRows === 1;
  }

  findInWorkspace(workspaceId: string, id: string): Promise<InboxEventEntity | null> {
    return this.repo
      .createQueryBuilder('e')
      .where('e.workspace_id = :workspaceId AND e.id = :id', { workspaceId, id })
      .getOne();
  }

  /**
   * Locks the rows of finishing runs in `manager`'s transaction (FOR UPDATE, in primary-key order) and answers the
   * ids whose lease is still the run's: only those may be finished, and nobody can take them over until commit.
   */
  async lockHeldLeases(
    manager: EntityManager,
    runs: readonly { id: string; leaseToken: string }[],
  ): Promise<Set<string>> {
    if (runs.length === 0) return new Set();
    const rows = await manager.query<{ id: string; leaseToken: string | null }[]>(
      `SELECT id, lease_token AS leaseToken FROM inbox_events
        WHERE id IN (${runs.map(() => '?').join(', ')}) AND status = 'processing'
        ORDER BY id FOR UPDATE`,
      runs.map((run) => run.id),
    );
    const tokens = new Map(rows.map((row) => [row.id, row.leaseToken]));
    return new Set(runs.filter((run) => tokens.get(run.id) === run.leaseToken).map((run) => run.id));
  }

  /**
   * Marks runs finished in `manager`'s transaction, all in one statement; only for rows `lockHeldLeases` found
   * held in the same transaction (so no status check here: it would steer MySQL to the status index instead of
   * the primary key).
   */
  async finishHeld(
    manager: EntityManager,
    runs: readonly { id: string; fields: FinishFields }[],
  ): Promise<void> {
    if (runs.length === 0) return;
    const rows = runs
      .map(
        () =>
          'SELECT ? AS id, ? AS status, ? AS skipReason, ? AS changes, ? AS history, ? AS settingsVersion, ? AS idempotency',
      )
      .join(' UNION ALL ');
    const result = await manager.query<{ affectedRows: number }>(
      `UPDATE inbox_events e JOIN (${rows}) v ON e.id = v.id
          SET e.status = v.status, e.skip_reason = v.skipReason, e.changes = v.changes, e.history = v.history,
              e.applied_settings_version = v.settingsVersion, e.idempotency = v.idempotency, e.last_error = NULL,
              e.lease_token = NULL, e.lease_until = NULL, e.next_attempt_at = NULL, e.retries = 0,
              e.processed_at = NOW(3)`,
      runs.flatMap(({ id, fields }) => [
        id,
        fields.status,
        fields.skipReason,
        fields.changes === null ? null : JSON.stringify(fields.changes),
        JSON.stringify(fields.history),
        fields.appliedSettingsVersion,
        JSON.stringify(fields.idempotency),
      ]),
    );
    // the rows are locked by this transaction since lockHeldLeases: anything else is a bug, never a lost lease
    if (result.affectedRows !== runs.length)
      throw new Error(`finished ${result.affectedRows} of ${runs.length} held events`);
  }

  /** Puts a failed run back in the queue for a later retry; false when the lease was lost meanwhile. */
  async scheduleRetry(
    id: string,
    leaseToken: string,
    fields: {
      generation: number;
      retries: number;
      delayMs: number;
      error: string;
      history: AttemptRecord[];
      idempotency: EventIdempotency | null;
    },
  ): Promise<boolean> {
    const result = await this.dataSource.query<{ affectedRows: number }>(
      `UPDATE inbox_events
          SET status = 'queued', mode = 'retry', generation = ?, retries = ?, last_error = ?, history = ?,
              idempotency = COALESCE(?, idempotency), next_attempt_at = NOW(3) + INTERVAL ? MICROSECOND, lease_token = NULL, lease_until = NULL
        WHERE id = ? AND lease_token = ? AND status = 'processing'`,
      [
        fields.generation,
        fields.retries,
        fields.error,
        JSON.stringify(fields.history),
        fields.idempotency ? JSON.stringify(fields.idempotency) : null,
        fields.delayMs * 1000,
        id,
        leaseToken,
      ],
    );
    return result.affectedRows === 1;
  }

  /** Dead letter: the event failed for good (until an admin replays it). */
  async fail(
    id: string,
    leaseToken: string,
    fields: {
      retries: number;
      error: string;
      history: AttemptRecord[];
      idempotency: EventIdempotency | null;
    },
  ): Promise<boolean> {
    const result = await this.dataSource.query<{ affectedRows: number }>(
      `UPDATE inbox_events
          SET status = 'failed', retries = ?, last_error = ?, history = ?, idempotency = COALESCE(?, idempotency),
              next_attempt_at = NULL,
              lease_token = NULL, lease_until = NULL, processed_at = NOW(3)
        WHERE id = ? AND lease_token = ? AND status = 'processing'`,
      [
        fields.retries,
        fields.error,
        JSON.stringify(fields.history),
        fields.idempotency ? JSON.stringify(fields.idempotency) : null,
        id,
        leaseToken,
      ],
    );
    return result.affectedRows === 1;
  }

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
    return this.inTransaction('READ COMMITTED', async (runner) => {
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
      return this.dueRows(runner, locked);
    });
  }

  /**
   * Takes events back from workers whose lease lapsed: counted as a failed run (so an event that kills its
   * worker every time ends failed), re-queued at once or failed when the retries are used up.
   */
  async reclaimLapsed(ids: string[], maxRetries: number): Promise<RequeuedEvent[]> {
    if (ids.length === 0) return [];
    return this.inTransaction('READ COMMITTED', async (runner) => {
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
      return this.dueRows(
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
    return this.inTransaction('READ COMMITTED', async (runner) => {
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
      return this.dueRows(runner, locked);
    });
  }

  async dismiss(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.dataSource.query<{ affectedRows: number }>(
      `UPDATE inbox_events SET status = 'dismissed' WHERE workspace_id = ? AND id = ? AND status = 'failed'`,
      [workspaceId, id],
    );
    return result.affectedRows === 1;
  }

  /** A page of events, newest first; `total` stops counting at `countCap`. */
  async search(
    workspaceId: string,
    filter: EventFilter,
    offset: number,
    limit: number,
    countCap: number,
  ): Promise<{ items: EventListRow[]; total: number }> {
    const query = this.filtered(workspaceId, filter);
    const items = await query
      .clone()
      .select(LIST_COLUMNS)
      .orderBy('e.createdAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .offset(offset)
      .limit(limit)
      .getMany();
    const [sql, parameters] = query.clone().select('1').limit(countCap).getQueryAndParameters();
    const [{ total }] = await this.dataSource.query<
      {
        total: string | number;
      }[]
    >(`SELECT COUNT(*) AS total FROM (${sql}) matched`, parameters);
    return { items, total: Number(total) };
  }

  /** Replayable events matching `filter`, by id after `afterId` (a bulk replay walks them in pages). */
  async idsMatching(
    workspaceId: string,
    filter: EventFilter,
    statuses: readonly EventStatus[],
    afterId: string | null,
    limit: number,
  ): Promise<string[]> {
    const query = this.filtered(workspaceId, filter).andWhere('e.status IN (:...statuses)', { statuses });
    if (afterId) query.andWhere('e.id > :afterId', { afterId });
    const rows = await query
      .select('e.id', 'id')
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  async countMatching(
    workspaceId: string,
    filter: EventFilter,
    statuses: readonly EventStatus[],
  ): Promise<number> {
    return this.filtered(workspaceId, filter).andWhere('e.status IN (:...statuses)', { statuses }).getCount();
  }

  async countByStatus(workspaceId: string, status: EventStatus): Promise<number> {
    return this.repo
      .createQueryBuilder('e')
      .where('e.workspace_id = :workspaceId AND e.status = :status', { workspaceId, status })
      .getCount();
  }

  /** Seconds since the oldest unfinished event of the workspace was received, or null when all are finished. */
  async oldestUnfinishedAgeSeconds(
    workspaceId: string,
    statuses: readonly EventStatus[],
  ): Promise<number | null> {
    const [row] = await this.dataSource.query<{ age: string | number | null }[]>(
      `SELECT TIMESTAMPDIFF(SECOND, MIN(created_at), NOW(3)) AS age FROM inbox_events
        WHERE workspace_id = ? AND status IN (${placeholders(statuses.length)})`,
      [workspaceId, ...statuses],
    );
    return row?.age === null || row?.age === undefined ? null : Number(row.age);
  }

  async lastReceivedAt(workspaceId: string, source: string): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ at: Date | null }[]>(
      `SELECT MAX(created_at) AS at FROM inbox_events WHERE workspace_id = ? AND source = ?`,
      [workspaceId, source],
    );
    return row?.at ?? null;
  }

  /** Deletes up to `limit` events of `status` unchanged for `days`, with their keys. */
  async purgeBatch(status: EventStatus, days: number, limit: number): Promise<number> {
    return this.inTransaction('READ COMMITTED', async (runner) => {
      const rows = (await runner.query(
        `SELECT id FROM inbox_events WHERE status = ? AND updated_at < NOW(3) - INTERVAL ? DAY ORDER BY updated_at LIMIT ?`,
        [status, days, limit],
      )) as { id: string }[];
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.id);
      const list = placeholders(ids.length);
      await runner.query(`DELETE FROM inbox_keys WHERE event_id IN (${list})`, ids);
      await runner.query(`DELETE FROM inbox_events WHERE id IN (${list}) AND status = ?`, [...ids, status]);
      return ids.length;
    });
  }

  private filtered(workspaceId: string, filter: EventFilter): SelectQueryBuilder<InboxEventEntity> {
    const query = this.repo.createQueryBuilder('e').where('e.workspace_id = :workspaceId', { workspaceId });
    if (filter.source) query.andWhere('e.source = :source', { source: filter.source });
    if (filter.status) query.andWhere('e.status = :status', { status: filter.status });
    if (filter.type) query.andWhere('e.event_type = :type', { type: filter.type });
    if (filter.from) query.andWhere('e.created_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('e.created_at <= :to', { to: filter.to });
    if (filter.search) {
      const subjects =
        'e.id IN (SELECT k.event_id FROM inbox_keys k WHERE k.workspace_id = :workspaceId AND k.entity_id = :search)';
      query.andWhere(UUID.test(filter.search) ? `(e.id = :searchId OR ${subjects})` : subjects, {
        search: filter.search,
        searchId: filter.search.toLowerCase(),
      });
    }
    return query;
  }

  private async retryingLockConflicts<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= 3 || !LOCK_CONFLICTS.has((error as { code?: string }).code ?? '')) throw error;
      }
    }
  }

  private async dueRows(runner: QueryRunner, ids: string[]): Promise<RequeuedEvent[]> {
    if (ids.length === 0) return [];
    const rows = (await runner.query(
      `SELECT id, generation,
              GREATEST(0, TIMESTAMPDIFF(MICROSECOND, NOW(3), COALESCE(next_attempt_at, NOW(3)))) DIV 1000 AS dueInMs
         FROM inbox_events WHERE id IN (${placeholders(ids.length)})`,
      ids,
    )) as { id: string; generation: number; dueInMs: string | number }[];
    return rows.map((row) => ({
      id: row.id,
      generation: Number(row.generation),
      dueInMs: Number(row.dueInMs),
    }));
  }

  private async inTransaction<T>(
    isolation: 'READ COMMITTED' | 'REPEATABLE READ',
    work: (runner: QueryRunner) => Promise<T>,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction(isolation);
      try {
        const result = await work(runner);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function placeholders(rows: number, columns = 1): string {
  const row = columns === 1 ? '?' : `(${new Array<string>(columns).fill('?').join(', ')})`;
  return new Array<string>(rows).fill(row).join(', ');
}

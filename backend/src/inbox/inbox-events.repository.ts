import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import type { JsonObject, JsonValue } from '../database/columns';
import { hydrateRow } from '../database/entity-rows';
import type { EventStatus } from './event-status';
import { keyHash } from './idempotency-key';
import {
  InboxEventEntity,
  type AttemptRecord,
  type EventIdempotency,
  type StoredKey,
} from './inbox-event.entity';
import { inTransaction, placeholders } from './inbox-sql';
import type { SkipReason } from './source-adapter';

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

export interface FinishFields {
  idempotency: EventIdempotency;
  status: 'done' | 'skipped';
  skipReason: SkipReason | null;
  changes: JsonValue | null;
  history: AttemptRecord[];
  appliedSettingsVersion: number;
}

const LOCK_CONFLICTS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * The life of an inbox event: stored on delivery, its idempotency keys claimed, its processing lease taken and
 * renewed, then finished, retried or failed; dismissed by an admin; purged when old. The sweeper's and the
 * replay's requeues are in `InboxEventRequeuesRepository`, the list/search/stats queries in
 * `InboxEventQueriesRepository`.
 */
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
    // plain SQL, hydrated through the entity metadata: the query builder cost more CPU than the query (hot path)
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT * FROM inbox_events WHERE id IN (${placeholders(ids.length)}) AND lease_token = ?`,
      [...ids, leaseToken],
    );
    const { manager } = this.dataSource;
    return rows.map((row) => hydrateRow(manager, this.repo.metadata, InboxEventEntity.prototype, row));
  }

  /**
   * Extends a run's lease. Its row's index entries can be caught in a deadlock with a batch finishing other rows
   * (InnoDB then rolls this statement back): tried again at once rather than at the next beat.
   */
  async renewLease(id: string, leaseToken: string, leaseMs: number): Promise<boolean> {
    const result = await this.retryingLockConflicts(() =>
      this.dataSource.query<{ affectedRows: number }>(
        `UPDATE inbox_events SET lease_until = NOW(3) + INTERVAL ? MICROSECOND
          WHERE id = ? AND lease_token = ? AND status = 'processing'`,
        [leaseMs * 1000, id, leaseToken],
      ),
    );
    return result.affectedRows === 1;
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

  async dismiss(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.dataSource.query<{ affectedRows: number }>(
      `UPDATE inbox_events SET status = 'dismissed' WHERE workspace_id = ? AND id = ? AND status = 'failed'`,
      [workspaceId, id],
    );
    return result.affectedRows === 1;
  }
  /** Deletes up to `limit` events of `status` unchanged for `days`, with their keys. */
  async purgeBatch(status: EventStatus, days: number, limit: number): Promise<number> {
    return inTransaction(this.dataSource, 'READ COMMITTED', async (runner) => {
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

  private async retryingLockConflicts<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= 3 || !LOCK_CONFLICTS.has((error as { code?: string }).code ?? '')) throw error;
      }
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

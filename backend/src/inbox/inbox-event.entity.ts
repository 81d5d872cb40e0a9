import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, UpdatedAt, jsonText, newId, type JsonObject, type JsonValue } from '../database/columns';
import type { EventStatus } from './event-status';
import type { ProcessingMode, SkipReason } from './source-adapter';

/** Which keys of a delivery this event owns, and which were delivered before by another event. */
export interface EventIdempotency {
  owned: string[];
  duplicates: { key: string; eventId: string }[];
}

/** A change of the delivery as the adapter named it when it was received. */
export interface StoredKey {
  key: string;
  entityType: string;
  entityId: string;
}

/** One processing run of an event, as shown on its page. */
export interface AttemptRecord {
  attempt: number;
  mode: ProcessingMode;
  settingsVersion: number;
  startedAt: string;
  durationMs: number;
  result: 'done' | 'skipped' | 'retry' | 'failed' | 'lease_lost' | 'interrupted';
  error?: string;
  /** When the next run is due (result `retry`). */
  retryAt?: string;
  steps: TraceStep[];
  skipped: { key: string | null; reason: SkipReason; detail?: string }[];
}

export interface TraceStep {
  name: string;
  /** Milliseconds; absent for notes. */
  ms?: number;
  ok: boolean;
  error?: string;
  detail?: JsonValue;
}

/** A webhook delivery kept durably from receipt until it is processed (and for the retention period after). */
@Entity('inbox_events')
@Index('idx_inbox_events_ws_time', ['workspaceId', 'createdAt'])
@Index('idx_inbox_events_ws_status', ['workspaceId', 'status', 'createdAt'])
@Index('idx_inbox_events_ws_source', ['workspaceId', 'source', 'createdAt'])
@Index('idx_inbox_events_ws_type', ['workspaceId', 'eventType', 'createdAt'])
@Index('idx_inbox_events_status_updated', ['status', 'updatedAt'])
export class InboxEventEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ name: 'workspace_id', type: 'char', length: 36 })
  workspaceId!: string;

  @Column({ type: 'varchar', length: 32 })
  source!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: EventStatus;

  @Column({ name: 'skip_reason', type: 'varchar', length: 16, nullable: true })
  skipReason!: SkipReason | null;

  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'longtext', transformer: jsonText })
  headers!: Record<string, string>;

  @Column({ name: 'raw_body', type: 'longblob' })
  rawBody!: Buffer;

  @Column({ type: 'longtext', transformer: jsonText })
  summary!: JsonObject;

  /** The changes of the delivery (idempotency keys), as accepted. */
  @Column({ name: 'change_keys', type: 'longtext', transformer: jsonText })
  changeKeys!: StoredKey[];

  /**
   * Which of them this event owns (first to claim them) and which repeat an earlier event. Resolved by the
   * first run, off the hot path; null until then.
   */
  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  idempotency!: EventIdempotency | null;

  /** The parsed changes reported by the adapter on the last successful run. */
  @Column({ type: 'longtext', nullable: true, transformer: jsonText })
  changes!: JsonValue | null;

  /** The workspace's mappings/rules version when the event was received. */
  @Column({ name: 'settings_version', type: 'int' })
  settingsVersion!: number;

  /** The version the next (or last) run applies: differs after a replay with current settings. */
  @Column({ name: 'applied_settings_version', type: 'int', nullable: true })
  appliedSettingsVersion!: number | null;

  /** How the next run is made: first, retry, or a replay mode. */
  @Column({ type: 'varchar', length: 16 })
  mode!: ProcessingMode;

  /** Every run, including replays. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** Failed runs since the event was last queued by intake or a replay: drives the backoff. */
  @Column({ type: 'int', default: 0 })
  retries!: number;

  /** Bumped each time the event is queued again; the queue job id is `<id>` then `<id>:<generation>`. */
  @Column({ type: 'int', default: 0 })
  generation!: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'lease_token', type: 'char', length: 36, nullable: true })
  leaseToken!: string | null;

  @Column({ name: 'lease_until', type: 'datetime', precision: 3, nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  /** The runs of this event, newest last (at most the last 20). */
  @Column({ type: 'longtext', transformer: jsonText })
  history!: AttemptRecord[];

  @Column({ name: 'processed_at', type: 'datetime', precision: 3, nullable: true })
  processedAt!: Date | null;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}

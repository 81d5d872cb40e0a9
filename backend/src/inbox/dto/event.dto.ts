import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JsonObject, JsonValue } from '../../database/columns';
import { PageDto } from '../../http/pagination';
import { EVENT_STATUSES, type EventStatus } from '../event-status';
import type { AttemptRecord, InboxEventEntity } from '../inbox-event.entity';
import type { EventListRow } from '../inbox-event-queries.repository';

export class EventListItemDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'amocrm' })
  source!: string;

  @ApiProperty({ example: 'leads.status' })
  type!: string;

  @ApiProperty({ enum: EVENT_STATUSES })
  status!: EventStatus;

  @ApiProperty({ type: String, nullable: true, enum: ['duplicate', 'echo', 'filtered'] })
  skipReason!: string | null;

  @ApiProperty({ type: Object, description: 'What the source adapter summarised (entity ids, account…)' })
  summary!: JsonObject;

  @ApiProperty({ example: 1, description: 'Runs so far, including replays' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  processedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a retry is due' })
  nextAttemptAt!: string | null;

  static from(row: EventListRow): EventListItemDto {
    return {
      id: row.id,
      source: row.source,
      type: row.eventType,
      status: row.status,
      skipReason: row.skipReason,
      summary: row.summary,
      attempts: row.attempts,
      lastError: row.lastError,
      receivedAt: row.createdAt.toISOString(),
      processedAt: row.processedAt?.toISOString() ?? null,
      nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    };
  }
}

export class EventPageDto extends PageDto {
  @ApiProperty({ type: [EventListItemDto] })
  items!: EventListItemDto[];

  @ApiProperty({
    description: 'true when there are more matches than `total` says (counting stops at 10 000)',
  })
  totalCapped!: boolean;
}

export class DuplicateKeyDto {
  @ApiProperty({ example: 'leads:status:123:1700000000' })
  key!: string;

  @ApiProperty({ format: 'uuid', description: 'The earlier event that carried this change' })
  eventId!: string;
}

export class IdempotencyDto {
  @ApiProperty({ type: [String], description: 'Changes this event carried first: the ones it processes' })
  owned!: string[];

  @ApiProperty({
    type: [DuplicateKeyDto],
    description: 'Changes delivered before by other events: not processed again',
  })
  duplicates!: DuplicateKeyDto[];
}

export class TraceStepDto {
  @ApiProperty({ example: 'amoCRM: load lead' })
  name!: string;

  @ApiPropertyOptional({ example: 12.5, description: 'Milliseconds (absent for notes)' })
  ms?: number;

  @ApiProperty()
  ok!: boolean;

  @ApiPropertyOptional()
  error?: string;

  @ApiPropertyOptional({ description: 'Whatever the step reported' })
  detail?: JsonValue;
}

export class SkippedChangeDto {
  @ApiProperty({ type: String, nullable: true, description: 'null: the whole event' })
  key!: string | null;

  @ApiProperty({ enum: ['duplicate', 'echo', 'filtered'] })
  reason!: string;

  @ApiPropertyOptional()
  detail?: string;
}

export class AttemptDto {
  @ApiProperty({ example: 1 })
  attempt!: number;

  @ApiProperty({ enum: ['first', 'retry', 'as_received', 'current_settings'] })
  mode!: string;

  @ApiProperty({ example: 3, description: 'The mappings/rules version applied' })
  settingsVersion!: number;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ example: 48 })
  durationMs!: number;

  @ApiProperty({ enum: ['done', 'skipped', 'retry', 'failed', 'lease_lost', 'interrupted'] })
  result!: string;

  @ApiPropertyOptional()
  error?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  retryAt?: string;

  @ApiProperty({ type: [TraceStepDto] })
  steps!: TraceStepDto[];

  @ApiProperty({ type: [SkippedChangeDto] })
  skipped!: SkippedChangeDto[];
}

export class EventErrorDto {
  @ApiProperty({ example: 2 })
  attempt!: number;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty()
  message!: string;
}

export class EventDetailDto extends EventListItemDto {
  @ApiProperty({ example: 'application/x-www-form-urlencoded' })
  contentType!: string;

  @ApiProperty({ type: Object, description: 'The request headers kept with the event' })
  headers!: Record<string, string>;

  @ApiProperty({ description: 'The body exactly as received (UTF-8 text, or base64 when it is not text)' })
  rawBody!: string;

  @ApiProperty({ enum: ['utf8', 'base64'] })
  rawBodyEncoding!: 'utf8' | 'base64';

  @ApiProperty({
    type: [String],
    description: 'The changes of the delivery (idempotency keys)',
    example: ['leads:status:123:1700000000'],
  })
  keys!: string[];

  @ApiProperty({
    type: IdempotencyDto,
    nullable: true,
    description: 'Which changes this event processes; null until its first run',
  })
  idempotency!: IdempotencyDto | null;

  @ApiProperty({ nullable: true, description: 'The changes the source adapter parsed from the body' })
  changes!: JsonValue | null;

  @ApiProperty({ example: 3, description: 'The mappings/rules version when the event was received' })
  settingsVersion!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'The version the last or next run applies' })
  appliedSettingsVersion!: number | null;

  @ApiProperty({
    enum: ['first', 'retry', 'as_received', 'current_settings'],
    description: 'How the next run is made',
  })
  mode!: string;

  @ApiProperty({ type: [AttemptDto], description: 'Every run (the last 20) with its trace' })
  history!: AttemptDto[];

  @ApiProperty({ type: [EventErrorDto] })
  errors!: EventErrorDto[];

  static fromEntity(event: InboxEventEntity, changes: JsonValue | null): EventDetailDto {
    const text = event.rawBody.toString('utf8');
    const isText = Buffer.from(text, 'utf8').equals(event.rawBody);
    return {
      ...EventListItemDto.from(event),
      contentType: event.contentType,
      headers: event.headers,
      rawBody: isText ? text : event.rawBody.toString('base64'),
      rawBodyEncoding: isText ? 'utf8' : 'base64',
      keys: event.changeKeys.map((key) => key.key),
      idempotency: event.idempotency,
      changes,
      settingsVersion: event.settingsVersion,
      appliedSettingsVersion: event.appliedSettingsVersion,
      mode: event.mode,
      history: event.history,
      errors: event.history
        .filter((run: AttemptRecord) => run.error)
        .map((run) => ({ attempt: run.attempt, at: run.startedAt, message: run.error ?? '' })),
    };
  }
}

export class MinuteStatsDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the minute' })
  minute!: string;

  @ApiProperty({ description: 'Deliveries stored and queued' })
  received!: number;

  @ApiProperty({ description: 'Deliveries found to only repeat earlier ones (skipped, not processed again)' })
  duplicate!: number;

  @ApiProperty()
  done!: number;

  @ApiProperty()
  skipped!: number;

  @ApiProperty({ description: 'Failed runs that will be retried' })
  retried!: number;

  @ApiProperty({ description: 'Events that failed for good' })
  failed!: number;
}

export class QueueDepthDto {
  @ApiProperty()
  waiting!: number;

  @ApiProperty()
  active!: number;

  @ApiProperty({ description: 'Retries waiting for their time' })
  delayed!: number;
}

export class EventStatsDto {
  @ApiProperty({ type: [MinuteStatsDto], description: 'The last 60 minutes, oldest first' })
  perMinute!: MinuteStatsDto[];

  @ApiProperty({ description: 'Events of the workspace in the dead letter (failed)' })
  failed!: number;

  @ApiProperty({ type: QueueDepthDto, description: 'The processing queue (shared by all workspaces)' })
  queue!: QueueDepthDto;

  @ApiProperty({ type: Number, nullable: true, description: 'Age of the oldest unfinished event, seconds' })
  oldestUnprocessedSeconds!: number | null;

  @ApiProperty({ description: 'Deliveries refused in the last hour (e.g. another amoCRM account)' })
  rejectedLastHour!: number;
}

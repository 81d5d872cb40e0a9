import type { Page } from '../shared/page';

/** The life of an inbox event (see the backend's `event-status.ts`). */
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

/** Not finished yet: they will be processed anyway. */
export const UNFINISHED_STATUSES: readonly EventStatus[] = ['received', 'queued', 'processing'];
/** Finished: a replay may start them again (not a pure duplicate, though). */
export const REPLAYABLE_STATUSES: readonly EventStatus[] = ['done', 'failed', 'skipped', 'dismissed'];

export type SkipReason = 'duplicate' | 'echo' | 'filtered';
export type ReplayMode = 'as_received' | 'current_settings';

/** Sources the console knows by name; others are shown as they come. */
export const KNOWN_SOURCES: readonly string[] = ['amocrm', 'lptracker', 'api', 'import'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = Record<string, JsonValue>;

/** One row of `GET /api/v1/events`. */
export interface EventListItem {
  id: string;
  source: string;
  type: string;
  status: EventStatus;
  skipReason: SkipReason | null;
  /** What the source adapter summarised (entity ids, account…). */
  summary: JsonObject;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  processedAt: string | null;
  nextAttemptAt: string | null;
}

export interface EventPage extends Page<EventListItem> {
  /** More matches than `total` says (the server stops counting at 10 000). */
  totalCapped: boolean;
}

export interface TraceStep {
  name: string;
  /** Milliseconds; absent for notes. */
  ms?: number;
  ok: boolean;
  error?: string;
  detail?: JsonValue;
}

export type AttemptMode = 'first' | 'retry' | 'as_received' | 'current_settings';
export type AttemptResult = 'done' | 'skipped' | 'retry' | 'failed' | 'lease_lost' | 'interrupted';

export interface EventAttempt {
  attempt: number;
  mode: AttemptMode;
  settingsVersion: number;
  startedAt: string;
  durationMs: number;
  result: AttemptResult;
  error?: string;
  retryAt?: string;
  steps: TraceStep[];
  skipped: { key: string | null; reason: SkipReason; detail?: string }[];
}

/** `GET /api/v1/events/:id`. */
export interface EventDetail extends EventListItem {
  contentType: string;
  headers: Record<string, string>;
  /** The body exactly as received: UTF-8 text, or base64 when it is not text. */
  rawBody: string;
  rawBodyEncoding: 'utf8' | 'base64';
  /** Idempotency keys of the changes in the delivery. */
  keys: string[];
  idempotency: { owned: string[]; duplicates: { key: string; eventId: string }[] } | null;
  changes: JsonValue | null;
  settingsVersion: number;
  appliedSettingsVersion: number | null;
  mode: AttemptMode;
  /** Every run (the last 20), oldest first. */
  history: EventAttempt[];
  errors: { attempt: number; at: string; message: string }[];
}

/** The filter of the list and of a bulk replay (query parameters, blanks left out). */
export interface EventFilterParams {
  source?: string;
  status?: EventStatus;
  type?: string;
  from?: string;
  to?: string;
  search?: string;
}

export interface EventListParams extends EventFilterParams {
  /** A column of the list (`receivedAt`, `status`, `type`, `source`); newest first when absent. */
  sort?: string;
  order?: 'asc' | 'desc';
  page: number;
  limit: number;
}

export interface MinuteStats {
  /** Start of the minute (ISO). */
  minute: string;
  received: number;
  duplicate: number;
  done: number;
  skipped: number;
  /** Failed runs that will be retried. */
  retried: number;
  /** Events that failed for good. */
  failed: number;
}

/** `GET /api/v1/events/stats`. */
export interface EventStats {
  /** The last 60 minutes, oldest first. */
  perMinute: MinuteStats[];
  failed: number;
  queue: { waiting: number; active: number; delayed: number };
  oldestUnprocessedSeconds: number | null;
  rejectedLastHour: number;
}

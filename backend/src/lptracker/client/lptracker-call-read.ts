import { idOf, listOf } from './lptracker-read';

/**
 * LPTracker call records (`calls_records` of a lead callback, `GET /lead/{id}/calls`), read defensively: the time
 * kept as sent (unix seconds, or a date text the engine parses), the duration in whole seconds (0 when missing),
 * texts trimmed (null when empty). Records that are not objects are dropped.
 */
export interface LptrackerCallRecord {
  /** LPTracker's id of the call, when sent. */
  id: number | null;
  /** As sent: unix seconds (number or digits) or a date text; null when missing. */
  time: string | number | null;
  durationSeconds: number;
  /** `in`, `out`, `callback`… as sent (lower case). */
  type: string | null;
  /** How it ended as sent (`ANSWERED`, `NO ANSWER`, `BUSY`, `FAILED`, `CALLING`…). */
  disposition: string | null;
  /** The recording's address. */
  record: string | null;
  ownerId: number | null;
}

/** At most this many call records are read from one answer (a lead with more is an outlier). */
export const MAX_CALL_RECORDS = 500;

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function seconds(value: unknown): number {
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? Math.round(number) : 0;
}

export function readCallRecords(result: unknown): LptrackerCallRecord[] {
  return listOf(result)
    .slice(0, MAX_CALL_RECORDS)
    .map((entry) => {
      const time =
        typeof entry.time === 'number' && Number.isFinite(entry.time) ? entry.time : text(entry.time);
      return {
        id: idOf(entry.id),
        time,
        durationSeconds: seconds(entry.duration),
        type: text(entry.type)?.toLowerCase() ?? null,
        disposition: text(entry.disposition),
        record: text(entry.record),
        ownerId: idOf(entry.owner_id),
      };
    });
}

import { createHash } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js/max';
import { normalizePhone } from '../../contacts/phone';
import {
  CALL_DIRECTIONS,
  CALL_LIMITS,
  CALL_RESULTS,
  type CallDirection,
  type CallResult,
  type CallResultInput,
} from './call-result.types';

/** A row checked and normalised, ready to be linked and stored. */
export interface PreparedCall {
  phone: string | null;
  startedAt: Date;
  durationSeconds: number;
  direction: CallDirection;
  result: CallResult;
  recordingUrl: string | null;
  operator: string | null;
  sourceId: string | null;
  lptrackerLeadId: number | null;
  /** Set when there is no source id: what the row is deduplicated by. */
  naturalKey: string | null;
}

export type PreparedRow = { ok: true; row: PreparedCall } | { ok: false; field: string; message: string };

/** Earliest and latest start accepted (a typo'd year is refused, not stored). */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST_AHEAD_MS = 24 * 3600 * 1000;

function text(value: string | null | undefined, max: number): string | null | false {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return trimmed.length > max ? false : trimmed;
}

function dateOf(value: Date | string): Date | null {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value.trim()) : null;
  if (!date || Number.isNaN(date.getTime())) return null;
  return date.getTime() < EARLIEST || date.getTime() > Date.now() + LATEST_AHEAD_MS ? null : date;
}

/** The dedupe key of a row without a source id: phone, start to the millisecond, operator. */
export function naturalKeyOf(phone: string | null, startedAt: Date, operator: string | null): string {
  return createHash('sha256')
    .update(`${phone ?? ''}\n${startedAt.getTime()}\n${operator ?? ''}`)
    .digest('hex');
}

/**
 * Checks and normalises one row (pure): phone to E.164 with the deployment's region (required unless the row has a
 * source id), start between 2000 and tomorrow, duration a whole number of seconds up to a day, known direction and
 * result, texts within the column sizes. A refusal names the field and says why in plain words.
 */
export function prepareCallRow(input: CallResultInput, region: CountryCode): PreparedRow {
  const refuse = (field: string, message: string): PreparedRow => ({ ok: false, field, message });
  const sourceId = text(input.sourceId, CALL_LIMITS.sourceId);
  if (sourceId === false)
    return refuse('sourceId', `sourceId must be text of at most ${CALL_LIMITS.sourceId} characters`);
  let phone: string | null = null;
  const rawPhone = text(input.phone, CALL_LIMITS.phone);
  if (rawPhone === false) return refuse('phone', 'phone must be a phone number');
  if (rawPhone !== null) {
    phone = normalizePhone(rawPhone, region);
    if (phone === null) return refuse('phone', `phone "${rawPhone}" is not a valid phone number`);
  } else if (sourceId === null) {
    return refuse('phone', 'phone is required');
  }
  const startedAt = dateOf(input.startedAt);
  if (startedAt === null)
    return refuse('startedAt', 'startedAt must be a date and time (ISO 8601) between 2000 and tomorrow');
  const duration = input.durationSeconds;
  if (!Number.isSafeInteger(duration) || duration < 0 || duration > CALL_LIMITS.durationSeconds)
    return refuse(
      'durationSeconds',
      `durationSeconds must be a whole number from 0 to ${CALL_LIMITS.durationSeconds}`,
    );
  if (!(CALL_DIRECTIONS as readonly string[]).includes(input.direction))
    return refuse('direction', `direction must be one of ${CALL_DIRECTIONS.join(', ')}`);
  if (!(CALL_RESULTS as readonly string[]).includes(input.result))
    return refuse('result', `result must be one of ${CALL_RESULTS.join(', ')}`);
  const recordingUrl = text(input.recordingUrl, CALL_LIMITS.recordingUrl);
  if (recordingUrl === false || (recordingUrl !== null && !/^https?:\/\/\S+$/i.test(recordingUrl)))
    return refuse(
      'recordingUrl',
      `recordingUrl must be an http(s) address of at most ${CALL_LIMITS.recordingUrl} characters`,
    );
  const operator = text(input.operator, CALL_LIMITS.operator);
  if (operator === false)
    return refuse('operator', `operator must be text of at most ${CALL_LIMITS.operator} characters`);
  const lead = input.lptrackerLeadId ?? null;
  if (lead !== null && (!Number.isSafeInteger(lead) || lead <= 0))
    return refuse('lptrackerLeadId', 'lptrackerLeadId must be a positive whole number');
  return {
    ok: true,
    row: {
      phone,
      startedAt,
      durationSeconds: duration,
      direction: input.direction,
      result: input.result,
      recordingUrl,
      operator,
      sourceId,
      lptrackerLeadId: lead,
      naturalKey: sourceId === null ? naturalKeyOf(phone, startedAt, operator) : null,
    },
  };
}

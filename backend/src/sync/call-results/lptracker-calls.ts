import { createHash } from 'node:crypto';
import type { LptrackerCallRecord } from '../../lptracker/client/lptracker-call-read';
import { parseLptrackerDate } from '../mappings/mapping-transforms';
import type { CallDirection, CallResult, CallResultInput } from './call-result.types';

/** Dispositions of a call still going on: not a finished call yet (recorded once it ends). */
const IN_PROGRESS = new Set(['CALLING', 'RINGING', 'IN PROGRESS', 'IN_PROGRESS', 'UP', 'DIALING']);

const RESULTS: Record<string, CallResult> = {
  ANSWERED: 'answered',
  ANSWER: 'answered',
  SUCCESS: 'answered',
  'NO ANSWER': 'missed',
  NO_ANSWER: 'missed',
  NOANSWER: 'missed',
  MISSED: 'missed',
  CANCEL: 'missed',
  CANCELLED: 'missed',
  CANCELED: 'missed',
  BUSY: 'busy',
  FAILED: 'failed',
  CONGESTION: 'failed',
  CHANUNAVAIL: 'failed',
  ERROR: 'failed',
};

/**
 * How an LPTracker call ended (its `disposition`, Asterisk-like): answered, missed (no answer, cancelled), busy or
 * failed (failed, congestion, unavailable); null while it is still going on. An unknown disposition counts as
 * answered when the call lasted, else missed.
 */
export function lptrackerCallResult(call: LptrackerCallRecord): CallResult | null {
  const disposition = call.disposition?.toUpperCase().replace(/\s+/g, ' ') ?? null;
  if (disposition !== null && IN_PROGRESS.has(disposition)) return null;
  const known = disposition === null ? undefined : RESULTS[disposition];
  return known ?? (call.durationSeconds > 0 ? 'answered' : 'missed');
}

/** `in` (incoming) for `in`/`incoming`/`inbound`, else `out` (outgoing and call-backs). */
export function lptrackerCallDirection(type: string | null): CallDirection {
  return type !== null && ['in', 'incoming', 'inbound', 'входящий'].includes(type) ? 'in' : 'out';
}

/**
 * The finished calls of an LPTracker lead as call result rows (source id: LPTracker's call id, else a stable hash
 * of lead, time, type and operator), with the lead's first phone and the operator's name when the staff list knows
 * it. Calls still going on or without a readable time are left out (counted in `skipped`).
 */
export function lptrackerCallRows(
  lead: { id: number; phones: readonly string[] },
  calls: readonly LptrackerCallRecord[],
  staffName: (ownerId: number) => string | null,
): { rows: CallResultInput[]; skipped: number } {
  const rows: CallResultInput[] = [];
  let skipped = 0;
  for (const call of calls) {
    const result = lptrackerCallResult(call);
    const startedAt = call.time === null ? null : parseLptrackerDate(call.time);
    if (result === null || startedAt === null) {
      skipped += 1;
      continue;
    }
    const sourceId =
      call.id !== null
        ? String(call.id)
        : `h:${createHash('sha256')
            .update([lead.id, startedAt.getTime(), call.type ?? '', call.ownerId ?? ''].join('|'))
            .digest('hex')
            .slice(0, 40)}`;
    rows.push({
      phone: lead.phones[0] ?? null,
      startedAt,
      durationSeconds: Math.min(call.durationSeconds, 86_400),
      direction: lptrackerCallDirection(call.type),
      result,
      recordingUrl:
        call.record !== null && /^https?:\/\//i.test(call.record) ? call.record.slice(0, 1024) : null,
      operator: call.ownerId === null ? null : (staffName(call.ownerId) ?? String(call.ownerId)),
      sourceId,
      lptrackerLeadId: lead.id,
    });
  }
  return { rows, skipped };
}

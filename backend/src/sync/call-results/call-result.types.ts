/**
 * Call results (issue #14 §4): one finished phone call per row, per workspace. The plain input a caller gives
 * `CallResultsService.record` (the REST API, spreadsheet imports, LPTracker's call records) and the names shared by
 * the table, the API and the rules. No imports: the rules' field catalog reads these lists too.
 */

export const CALL_SOURCES = ['lptracker', 'import', 'api'] as const;
export type CallSource = (typeof CALL_SOURCES)[number];

export const CALL_DIRECTIONS = ['in', 'out'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** How a call ended. `missed`, `busy` and `failed` are the unanswered ones (counted as missed in totals). */
export const CALL_RESULTS = ['answered', 'missed', 'busy', 'failed'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];
export const UNANSWERED_RESULTS: readonly CallResult[] = ['missed', 'busy', 'failed'];

/** Bounds of one row's texts (the table's column sizes). */
export const CALL_LIMITS = {
  phone: 32,
  operator: 128,
  recordingUrl: 1024,
  sourceId: 128,
  /** A day: longer calls are a data error. */
  durationSeconds: 86_400,
} as const;

/**
 * One call as a caller gives it. `phone` is any form the deployment's region parses (stored as E.164);
 * `startedAt` a Date or ISO 8601 text; `operator` a name or an id (as the source knows it). Rows with `sourceId`
 * are deduplicated by (source, sourceId), the others by (phone, startedAt, operator). `lptrackerLeadId` links the
 * call to that LPTracker lead's amoCRM lead (else the contact's newest open lead).
 */
export interface CallResultInput {
  phone: string | null;
  startedAt: Date | string;
  durationSeconds: number;
  direction: CallDirection;
  result: CallResult;
  recordingUrl?: string | null;
  operator?: string | null;
  sourceId?: string | null;
  lptrackerLeadId?: number | null;
}

/** What happened to one row of `record` (in the order given). */
export type CallRowOutcome =
  | {
      index: number;
      outcome: 'created';
      id: string;
      /** The amoCRM records the call was linked to (null: none found). */
      amocrmContactId: number | null;
      amocrmLeadId: number | null;
    }
  | { index: number; outcome: 'duplicate'; id: string | null }
  | { index: number; outcome: 'invalid'; field: string; message: string };

export interface CallRecordSummary {
  created: number;
  duplicates: number;
  invalid: number;
  rows: CallRowOutcome[];
}

/** What `/api/v1/call-results` answers (backend/src/sync/call-results/dto/call-result.dto.ts). */

export const CALL_RESULTS = ['answered', 'missed', 'busy', 'failed'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];
export const CALL_DIRECTIONS = ['in', 'out'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];
export const CALL_SOURCES = ['lptracker', 'import', 'api'] as const;
export type CallSource = (typeof CALL_SOURCES)[number];

export interface CallItem {
  id: string;
  phone: string | null;
  contactId: string | null;
  amocrmContactId: number | null;
  leadId: string | null;
  amocrmLeadId: number | null;
  lptrackerLeadId: number | null;
  startedAt: string;
  durationSeconds: number;
  direction: CallDirection;
  result: CallResult;
  recordingUrl: string | null;
  operator: string | null;
  source: CallSource;
  sourceId: string | null;
  createdAt: string;
}

export interface CallTotals {
  count: number;
  answered: number;
  /** Unanswered: missed, busy or failed. */
  missed: number;
  durationSeconds: number;
}

export interface CallPage {
  items: CallItem[];
  total: number;
  page: number;
  limit: number;
  totals: CallTotals;
}

/** One bar of a chart: a UTC day (YYYY-MM-DD) or an operator ("" for calls without one). */
export interface CallGroup extends CallTotals {
  key: string;
}

export interface CallSummary {
  groupBy: 'day' | 'operator';
  groups: CallGroup[];
}

/** The filters of the page (dates are whole local days). */
export interface CallFilters {
  start: Date | null;
  end: Date | null;
  phone: string | null;
  result: CallResult | null;
  operator: string | null;
  direction: CallDirection | null;
  source: CallSource | null;
}

export const NO_CALL_FILTERS: CallFilters = {
  start: null,
  end: null,
  phone: null,
  result: null,
  operator: null,
  direction: null,
  source: null,
};

/** The query the API takes for `filters` (from the start of the first day to the end of the last, local time). */
export function callParams(filters: CallFilters): Record<string, string | null> {
  const from = filters.start ? new Date(filters.start) : null;
  from?.setHours(0, 0, 0, 0);
  const to = filters.end ? new Date(filters.end) : null;
  to?.setHours(23, 59, 59, 999);
  return {
    from: from?.toISOString() ?? null,
    to: to?.toISOString() ?? null,
    phone: filters.phone,
    result: filters.result,
    operator: filters.operator,
    direction: filters.direction,
    source: filters.source,
  };
}

/** `1:05`, `1:02:03`. */
export function durationText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

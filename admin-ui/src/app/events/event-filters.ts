import {
  EVENT_STATUSES,
  type EventFilterParams,
  type EventListParams,
  type EventStatus,
} from './events.models';
import { type ServerSort, sameSort, sortFromUrl, sortParams, sortToUrl } from '../shared/list/server-sort';

/** What the user chose above the events table. Days are local calendar days. */
export interface EventFilters {
  source: string | null;
  status: EventStatus | null;
  type: string | null;
  start: Date | null;
  end: Date | null;
  search: string;
  /** The order chosen by a column header; newest first when null. Not a filter: kept when filters are cleared. */
  sort: ServerSort | null;
}

/** The columns the server sorts the events by (`?sort=`), by their API names. */
export const EVENT_SORTS = ['receivedAt', 'status', 'type', 'source'] as const;

export const NO_FILTERS: EventFilters = {
  source: null,
  status: null,
  type: null,
  start: null,
  end: null,
  search: '',
  sort: null,
};

/** The filters as the API takes them: whole local days as instants, blanks left out. */
export function filterParams(filters: EventFilters): EventFilterParams {
  const params: EventFilterParams = {};
  if (filters.source) {
    params.source = filters.source;
  }
  if (filters.status) {
    params.status = filters.status;
  }
  if (filters.type) {
    params.type = filters.type;
  }
  if (filters.start) {
    const from = new Date(filters.start);
    from.setHours(0, 0, 0, 0);
    params.from = from.toISOString();
  }
  if (filters.end) {
    const to = new Date(filters.end);
    to.setHours(23, 59, 59, 999);
    params.to = to.toISOString();
  }
  const search = filters.search.trim();
  if (search) {
    params.search = search;
  }
  return params;
}

export function listParams(filters: EventFilters, page: number, limit: number): EventListParams {
  return { ...filterParams(filters), ...sortParams(filters.sort), page, limit };
}

export function hasFilters(filters: EventFilters): boolean {
  return Object.keys(filterParams(filters)).length > 0;
}

export function sameFilters(a: EventFilters, b: EventFilters): boolean {
  return JSON.stringify(filterParams(a)) === JSON.stringify(filterParams(b)) && sameSort(a.sort, b.sort);
}

/** The page's query parameters (`?status=failed&from=2026-11-01`) as written in a shareable URL. */
export interface EventUrlParams {
  source?: string | null;
  status?: string | null;
  type?: string | null;
  from?: string | null;
  to?: string | null;
  search?: string | null;
  sort?: string | null;
  order?: string | null;
}

function dayText(date: Date | null): string | null {
  if (!date) {
    return null;
  }
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function parseDay(text: string | null | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  if (!match) {
    return null;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

function isStatus(value: string | null | undefined): value is EventStatus {
  return (EVENT_STATUSES as readonly string[]).includes(value ?? '');
}

function word(value: string | null | undefined, max = 64): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed.slice(0, max);
}

/** Filters from the URL; values the API would refuse are ignored. */
export function filtersFromUrl(params: EventUrlParams): EventFilters {
  const source = word(params.source, 32);
  return {
    source: source && /^[a-z][a-z0-9-]{1,31}$/.test(source) ? source : null,
    status: isStatus(params.status) ? params.status : null,
    type: word(params.type),
    start: parseDay(params.from),
    end: parseDay(params.to),
    search: word(params.search) ?? '',
    sort: sortFromUrl(params.sort ?? undefined, params.order ?? undefined, EVENT_SORTS),
  };
}

/** Filters for the URL: every key present, `null` removes it (for `queryParamsHandling: 'merge'`). */
export function filtersToUrl(filters: EventFilters): Required<EventUrlParams> {
  return {
    source: filters.source,
    status: filters.status,
    type: filters.type,
    from: dayText(filters.start),
    to: dayText(filters.end),
    search: word(filters.search),
    ...sortToUrl(filters.sort),
  };
}

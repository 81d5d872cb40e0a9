import { httpProblem } from './problems';
import { queryList, queryObject, queryText, type QueryObject, type QueryValue } from './nested-query';

/** Paging, ordering and filter parameters shared by the v4 list endpoints. */

export const MAX_PAGE_LIMIT = 250;
export const DEFAULT_PAGE_LIMIT = 50;

export interface Paging {
  page: number;
  limit: number;
}

export interface TimeRange {
  from?: number;
  to?: number;
}

export type SortDirection = 'asc' | 'desc';

export interface Ordering<F extends string> {
  field: F;
  direction: SortDirection;
}

export function parsePaging(query: QueryObject): Paging {
  const page = parsePositive(queryText(query.page), 1, 'page');
  const limit = parsePositive(queryText(query.limit), DEFAULT_PAGE_LIMIT, 'limit');
  if (limit > MAX_PAGE_LIMIT) throw httpProblem(400, `limit must not exceed ${MAX_PAGE_LIMIT}`);
  return { page, limit };
}

function parsePositive(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw httpProblem(400, `${name} must be a positive integer`);
  return Number(raw);
}

export function parseOrdering<F extends string>(
  query: QueryObject,
  fields: readonly F[],
): Ordering<F> | undefined {
  const order = queryObject(query.order);
  if (!order) return undefined;
  for (const field of fields) {
    const direction = queryText(order[field])?.toLowerCase();
    if (direction === 'asc' || direction === 'desc') return { field, direction };
  }
  return undefined;
}

/** `filter[id][]=1&filter[id][]=2`, `filter[id]=1,2` or `filter[id][0]=1`. */
export function parseIdSet(value: QueryValue | undefined): Set<number> | undefined {
  if (value === undefined) return undefined;
  return new Set(
    queryList(value)
      .map(Number)
      .filter((id) => Number.isSafeInteger(id)),
  );
}

/** `filter[updated_at][from]=…&[to]=…` (unix seconds) or a single exact value. */
export function parseTimeRange(value: QueryValue | undefined): TimeRange | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const exact = Number(value);
    return Number.isFinite(exact) ? { from: exact, to: exact } : undefined;
  }
  const from = Number(queryText(value.from));
  const to = Number(queryText(value.to));
  return {
    ...(queryText(value.from) !== undefined && Number.isFinite(from) ? { from } : {}),
    ...(queryText(value.to) !== undefined && Number.isFinite(to) ? { to } : {}),
  };
}

export function inTimeRange(value: number, range: TimeRange | undefined): boolean {
  if (!range) return true;
  return (range.from === undefined || value >= range.from) && (range.to === undefined || value <= range.to);
}

/** `with=leads,contacts` */
export function parseWith(query: QueryObject): Set<string> {
  return new Set(queryList(query.with));
}

/** `If-Modified-Since` as unix seconds, when the header parses. */
export function parseModifiedSince(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string') return undefined;
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export function sortBy<T, F extends string>(
  items: T[],
  ordering: Ordering<F> | undefined,
  read: (item: T, field: F | 'id') => number,
): T[] {
  const field = ordering?.field ?? 'id';
  const sign = ordering?.direction === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => sign * (read(a, field) - read(b, field)) || read(a, 'id') - read(b, 'id'));
}

export interface PageSlice<T> {
  items: T[];
  /** Like amoCRM, a full page advertises `next` even when the following page turns out empty (204). */
  hasNext: boolean;
}

export function slicePage<T>(items: T[], paging: Paging): PageSlice<T> {
  const start = (paging.page - 1) * paging.limit;
  const pageItems = items.slice(start, start + paging.limit);
  return { items: pageItems, hasNext: pageItems.length === paging.limit };
}

export interface ListLinks {
  self: { href: string };
  next?: { href: string };
  prev?: { href: string };
}

/** Absolute `_links` for a list page, keeping the caller's other query parameters. */
export function listLinks(
  baseUrl: string,
  path: string,
  params: URLSearchParams,
  paging: Paging,
  hasNext: boolean,
): ListLinks {
  const href = (page: number): string => {
    const copy = new URLSearchParams(params);
    copy.set('page', String(page));
    copy.set('limit', String(paging.limit));
    return `${baseUrl}${path}?${copy.toString()}`;
  };
  return {
    self: { href: href(paging.page) },
    ...(hasNext ? { next: { href: href(paging.page + 1) } } : {}),
    ...(paging.page > 1 ? { prev: { href: href(paging.page - 1) } } : {}),
  };
}

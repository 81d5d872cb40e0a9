/** One page of a server-paged list (`{items, total, page, limit}`, `page` from 1). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/** Rows per page offered by the list pages (the server allows up to 100). */
export const PAGE_SIZES: readonly number[] = [20, 50, 100];

/** A text query parameter: trimmed, and left out (`null`) when blank. */
export function queryText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

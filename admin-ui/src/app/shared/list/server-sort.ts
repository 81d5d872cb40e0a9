import type { Sort } from '@angular/material/sort';

/** The order a server-paged list is asked for: one of the list's sortable fields and a direction. */
export interface ServerSort {
  field: string;
  order: 'asc' | 'desc';
}

/** What `matSortChange` says, as a list sort: `null` when the user cleared it (the server's default order). */
export function serverSortOf(sort: Sort): ServerSort | null {
  return sort.direction === '' ? null : { field: sort.active, order: sort.direction };
}

/**
 * The sort the address holds (`?sort=name&order=desc`): only a field of the list's `fields` (anything else in
 * a hand-edited link is ignored rather than sent for a 400); the order defaults to ascending.
 */
export function sortFromUrl(
  sort: string | undefined,
  order: string | undefined,
  fields: readonly string[],
): ServerSort | null {
  if (sort === undefined || !fields.includes(sort)) {
    return null;
  }
  return { field: sort, order: order === 'desc' ? 'desc' : 'asc' };
}

/** The sort for the address: `null` removes the parameters (merged into the other query parameters). */
export function sortToUrl(sort: ServerSort | null): { sort: string | null; order: string | null } {
  return { sort: sort?.field ?? null, order: sort?.order ?? null };
}

/** The sort for the request: left out when none is chosen (the server's default order). */
export function sortParams(sort: ServerSort | null): { sort?: string; order?: 'asc' | 'desc' } {
  return sort ? { sort: sort.field, order: sort.order } : {};
}

/** Whether two sorts ask for the same order. */
export function sameSort(a: ServerSort | null, b: ServerSort | null): boolean {
  return a?.field === b?.field && a?.order === b?.order;
}

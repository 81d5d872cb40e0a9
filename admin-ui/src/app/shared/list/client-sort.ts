import type { Sort } from '@angular/material/sort';

/** What a sortable column sorts by: a text (compared as people read it, numbers inside in order) or a number. */
export type SortValue = string | number | null;

/**
 * The rows of a list the console holds whole (users, API keys, workspaces), sorted by the column the user chose
 * with `mat-sort-header`; blanks last either way; the order as loaded when nothing is chosen.
 */
export function sortRows<T>(
  rows: readonly T[],
  sort: Sort | null,
  values: Readonly<Record<string, (row: T) => SortValue>>,
  locale: string,
): T[] {
  const pick =
    sort && sort.direction !== '' && Object.hasOwn(values, sort.active) ? values[sort.active] : null;
  if (!sort || !pick) {
    return [...rows];
  }
  const direction = sort.direction === 'asc' ? 1 : -1;
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  return [...rows].sort((a, b) => {
    const x = pick(a);
    const y = pick(b);
    if (x === y) {
      return 0;
    }
    if (x === null || x === '') {
      return 1;
    }
    if (y === null || y === '') {
      return -1;
    }
    const order =
      typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return order * direction;
  });
}

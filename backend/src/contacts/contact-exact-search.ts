import { orderByOf, orderBySql, type ListSort } from '../http/pagination';
import type { ContactEntity } from './contact.entity';

/** Up to this many contacts sharing a phone (or e-mail) are ordered and paged here rather than by the server. */
export const SORTED_HERE = 1000;

export interface ExactSearch {
  phone?: string;
  email?: string;
  sort: ListSort<'name' | 'phone' | 'email' | 'createdAt'>;
  offset: number;
  limit: number;
}

export interface ExactSearchDeps {
  query<T>(sql: string, parameters: unknown[]): Promise<T>;
  hydrate(row: Record<string, unknown>): ContactEntity;
  /** The list's sortable fields and their columns. */
  columns: Readonly<Record<ExactSearch['sort']['field'], string>>;
}

/**
 * Exact lookups by phone and/or e-mail (the hot path of client apps) in plain SQL: one lookup on the identities'
 * primary key (the phone's when there is one), joined to the contacts by primary key, the other identity checked by
 * its key. Sorted by when they were made (the list's default), the few rows a phone matches are ordered and paged
 * here: no temporary table and filesort on the server, and no COUNT query (the total is the rows read). Another
 * order (by collation: name, phone, e-mail), or more than SORTED_HERE matches, is left to the server.
 */
export async function searchExact(
  deps: ExactSearchDeps,
  workspaceId: string,
  search: ExactSearch,
): Promise<[ContactEntity[], number]> {
  const wanted = (['phone', 'email'] as const).flatMap((kind) => {
    const value = search[kind];
    return value ? [{ kind, value }] : [];
  });
  const [driver, ...others] = wanted;
  const from = [
    'contact_identities d JOIN contacts c ON c.id = d.contact_id',
    ...others.map(
      (_, n) =>
        `JOIN contact_identities o${n} ON o${n}.workspace_id = d.workspace_id AND o${n}.kind = ? AND o${n}.value = ? AND o${n}.contact_id = c.id`,
    ),
    'WHERE d.workspace_id = ? AND d.kind = ? AND d.value = ? AND c.workspace_id = ? AND c.deleted_at IS NULL',
  ].join(' ');
  const parameters = [
    ...others.flatMap((other) => [other.kind, other.value]),
    workspaceId,
    driver.kind,
    driver.value,
    workspaceId,
  ];
  if (search.sort.field === 'createdAt') {
    const rows = await deps.query<Record<string, unknown>[]>(
      `SELECT c.* FROM ${from} LIMIT ${SORTED_HERE + 1}`,
      parameters,
    );
    if (rows.length <= SORTED_HERE) {
      const sign = search.sort.order === 'asc' ? 1 : -1;
      const items = rows
        .map((row) => deps.hydrate(row))
        .sort(
          (a, b) =>
            sign *
            (a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
        );
      return [items.slice(search.offset, search.offset + search.limit), items.length];
    }
  }
  const rows = await deps.query<Record<string, unknown>[]>(
    `SELECT c.* FROM ${from} ORDER BY ${orderBySql(orderByOf(search.sort, deps.columns, 'c'))} LIMIT ? OFFSET ?`,
    [...parameters, search.limit, search.offset],
  );
  const items = rows.map((row) => deps.hydrate(row));
  if (items.length < search.limit && (items.length > 0 || search.offset === 0))
    return [items, search.offset + items.length];
  const [row] = await deps.query<{ total: unknown }[]>(`SELECT COUNT(*) AS total FROM ${from}`, parameters);
  return [items, Number(row?.total ?? 0)];
}

import { performance } from 'node:perf_hooks';
import { searchExact } from '../src/contacts/contact-exact-search';
import type { ContactEntity } from '../src/contacts/contact.entity';
import { CONTACT_SORT_COLUMNS } from '../src/contacts/contacts.repository';
import { connectDb, quantile, round } from './contacts-bench-support';
import type { Row } from './run';

/**
 * The lookup's SQL alone (the app's own, from contact-exact-search.ts) against `SELECT 1`, one after the other on
 * one connection, `count` times each: what the database adds to a lookup, apart from the service. With the InnoDB
 * buffer-pool reads per lookup (a server-wide counter: other load on the server adds to it) and the pool's size
 * against the tables', since a mirror larger than the pool makes most lookups read pages.
 */
export async function lookupInDatabase(
  database: string,
  workspaceId: string,
  phoneOf: () => string,
  count = 3000,
): Promise<Row[]> {
  const connection = await connectDb(database);
  try {
    const deps = {
      query: async <T>(sql: string, parameters: unknown[]): Promise<T> =>
        (await connection.query(sql, parameters))[0] as T,
      hydrate: (row: Record<string, unknown>) =>
        ({ ...row, createdAt: row.created_at }) as unknown as ContactEntity,
      columns: CONTACT_SORT_COLUMNS,
    };
    const status = async (): Promise<number> => {
      const [rows] = (await connection.query(
        "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'",
      )) as unknown as [{ Value: string }[]];
      return Number(rows[0]?.Value ?? 0);
    };
    const lookups: number[] = [];
    const pings: number[] = [];
    let missing = 0;
    const readsBefore = await status();
    for (let n = 0; n < count; n += 1) {
      let started = performance.now();
      const [items] = await searchExact(deps, workspaceId, {
        phone: phoneOf(),
        sort: { field: 'createdAt', order: 'desc' },
        offset: 0,
        limit: 20,
      });
      lookups.push((performance.now() - started) * 1000);
      if (items.length !== 1) missing += 1;
      started = performance.now();
      await connection.query('SELECT 1');
      pings.push((performance.now() - started) * 1000);
    }
    const reads = (await status()) - readsBefore;
    const [sizes] = (await connection.query(
      `SELECT @@innodb_buffer_pool_size AS pool,
        (SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = ?) AS tables`,
      [database],
    )) as unknown as [{ pool: number; tables: number }[]];
    const mb = (bytes: unknown) => Math.round(Number(bytes) / 1024 / 1024);
    const micros = (values: number[]) =>
      `${Math.round(quantile(values, 0.5))} / ${Math.round(quantile(values, 0.99))}`;
    return [
      {
        metric: `database alone, ${count} each: lookup SQL vs SELECT 1, median / p99 µs`,
        value: `${micros(lookups)} vs ${micros(pings)}${missing ? ` (${missing} not found)` : ''}`,
        target: '',
      },
      {
        metric: 'InnoDB buffer-pool reads per lookup (server-wide); pool vs tables, MB',
        value: `${round(reads / count, 2)}; ${mb(sizes[0]?.pool)} vs ${mb(sizes[0]?.tables)}`,
        target: '',
      },
    ];
  } finally {
    await connection.end();
  }
}

import type { ContactEntity } from './contact.entity';
import { searchExact, SORTED_HERE, type ExactSearch, type ExactSearchDeps } from './contact-exact-search';

const COLUMNS = { name: 'name', phone: 'phone', email: 'email', createdAt: 'created_at' };

/** Deps answering `rows` to the row query and `count` to a COUNT, recording the SQL. */
function deps(rows: Record<string, unknown>[], count = rows.length): ExactSearchDeps & { sql: string[] } {
  const sql: string[] = [];
  return {
    sql,
    columns: COLUMNS,
    query: <T>(text: string): Promise<T> => {
      sql.push(text);
      return Promise.resolve((text.includes('COUNT(*)') ? [{ total: count }] : rows) as T);
    },
    hydrate: (row) =>
      ({ id: row.id, createdAt: new Date(row.created_at as string) }) as unknown as ContactEntity,
  };
}

const search = (over: Partial<ExactSearch> = {}): ExactSearch => ({
  phone: '+79160000001',
  sort: { field: 'createdAt', order: 'desc' },
  offset: 0,
  limit: 20,
  ...over,
});

const rows = [
  { id: '0190-a', created_at: '2026-01-01T00:00:00.000Z' },
  { id: '0190-c', created_at: '2026-03-01T00:00:00.000Z' },
  { id: '0190-b', created_at: '2026-03-01T00:00:00.000Z' },
  { id: '0190-d', created_at: '2026-02-01T00:00:00.000Z' },
];

describe('searchExact', () => {
  it('orders the rows of a phone newest first (equal times: higher id first) without ORDER BY or COUNT', async () => {
    const d = deps(rows);
    const [items, total] = await searchExact(d, 'w', search());
    expect(items.map((item) => item.id)).toEqual(['0190-c', '0190-b', '0190-d', '0190-a']);
    expect(total).toBe(4);
    expect(d.sql).toHaveLength(1);
    expect(d.sql[0]).not.toMatch(/ORDER BY|COUNT/);
  });

  it('oldest first when asked, and pages here', async () => {
    const d = deps(rows);
    const [items, total] = await searchExact(
      d,
      'w',
      search({ sort: { field: 'createdAt', order: 'asc' }, offset: 1, limit: 2 }),
    );
    expect([items.map((item) => item.id), total]).toEqual([['0190-d', '0190-b'], 4]);
  });

  it('leaves another order, or more than SORTED_HERE matches, to the server', async () => {
    const byName = deps(rows);
    await searchExact(byName, 'w', search({ sort: { field: 'name', order: 'asc' } }));
    expect(byName.sql[0]).toMatch(/ORDER BY c\.name ASC, c\.id ASC LIMIT \? OFFSET \?/);
    const many = Array.from({ length: SORTED_HERE + 1 }, (_, n) => ({
      id: `id-${n}`,
      created_at: '2026-01-01T00:00:00.000Z',
    }));
    const crowded = deps(many, 5000);
    const [, total] = await searchExact(crowded, 'w', search());
    expect(crowded.sql[1]).toMatch(/ORDER BY c\.created_at DESC, c\.id DESC/);
    expect(total).toBe(5000);
  });
});

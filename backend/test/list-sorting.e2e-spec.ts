import { createConnection, type Connection } from 'mysql2/promise';
import { loginAdmin, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { testServer } from './support/test-database';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Sorting of the server-paged lists (issue #15 §3): `sort=<field>&order=asc|desc` from each list's whitelist,
 * equal values ordered by id in the same direction (stable across pages), anything else a 400 naming `sort`.
 * Rows are written straight into the test database: the order is the server's, not the fixture's.
 */
describe('sorting the lists', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let db: Connection;
  /** Ids that sort in this order (UUIDv7-like, fixed), so ties have a known order. */
  const id = (list: number, n: number) => `0190a0a0-000${list}-7000-8000-00000000000${n}`;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t.url);
    db = await createConnection({ ...testServer(), database: t.config.db.database });
    const ws = admin.user.workspaceId;
    // contacts: two «Анна» (a tie on the name), created in the order 1..4
    const contacts: [number, string, string, string][] = [
      [1, 'Вера', '+79990000003', 'a@example.test'],
      [2, 'Анна', '+79990000001', 'c@example.test'],
      [3, 'Борис', '+79990000002', 'b@example.test'],
      [4, 'Анна', '+79990000004', 'd@example.test'],
    ];
    for (const [n, name, phone, email] of contacts)
      await db.query(
        `INSERT INTO contacts (id, workspace_id, name, phone, email, phones, emails, custom_fields, created_at)
         VALUES (?, ?, ?, ?, ?, '[]', '[]', '[]', ?)`,
        [id(1, n), ws, name, phone, email, new Date(Date.UTC(2026, 0, n))],
      );
    const leads: [number, string, number, number][] = [
      [1, 'Окна', 500, 30],
      [2, 'Двери', 100, 10],
      [3, 'Крыша', 500, 20],
    ];
    for (const [n, name, price, statusId] of leads)
      await db.query(
        `INSERT INTO leads (id, workspace_id, name, price, status_id, pipeline_id, tags, custom_fields, created_at)
         VALUES (?, ?, ?, ?, ?, 1, '[]', '[]', ?)`,
        [id(2, n), ws, name, price, statusId, new Date(Date.UTC(2026, 0, n))],
      );
    const events: [number, string, string][] = [
      [1, 'failed', 'leads.status'],
      [2, 'done', 'contacts.add'],
      [3, 'failed', 'leads.add'],
    ];
    for (const [n, status, type] of events)
      await db.query(
        `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body,
           summary, change_keys, idempotency, settings_version, mode, attempts, retries, history, created_at)
         VALUES (?, ?, 'amocrm', ?, ?, 'application/json', '{}', '{}', '{}', '[]', NULL, 0, 'retry', 1, 0, '[]', ?)`,
        [id(3, n), ws, type, status, new Date(Date.UTC(2026, 0, n))],
      );
    const entries: [number, string, string][] = [
      [1, 'zoe@example.test', 'user.created'],
      [2, 'bob@example.test', 'api_key.created'],
      [3, 'bob@example.test', 'user.deleted'],
    ];
    for (const [n, actor, action] of entries)
      await db.query(
        `INSERT INTO audit_log (id, workspace_id, actor_type, actor_label, action, created_at)
         VALUES (?, ?, 'user', ?, ?, ?)`,
        [id(4, n), ws, actor, action, new Date(Date.UTC(2026, 0, n))],
      );
    const links: [number, number, number][] = [
      [1, 300, 7003],
      [2, 100, 7001],
      [3, 200, 7002],
    ];
    for (const [n, lpId, amoId] of links)
      await db.query(
        `INSERT INTO lptracker_links (id, workspace_id, project_id, lptracker_lead_id, amocrm_lead_id, created_at)
         VALUES (?, ?, 1, ?, ?, ?)`,
        [id(5, n), ws, lpId, amoId, new Date(Date.UTC(2026, 0, n))],
      );
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const ids = async (path: string): Promise<string[]> => {
    const res = await call(`${t.url}${path}`, { token: admin.token });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body.items as { id: string }[])
      .map((item) => item.id)
      .filter((found) => found.startsWith('0190a0a0-'));
  };
  const n =
    (...numbers: number[]) =>
    (list: number) =>
      numbers.map((k) => id(list, k));

  // [list path, list number, sort field, the ascending order (ties by id)]
  const cases: [string, number, string, (list: number) => string[]][] = [
    ['/api/v1/contacts', 1, 'name', n(2, 4, 3, 1)],
    ['/api/v1/contacts', 1, 'phone', n(2, 3, 1, 4)],
    ['/api/v1/contacts', 1, 'email', n(1, 3, 2, 4)],
    ['/api/v1/contacts', 1, 'createdAt', n(1, 2, 3, 4)],
    ['/api/v1/leads', 2, 'name', n(2, 3, 1)],
    ['/api/v1/leads', 2, 'price', n(2, 1, 3)],
    ['/api/v1/leads', 2, 'status', n(2, 3, 1)],
    ['/api/v1/events', 3, 'status', n(2, 1, 3)],
    ['/api/v1/events', 3, 'type', n(2, 3, 1)],
    ['/api/v1/events', 3, 'receivedAt', n(1, 2, 3)],
    ['/api/v1/audit', 4, 'actor', n(2, 3, 1)],
    ['/api/v1/audit', 4, 'action', n(2, 1, 3)],
    ['/api/v1/links', 5, 'lptrackerLeadId', n(2, 3, 1)],
    ['/api/v1/links', 5, 'amocrmLeadId', n(2, 3, 1)],
    ['/api/v1/links', 5, 'createdAt', n(1, 2, 3)],
  ];

  it.each(cases)(
    '%s (fixture %i) by %s: ascending, descending (ties reversed too), asc by default',
    async (path, list, field, asc) => {
      const want = asc(list);
      expect(await ids(`${path}?sort=${field}&order=asc&limit=100`)).toEqual(want);
      expect(await ids(`${path}?sort=${field}&order=desc&limit=100`)).toEqual([...want].reverse());
      expect(await ids(`${path}?sort=${field}&limit=100`)).toEqual(want);
    },
  );

  it('pages of a sorted list follow each other without gaps or repeats (ties broken by id)', async () => {
    const pages = [];
    for (const page of [1, 2]) pages.push(...(await ids(`/api/v1/contacts?sort=name&limit=2&page=${page}`)));
    expect(pages).toEqual(n(2, 4, 3, 1)(1));
  });

  it('without sort, a list stays newest first', async () => {
    expect(await ids('/api/v1/contacts?limit=100')).toEqual(n(4, 3, 2, 1)(1));
    expect(await ids('/api/v1/audit?limit=100')).toEqual(n(3, 2, 1)(4));
  });

  const lists = ['/api/v1/contacts', '/api/v1/leads', '/api/v1/events', '/api/v1/audit', '/api/v1/links'];
  const badQueries: [string, string, string][] = [
    ['an unknown field', 'sort=password', '"password"'],
    ['a column that is not in the list', 'sort=workspace_id', '"workspace_id"'],
    ['__proto__', 'sort=__proto__', '"__proto__"'],
    ['constructor', 'sort=constructor', '"constructor"'],
    ['a repeated sort (an array)', 'sort=id&sort=createdAt', 'given once'],
    ['an empty sort', 'sort=', '""'],
    ['a bad order', 'order=up', '"up"'],
    ['a repeated order', 'order=asc&order=desc', 'given once'],
  ];
  it.each(lists.flatMap((list) => badQueries.map((bad) => [list, ...bad] as const)))(
    '%s refuses %s with 400 problem+json naming the parameter',
    async (list, _what, query, named) => {
      const res = await call(`${t.url}${list}?${query}`, { token: admin.token });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const field = query.startsWith('order') ? 'order' : 'sort';
      expect(res.body.errors[0]).toMatchObject({ field });
      expect(res.body.errors[0].message).toContain(named);
    },
  );
});

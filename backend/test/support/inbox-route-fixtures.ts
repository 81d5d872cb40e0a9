import { randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { Fixture, FixtureContext } from './id-route-fixtures';
import { testServer } from './test-database';

/**
 * Fixtures of the inbox's `:id` routes for the access-control walk (spread into ID_ROUTE_FIXTURES): each makes
 * a failed inbox event of the owner's workspace directly in its test database (no source adapter needed).
 */
export const INBOX_ID_ROUTE_FIXTURES: Record<string, (ctx: FixtureContext) => Promise<Fixture>> = {
  '/api/v1/events/:id': async ({ owner }) => ({
    params: { id: await insertFailedEvent(owner.user.workspaceId) },
  }),
  'POST /api/v1/events/:id/replay': async ({ owner }) => ({
    params: { id: await insertFailedEvent(owner.user.workspaceId) },
    body: { mode: 'as_received' },
  }),
  'POST /api/v1/events/:id/dismiss': async ({ owner }) => ({
    params: { id: await insertFailedEvent(owner.user.workspaceId) },
  }),
};

/** A failed event of `workspaceId` in whichever test database holds that workspace. */
export async function insertFailedEvent(workspaceId: string): Promise<string> {
  const database = await databaseOfWorkspace(workspaceId);
  const connection = await createConnection({ ...testServer(), database });
  try {
    const id = randomUUID();
    await connection.query(
      `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body, summary,
         change_keys, idempotency, settings_version, mode, attempts, retries, last_error, history, processed_at)
       VALUES (?, ?, 'amocrm', 'leads.status', 'failed', 'application/x-www-form-urlencoded', '{}', ?, '{}',
         '[{"key":"lead:status:1:1","entityType":"lead","entityId":"1"}]',
         '{"owned":["lead:status:1:1"],"duplicates":[]}', 0, 'retry', 1, 1, 'fixture failure', '[]', NOW(3))`,
      [id, workspaceId, Buffer.from('leads[status][0][id]=1')],
    );
    return id;
  } finally {
    await connection.end();
  }
}

export async function databaseOfWorkspace(workspaceId: string): Promise<string> {
  const connection = await createConnection(testServer());
  try {
    const [schemas] = (await connection.query(
      "SELECT table_schema AS name FROM information_schema.tables WHERE table_name = 'inbox_events' AND table_schema LIKE 'it\\_%'",
    )) as unknown as [{ name: string }[]];
    for (const { name } of schemas) {
      if (!/^it_[0-9a-f]+$/.test(name)) continue;
      // Another test file may be creating or dropping its database right now: skip what cannot be read.
      const rows = await connection
        .query(`SELECT id FROM \`${name}\`.workspaces WHERE id = ?`, [workspaceId])
        .then(([found]) => found as unknown[])
        .catch(() => []);
      if (rows.length > 0) return name;
    }
  } finally {
    await connection.end();
  }
  throw new Error(`no test database holds workspace ${workspaceId}`);
}

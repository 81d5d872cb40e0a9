import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { apiKeyWithRole, loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

const HOUR = 3_600_000;

/**
 * GET /api/v1/dashboard/capacity by who asks: the platform super-admin sees the whole installation (every
 * workspace together), everybody else their own workspace only (workspace isolation), rows stored in MariaDB.
 */
describe('dashboard capacity: installation for the super-admin, workspace for everybody else', () => {
  let t: TestApp;
  let superAdmin: LoggedIn;
  let second: LoggedIn;

  beforeAll(async () => {
    t = await startTestApp();
    superAdmin = await loginAdmin(t.url);
    second = await secondWorkspace(t.url, superAdmin);
  });
  afterAll(async () => {
    await t.close();
  });

  const capacity = (token: string) => call(`${t.url}/api/v1/dashboard/capacity`, { token });

  async function insertEvents(ws: string, count: number, status: string, createdAt: Date): Promise<void> {
    const processedAt = status === 'done' ? new Date(createdAt.getTime() + 500) : null;
    for (let i = 0; i < count; i++)
      await t.app.get(DataSource).query(
        `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body,
           summary, change_keys, idempotency, settings_version, mode, attempts, retries, history, processed_at,
           created_at, updated_at)
         VALUES (?, ?, 'amocrm', 'leads.add', ?, 'application/json', '{}', ?, '{}', '[]', NULL, 0, 'first', 1, 0,
           '[]', ?, ?, ?)`,
        [randomUUID(), ws, status, Buffer.from('{}'), processedAt, createdAt, createdAt],
      );
  }

  it('sums every workspace for the super-admin; an admin, a viewer and an API key see only their own', async () => {
    const threeHoursAgo = new Date(Date.now() - 3 * HOUR);
    await insertEvents(superAdmin.user.workspaceId, 2, 'done', threeHoursAgo);
    await insertEvents(second.user.workspaceId, 3, 'done', threeHoursAgo);

    const installation = await capacity(superAdmin.token);
    expect(installation.status).toBe(200);
    expect(installation.body.scope).toBe('installation');
    expect(installation.body.webhooks.total).toBe(5);
    expect(installation.body.events.total).toBe(5);

    const secondAdmin = await capacity(second.token);
    expect(secondAdmin.status).toBe(200);
    expect(secondAdmin.body.scope).toBe('workspace');
    expect(secondAdmin.body.webhooks.total).toBe(3);
    expect(secondAdmin.body.events.total).toBe(3);

    // people of the super-admin's own workspace who are not super-admins: that workspace only
    const firstAdmin = await userWithRole(t.url, superAdmin, 'admin');
    const firstViewer = await userWithRole(t.url, superAdmin, 'viewer');
    for (const who of [firstAdmin, firstViewer]) {
      const res = await capacity(who.token);
      expect(res.body.scope).toBe('workspace');
      expect(res.body.events.total).toBe(2);
    }
    // an API key made by the super-admin acts for its workspace, never for the installation
    const key = await apiKeyWithRole(t.url, superAdmin, 'admin');
    const byKey = await call(`${t.url}/api/v1/dashboard/capacity`, { apiKey: key.key });
    expect(byKey.status).toBe(200);
    expect(byKey.body.scope).toBe('workspace');
    expect(byKey.body.webhooks.total).toBe(2);
  });

  it('advises adding a worker only on the installation; a workspace is told to ask the platform admin', async () => {
    // the second workspace's queue grows: 4 events waiting for 10 minutes, nothing finished since
    await insertEvents(second.user.workspaceId, 4, 'queued', new Date(Date.now() - 10 * 60_000));

    const workspace = await capacity(second.token);
    expect(workspace.body.backlog).toBe(4);
    expect(workspace.body.lagSeconds).toBeGreaterThanOrEqual(600);
    expect(workspace.body.advice).toBe('tell_platform_admin');

    const installation = await capacity(superAdmin.token);
    expect(installation.body.backlog).toBe(4);
    expect(installation.body.growth).toBe(4);
    expect(installation.body.advice).toBe('add_worker');

    // the super-admin's own workspace, seen by its admin, waits for nothing
    const firstAdmin = await userWithRole(t.url, superAdmin, 'admin');
    const own = await capacity(firstAdmin.token);
    expect(own.body.backlog).toBe(0);
    expect(own.body.advice).toBe('ok');
  });
});

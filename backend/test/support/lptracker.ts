import { createConnection } from 'mysql2/promise';
import type { LpAccountCredentials, LpTrackerSandbox } from '../../sandbox/lptracker';
import { newId } from '../../src/database/columns';
import { LptrackerClient } from '../../src/lptracker/client/lptracker-client';
import type { LptrackerAccountApi } from '../../src/lptracker/client/lptracker-account-api';
import type { LimiterLane } from '../../src/redis/rate-limiter';
import type { LoggedIn } from './auth';
import { call, type JsonResponse } from './http';
import type { Fixture, FixtureContext } from './id-route-fixtures';
import { databaseOfWorkspace } from './inbox-route-fixtures';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app';
import { testServer } from './test-database';

/** A test app whose LPTracker base URL is the sandbox. */
export function startLptrackerTestApp(
  sandbox: LpTrackerSandbox,
  options: TestAppOptions = {},
): Promise<TestApp> {
  return startTestApp({ ...options, env: { LPTRACKER_BASE_URL: sandbox.url, ...options.env } });
}

/** The LPTracker client of a workspace, as other modules use it. */
export function lptrackerApi(
  t: TestApp,
  workspaceId: string,
  lane: LimiterLane = 'interactive',
): LptrackerAccountApi {
  return t.app.get(LptrackerClient).forWorkspace(workspaceId, lane);
}

/** `PUT /api/v1/connections/lptracker` as the admin. */
export function putConnection(
  t: TestApp,
  admin: LoggedIn,
  body: { login: unknown; password: unknown; projectId: unknown } | Record<string, unknown>,
): Promise<JsonResponse> {
  return call(`${t.url}/api/v1/connections/lptracker`, { method: 'PUT', token: admin.token, body });
}

/** Connects the admin's workspace with the account's login and the given project (its first by default). */
export async function connectLptracker(
  t: TestApp,
  admin: LoggedIn,
  account: LpAccountCredentials,
  projectId: number,
): Promise<JsonResponse> {
  const res = await putConnection(t, admin, { login: account.login, password: account.password, projectId });
  if (res.status !== 200)
    throw new Error(`LPTracker connect failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** An enabled project of a workspace, written straight into its test database (access-control fixtures). */
async function insertEnabledProject(workspaceId: string, projectId: number): Promise<void> {
  const connection = await createConnection({
    ...testServer(),
    database: await databaseOfWorkspace(workspaceId),
  });
  try {
    await connection.query(
      `INSERT INTO lptracker_connections (id, workspace_id, login, status) VALUES (?, ?, 'fixture@example.test', 'connected')
       ON DUPLICATE KEY UPDATE status = status`,
      [newId(), workspaceId],
    );
    await connection.query(
      `INSERT INTO lptracker_projects (id, workspace_id, project_id, name, enabled, enabled_at)
       VALUES (?, ?, ?, 'Fixture project', 1, NOW(3))`,
      [newId(), workspaceId, projectId],
    );
  } finally {
    await connection.end();
  }
}

let nextProjectId = 987_654_000;

/** Fixtures of the LPTracker `:projectId` routes for the access-control walk (spread into ID_ROUTE_FIXTURES). */
export const LPTRACKER_ID_ROUTE_FIXTURES: Record<string, (ctx: FixtureContext) => Promise<Fixture>> = {
  '/api/v1/connections/lptracker/projects/:projectId': async ({ owner }) => {
    const projectId = (nextProjectId += 1);
    await insertEnabledProject(owner.user.workspaceId, projectId);
    return { params: { projectId: String(projectId) } };
  },
};

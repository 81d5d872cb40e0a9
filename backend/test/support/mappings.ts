import { createConnection } from 'mysql2/promise';
import { newId } from '../../src/database/columns';
import { call } from './http';
import type { Fixture, FixtureContext } from './id-route-fixtures';
import { databaseOfWorkspace } from './inbox-route-fixtures';
import { testServer } from './test-database';

let nextProjectId = 987_655_000;

/** A fresh enabled LPTracker project of the owner's workspace, written straight into its test database. */
async function enabledProject({ owner }: FixtureContext): Promise<number> {
  const projectId = (nextProjectId += 1);
  const connection = await createConnection({
    ...testServer(),
    database: await databaseOfWorkspace(owner.user.workspaceId),
  });
  try {
    await connection.query(
      `INSERT INTO lptracker_connections (id, workspace_id, login, status) VALUES (?, ?, 'fixture@example.test', 'connected')
       ON DUPLICATE KEY UPDATE status = status`,
      [newId(), owner.user.workspaceId],
    );
    await connection.query(
      `INSERT INTO lptracker_projects (id, workspace_id, project_id, name, enabled, enabled_at)
       VALUES (?, ?, ?, 'Fixture project', 1, NOW(3))`,
      [newId(), owner.user.workspaceId, projectId],
    );
  } finally {
    await connection.end();
  }
  return projectId;
}

const DIRECTION = 'lptracker_to_amocrm';
const EMPTY_DOCUMENT = {
  lines: [],
  pipelineId: null,
  statusId: null,
  createAs: 'lead',
  stageMap: [],
  userMap: [],
};

/** Fixtures of the mapping routes for the access-control walk (spread into ID_ROUTE_FIXTURES). */
export const MAPPINGS_ID_ROUTE_FIXTURES: Record<string, (ctx: FixtureContext) => Promise<Fixture>> = {
  '/api/v1/mappings/:projectId/fields': async (ctx) => ({
    params: { projectId: String(await enabledProject(ctx)) },
  }),
  '/api/v1/mappings/:projectId/:direction': async (ctx) => ({
    params: { projectId: String(await enabledProject(ctx)), direction: DIRECTION },
    body: EMPTY_DOCUMENT,
  }),
  '/api/v1/mappings/:projectId/:direction/versions': async (ctx) => ({
    params: { projectId: String(await enabledProject(ctx)), direction: DIRECTION },
  }),
  '/api/v1/mappings/:projectId/:direction/versions/:version/restore': async (ctx) => {
    const projectId = await enabledProject(ctx);
    // the owner's first read makes version 1 (the default); written 00000001 so that another workspace's answer
    // cannot name it by chance (a bare 1 is in any answer)
    await call(`${ctx.url}/api/v1/mappings/${projectId}/${DIRECTION}`, { token: ctx.owner.token });
    return { params: { projectId: String(projectId), direction: DIRECTION, version: '00000001' } };
  },
  '/api/v1/mappings/:projectId/:direction/preview': async (ctx) => ({
    params: { projectId: String(await enabledProject(ctx)), direction: DIRECTION },
    body: { document: EMPTY_DOCUMENT },
  }),
};

import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import {
  startLpTrackerSandbox,
  type LpAccountCredentials,
  type LpTrackerSandbox,
} from '../sandbox/lptracker';
import { LPTRACKER_QUEUE, REFRESH_LPTRACKER_METADATA_JOB } from '../src/lptracker/lptracker.constants';
import { LptrackerProjectsService } from '../src/lptracker/connection/lptracker-projects.service';
import { LptrackerMetadataService } from '../src/lptracker/metadata/lptracker-metadata.service';
import { appQuery } from './support/amocrm';
import { loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { connectLptracker, putConnection, startLptrackerTestApp } from './support/lptracker';
import type { TestApp } from './support/test-app';

/**
 * The LPTracker connection against the LPTracker sandbox, real MariaDB and Redis: connect (login, project check,
 * secrets sealed), refusals that store nothing, projects, the metadata cache and who may do what.
 */
describe('LPTracker connection', () => {
  let sandbox: LpTrackerSandbox;
  let t: TestApp;
  let owner: LoggedIn;
  const url = (path = ''): string => `${t.url}/api/v1/connections/lptracker${path}`;

  /** A fresh workspace with its admin, so each test starts unconnected. */
  const freshWorkspace = (): Promise<LoggedIn> => secondWorkspace(t.url, owner, `LPTracker ${Date.now()}`);
  /** A sandbox account with the demo data (project «Сайт» with fields, stages, two staff members). */
  const seededAccount = (): { account: LpAccountCredentials; projectId: number } => {
    const account = sandbox.createAccount({ seed: true });
    return { account, projectId: sandbox.account(account.key).firstProject.id };
  };
  const loginsOf = (account: LpAccountCredentials): number =>
    sandbox.account(account.key).requests({ route: 'POST /login' }).length;
  const storedRows = async (admin: LoggedIn): Promise<{ connections: number; projects: number }> => {
    const [connections] = await appQuery(
      t,
      'SELECT COUNT(*) AS n FROM lptracker_connections WHERE workspace_id = ?',
      [admin.user.workspaceId],
    );
    const [projects] = await appQuery(
      t,
      'SELECT COUNT(*) AS n FROM lptracker_projects WHERE workspace_id = ?',
      [admin.user.workspaceId],
    );
    return { connections: Number(connections.n), projects: Number(projects.n) };
  };

  beforeAll(async () => {
    // Nothing here checks rate limits (test/lptracker-client does): the sandbox's limit is off and ours is raised,
    // so the many connects and metadata refreshes do not wait 1/3 s per request.
    sandbox = await startLpTrackerSandbox({ rps: 0 });
    t = await startLptrackerTestApp(sandbox, { env: { LPTRACKER_RPS: '50' } });
    owner = await loginAdmin(t.url);
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('connects: logs in as this product, stores the password and token sealed, enables the project, caches metadata', async () => {
    const admin = await freshWorkspace();
    const { account, projectId } = seededAccount();
    const before = await call(url(), { token: admin.token });
    expect(before.body).toMatchObject({ connected: false, login: null, projects: [] });

    const res = await connectLptracker(t, admin, account, projectId);
    expect(res.body).toMatchObject({
      connected: true,
      status: 'connected',
      login: account.login,
      projects: [{ id: projectId, name: 'Сайт' }],
      lastError: null,
    });
    expect(Date.parse(res.body.lastOkAt)).not.toBeNaN();
    expect(JSON.stringify(res.body)).not.toContain(account.password);

    const [session] = sandbox.account(account.key).sessions();
    expect(session.service).toMatch(/amoCRM.*LPTracker/);
    const [row] = await appQuery(
      t,
      'SELECT password, token FROM lptracker_connections WHERE workspace_id = ?',
      [admin.user.workspaceId],
    );
    expect(row.password).toMatch(/^v1\./);
    expect(row.password).not.toContain(account.password);
    expect(row.token).toMatch(/^v1\./);
    expect(row.token).not.toContain(session.token);

    const metadata = await call(url('/metadata'), { token: admin.token });
    expect(metadata.status).toBe(200);
    const [project] = metadata.body.projects;
    expect(project).toMatchObject({ projectId, name: 'Сайт' });
    expect(project.customs.map((field: { name: string }) => field.name)).toEqual(
      expect.arrayContaining(['Бюджет', 'Город']),
    );
    expect(project.customs.find((field: { name: string }) => field.name === 'Город').options).toContain(
      'Казань',
    );
    expect(project.contactFields.map((field: { name: string }) => field.name)).toContain('Компания');
    expect(project.funnel.map((stage: { name: string }) => stage.name)).toEqual(
      expect.arrayContaining(['Новый', 'В работе', 'Продажа', 'Отказ']),
    );
    expect(project.staff.map((member: { name: string }) => member.name)).toContain('Анна Соколова');
  });

  it('refuses a wrong password with a 400 naming it, and stores nothing', async () => {
    const admin = await freshWorkspace();
    const { account, projectId } = seededAccount();
    const res = await putConnection(t, admin, {
      login: account.login,
      password: 'not-the-password',
      projectId,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((error: { field: string }) => error.field)).toEqual(['password']);
    expect(JSON.stringify(res.body)).not.toContain('not-the-password');
    expect(await storedRows(admin)).toEqual({ connections: 0, projects: 0 });
    expect((await call(url(), { token: admin.token })).body).toMatchObject({ connected: false, login: null });
  });

  it('refuses a project the login does not see with a 400 naming projectId, and stores nothing', async () => {
    const admin = await freshWorkspace();
    const { account } = seededAccount();
    const other = seededAccount(); // another account's project
    const res = await putConnection(t, admin, {
      login: account.login,
      password: account.password,
      projectId: other.projectId,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((error: { field: string }) => error.field)).toEqual(['projectId']);
    expect(res.body.errors[0].message).toContain('Сайт'); // says which projects the login does see
    expect(await storedRows(admin)).toEqual({ connections: 0, projects: 0 });
  });

  it('lists the login’s projects, enables and disables them (history kept), with metadata per project', async () => {
    const admin = await freshWorkspace();
    const { account, projectId } = seededAccount();
    const second = sandbox
      .account(account.key)
      .addProject({ name: 'Лендинг', stages: ['Первичный', 'Закрыт'] });
    const announced: string[] = []; // what the webhook registration will follow
    t.app.get(LptrackerProjectsService).addListener({
      projectEnabled: (workspaceId, id) => {
        if (workspaceId === admin.user.workspaceId) announced.push(`+${id}`);
        return Promise.resolve();
      },
      projectDisabled: (workspaceId, id) => {
        if (workspaceId === admin.user.workspaceId) announced.push(`-${id}`);
        return Promise.resolve();
      },
    });
    await connectLptracker(t, admin, account, projectId);

    const listed = await call(url('/projects'), { token: admin.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: projectId, name: 'Сайт', enabled: true }),
        expect.objectContaining({ id: second.id, name: 'Лендинг', enabled: false }),
      ]),
    );

    const enabled = await call(url('/projects'), { token: admin.token, body: { projectId: second.id } });
    expect(enabled.status).toBe(200);
    expect(enabled.body.projects.map((project: { id: number }) => project.id).sort()).toEqual(
      [projectId, second.id].sort(),
    );
    const metadata = await call(url('/metadata'), { token: admin.token });
    const landing = metadata.body.projects.find(
      (project: { projectId: number }) => project.projectId === second.id,
    );
    expect(landing.funnel.map((stage: { name: string }) => stage.name)).toEqual(['Первичный', 'Закрыт']);

    const unknown = await call(url('/projects'), { token: admin.token, body: { projectId: 99_999_999 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('projectId');

    const disabled = await call(url(`/projects/${second.id}`), { method: 'DELETE', token: admin.token });
    expect(disabled.status).toBe(204);
    const status = await call(url(), { token: admin.token });
    expect(status.body.projects).toEqual([{ id: projectId, name: 'Сайт' }]);
    const again = await call(url(`/projects/${second.id}`), { method: 'DELETE', token: admin.token });
    expect(again.status).toBe(404);
    expect(announced).toEqual([`+${projectId}`, `+${second.id}`, `-${second.id}`]);
    const kept = await appQuery(
      t,
      'SELECT enabled, disabled_at FROM lptracker_projects WHERE workspace_id = ? AND project_id = ?',
      [admin.user.workspaceId, second.id],
    );
    expect(kept).toHaveLength(1);
    expect(Number(kept[0].enabled)).toBe(0);
    expect(kept[0].disabled_at).not.toBeNull();
    const relisted = await call(url('/projects'), { token: admin.token });
    expect(relisted.body.items.find((project: { id: number }) => project.id === second.id).enabled).toBe(
      false,
    );
  });

  it('connecting another login disables the first login’s projects (history kept) and shows the new one', async () => {
    const admin = await freshWorkspace();
    const first = seededAccount();
    const second = seededAccount();
    await connectLptracker(t, admin, first.account, first.projectId);
    const res = await connectLptracker(t, admin, second.account, second.projectId);
    expect(res.body).toMatchObject({
      login: second.account.login,
      projects: [{ id: second.projectId, name: 'Сайт' }],
    });
    const rows = await appQuery(
      t,
      'SELECT project_id, enabled FROM lptracker_projects WHERE workspace_id = ? ORDER BY project_id',
      [admin.user.workspaceId],
    );
    expect(
      rows.map((row: { project_id: string; enabled: number }) => [
        Number(row.project_id),
        Number(row.enabled),
      ]),
    ).toEqual([
      [first.projectId, 0],
      [second.projectId, 1],
    ]);
    const metadata = await call(url('/metadata'), { token: admin.token });
    expect(metadata.body.projects.map((project: { projectId: number }) => project.projectId)).toEqual([
      second.projectId,
    ]);
  });

  it('serves the metadata from the cache until it is refreshed (on demand, or by the hourly job)', async () => {
    const admin = await freshWorkspace();
    const { account, projectId } = seededAccount();
    await connectLptracker(t, admin, account, projectId);
    const lp = sandbox.account(account.key);
    lp.addCustomField(projectId, { name: 'Промокод', type: 'text' });
    lp.clearRequests();

    const cached = await call(url('/metadata'), { token: admin.token });
    expect(cached.body.projects[0].customs.map((field: { name: string }) => field.name)).not.toContain(
      'Промокод',
    );
    expect(lp.requests()).toHaveLength(0); // read from the cache: no call to LPTracker

    const refreshed = await call(url('/metadata/refresh'), { method: 'POST', token: admin.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.projects[0].customs.map((field: { name: string }) => field.name)).toContain(
      'Промокод',
    );
    const read = await call(url('/metadata'), { token: admin.token });
    expect(read.body.projects[0].customs.map((field: { name: string }) => field.name)).toContain('Промокод');

    lp.addStage(projectId, 'Перезвонить');
    const job = await t.app.get(LptrackerMetadataService).refreshAllConnected();
    expect(job.failed).toBe(0);
    const afterJob = await call(url('/metadata'), { token: admin.token });
    expect(afterJob.body.projects[0].funnel.map((stage: { name: string }) => stage.name)).toContain(
      'Перезвонить',
    );
  });

  it('schedules the hourly metadata refresh in the worker role', async () => {
    const queue = t.app.get<Queue>(getQueueToken(LPTRACKER_QUEUE));
    const repeatable = await queue.getRepeatableJobs();
    expect(repeatable.map((job) => [job.name, Number(job.every)])).toEqual([
      [REFRESH_LPTRACKER_METADATA_JOB, 3_600_000],
    ]);
  });

  it('checks the connection and disconnects: secrets wiped, projects disabled, status not connected', async () => {
    const admin = await freshWorkspace();
    const { account, projectId } = seededAccount();
    await connectLptracker(t, admin, account, projectId);
    const checked = await call(url('/check'), { method: 'POST', token: admin.token });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ connected: true, lastError: null });

    const gone = await call(url(), { method: 'DELETE', token: admin.token });
    expect(gone.status).toBe(204);
    expect((await call(url(), { token: admin.token })).body).toMatchObject({
      connected: false,
      login: null,
      projects: [],
    });
    const [row] = await appQuery(
      t,
      'SELECT password, token FROM lptracker_connections WHERE workspace_id = ?',
      [admin.user.workspaceId],
    );
    expect(row).toEqual({ password: null, token: null });
    const check = await call(url('/check'), { method: 'POST', token: admin.token });
    expect(check.status).toBe(503);
    expect(check.body.type).toBe('urn:problem-type:lptracker-not-connected');
  });

  it('lets every role read the status and metadata; only an admin connects, checks or changes projects', async () => {
    const { account, projectId } = seededAccount();
    await connectLptracker(t, owner, account, projectId);
    const viewer = await userWithRole(t.url, owner, 'viewer');
    const manager = await userWithRole(t.url, owner, 'manager');
    const status = await call(url(), { token: viewer.token });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ connected: true, login: account.login });
    expect((await call(url('/metadata'), { token: viewer.token })).status).toBe(200);
    expect((await call(url('/projects'), { token: viewer.token })).status).toBe(200);

    const logins = loginsOf(account);
    for (const [method, path, body] of [
      ['PUT', '', { login: account.login, password: account.password, projectId }],
      ['POST', '/check', undefined],
      ['POST', '/projects', { projectId }],
      ['DELETE', `/projects/${projectId}`, undefined],
      ['POST', '/metadata/refresh', undefined],
      ['DELETE', '', undefined],
    ] as const) {
      const res = await call(url(path), { method, token: manager.token, body });
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({
        route: `${method} ${path}`,
        status: 403,
      });
    }
    expect(loginsOf(account)).toBe(logins);
    expect((await call(url(), { token: owner.token })).body).toMatchObject({ connected: true });
  });

  it('refuses bad bodies (types, sizes, unknown and prototype keys) before asking LPTracker', async () => {
    const admin = await freshWorkspace();
    const { account, projectId } = seededAccount();
    const logins = loginsOf(account);
    const good = { login: account.login, password: account.password, projectId };
    const cases: [string, string, string][] = [
      ['login as a number', JSON.stringify({ ...good, login: 42 }), 'login'],
      ['empty login', JSON.stringify({ ...good, login: '   ' }), 'login'],
      ['huge password', JSON.stringify({ ...good, password: 'x'.repeat(10_000) }), 'password'],
      ['projectId as text', JSON.stringify({ ...good, projectId: String(projectId) }), 'projectId'],
      ['fractional projectId', JSON.stringify({ ...good, projectId: 1.5 }), 'projectId'],
      ['negative projectId', JSON.stringify({ ...good, projectId: -1 }), 'projectId'],
      ['unknown field', JSON.stringify({ ...good, token: 'abc' }), 'token'],
      [
        'prototype key',
        `{"login":"${account.login}","password":"${account.password}","projectId":0,"__proto__":{"polluted":1}}`,
        'projectId',
      ],
      [
        'constructor key',
        JSON.stringify({ ...good, projectId: 0, constructor: { prototype: { polluted: 1 } } }),
        'projectId',
      ],
    ];
    // the global pipe drops `__proto__` and `constructor` keys (never applies them): with a bad projectId such a
    // body is refused like any other, and no object anywhere in the process gains the key
    for (const [name, body, field] of cases) {
      const res = await call(url(), {
        method: 'PUT',
        token: admin.token,
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      if (field)
        expect({ name, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({
          name,
          fields: expect.arrayContaining([field]),
        });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const enable = await call(url('/projects'), { token: admin.token, body: { projectId: 'all' } });
    expect(enable.status).toBe(400);
    const disable = await call(url('/projects/1e3'), { method: 'DELETE', token: admin.token });
    expect(disable.status).toBe(400);
    expect(disable.body.errors[0].field).toBe('projectId');
    expect(loginsOf(account)).toBe(logins);
    expect(await storedRows(admin)).toEqual({ connections: 0, projects: 0 });
  });
});

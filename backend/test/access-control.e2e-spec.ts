import { randomUUID } from 'node:crypto';
import {
  ACCESS_MATRIX,
  CALLERS,
  OWN_OBJECT_MATRIX,
  isPlatformRow,
  isPublicRow,
  statusesOf,
  type CallerName,
  type MatrixRow,
} from './support/access-matrix';
import {
  NEW_PASSWORD,
  TARGET_MATRIX,
  targetRequest,
  type TargetActor,
  type TargetCase,
  type TargetKind,
} from './support/access-matrix-targets';
import { loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { insertMirrorRows } from './support/contacts';
import { ID_ROUTE_FIXTURES } from './support/id-route-fixtures';
import { insertFailedEvent } from './support/inbox-route-fixtures';
import { fillPath, listRoutes } from './support/routes';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';

const RANDOM_ID = '0190a0a0-0000-7000-8000-000000000000';

interface Auth {
  token?: string;
  apiKey?: string;
}
interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

/** One request, redirects not followed (the OAuth callback answers 302), the body kept as text and JSON. */
async function send(url: string, method: string, path: string, auth: Auth, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.apiKey) headers['x-api-key'] = auth.apiKey;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, {
    method: method === 'ALL' ? 'GET' : method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, body: json };
}

const hasBody = (method: string) => ['POST', 'PUT', 'PATCH'].includes(method);
const splitRoute = (route: string) => route.split(' ') as [string, string];
/** The probe's path: a random id, the amoCRM source with a wrong secret, an unknown path under /webhooks. */
const probePath = (path: string) =>
  fillPath(path, (name) =>
    name === 'source'
      ? 'amocrm'
      : name === 'secret'
        ? 'not-a-secret'
        : name === 'path'
          ? 'no/such'
          : RANDOM_ID,
  );
const describeAnswer = (res: Answer) =>
  `${res.status}${res.status >= 400 ? ` ${res.text.slice(0, 160)}` : ''}`.replace(/\s+/g, ' ');

describe('access control: a hand-written matrix over every registered route', () => {
  let t: TestApp;
  let owner: LoggedIn; // the super-admin, admin of workspace A
  let other: LoggedIn; // admin of workspace B
  const auth = {} as Record<CallerName, Auth>;
  const people = {} as Record<'adminUser' | 'managerUser' | 'viewerUser', LoggedIn>;
  const keyIds = {} as Record<'adminKey' | 'managerKey' | 'viewerKey', { id: string; prefix: string }>;
  /** Data of each workspace that must show in its own lists and never in the other's. */
  const dataOf = { A: [] as string[], B: [] as string[] };
  /** A contact, a lead and a failed event in each workspace. */
  const rowsOf = {} as Record<'A' | 'B', { contactId: string; leadId: string; eventId: string }>;

  const createKey = async (admin: Auth, role: string) => {
    const res = await send(t.url, 'POST', '/api/v1/api-keys', admin, { name: `${role} key`, role });
    if (res.status !== 201) throw new Error(`creating a key failed: ${describeAnswer(res)}`);
    return {
      id: res.body.apiKey.id as string,
      prefix: res.body.apiKey.prefix as string,
      key: res.body.key as string,
    };
  };

  beforeAll(async () => {
    t = await startTestApp();
    owner = await loginAdmin(t.url);
    other = await secondWorkspace(t.url, owner);
    auth.anonymous = {};
    auth.superAdmin = { token: owner.token };
    auth.otherAdmin = { token: other.token };
    for (const role of ['admin', 'manager', 'viewer'] as const) {
      const user = await userWithRole(t.url, owner, role);
      people[`${role}User`] = user;
      auth[`${role}User`] = { token: user.token };
      const key = await createKey({ token: owner.token }, role);
      keyIds[`${role}Key`] = key;
      auth[`${role}Key`] = { apiKey: key.key };
      dataOf.A.push(user.user.id, user.user.email, key.id, key.prefix);
    }
    const otherKey = await createKey({ token: other.token }, 'viewer');
    dataOf.B.push(other.user.id, other.user.email, other.user.workspaceId, otherKey.id, otherKey.prefix);
    dataOf.A.push(owner.user.workspaceId);
    for (const [side, workspaceId] of [
      ['A', owner.user.workspaceId],
      ['B', other.user.workspaceId],
    ] as const) {
      const { contactId, leadId } = await insertMirrorRows(workspaceId, { withLead: true });
      rowsOf[side] = { contactId, leadId: leadId!, eventId: await insertFailedEvent(workspaceId) };
      dataOf[side].push(...Object.values(rowsOf[side]));
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('has exactly one row per registered route, and no row for a route that does not exist', () => {
    const registered = listRoutes(t.app).map((route) => `${route.method} ${route.path}`);
    const named = ACCESS_MATRIX.map((row) => row.route);
    expect({
      missingFromTable: registered.filter((route) => !named.includes(route)),
      notARoute: named.filter((route) => !registered.includes(route)),
      namedTwice: named.filter((route, i) => named.indexOf(route) !== i),
      namingA500: ACCESS_MATRIX.filter((row) =>
        CALLERS.some((caller) => statusesOf(row.expect[caller]).some((s) => s >= 500 && s !== 503)),
      ).map((row) => row.route),
    }).toEqual({ missingFromTable: [], notARoute: [], namedTwice: [], namingA500: [] });
    expect(registered.length).toBeGreaterThan(40);
  });

  it('answers every caller on every route exactly as the matrix says (refusals as problem+json)', async () => {
    const mismatches: string[] = [];
    const check = async (row: MatrixRow) => {
      const [method, path] = splitRoute(row.route);
      // reads: the callers at once; changes (rotate a secret, disconnect…): one after another, as people would
      const callers = method === 'GET' ? [CALLERS] : CALLERS.map((caller) => [caller]);
      for (const batch of callers) await Promise.all(batch.map((caller) => ask(row, method, path, caller)));
    };
    const ask = async (row: MatrixRow, method: string, path: string, caller: CallerName) => {
      const res = await send(t.url, method, probePath(path), auth[caller], hasBody(method) ? {} : undefined);
      const wanted = statusesOf(row.expect[caller]);
      if (!wanted.includes(res.status))
        mismatches.push(`${row.route} as ${caller}: ${describeAnswer(res)} (table: ${wanted.join('|')})`);
      else if ([401, 403].includes(res.status) && !res.contentType.includes('application/problem+json'))
        mismatches.push(`${row.route} as ${caller}: ${res.status} is not problem+json (${res.contentType})`);
    };
    for (const row of ACCESS_MATRIX) await check(row);
    expect(mismatches).toEqual([]);
  });

  it('answers 404 to another workspace for each object reached by a path parameter; its own admin reaches it', async () => {
    // workspace objects only: the platform level (workspaces, which only the super-admin reaches, every one of
    // them by design) has no "another workspace's object"
    const routes = ACCESS_MATRIX.filter(
      (row) => row.route.includes(':') && !isPublicRow(row) && !isPlatformRow(row),
    ).map((r) => r.route);
    const fixtureOf = (route: string) => ID_ROUTE_FIXTURES[route] ?? ID_ROUTE_FIXTURES[splitRoute(route)[1]];
    expect({
      withoutFixture: routes.filter((route) => !fixtureOf(route)),
      withoutOwnAnswer: routes.filter((route) => OWN_OBJECT_MATRIX[route] === undefined),
      ownAnswerForNoRoute: Object.keys(OWN_OBJECT_MATRIX).filter((route) => !routes.includes(route)),
    }).toEqual({ withoutFixture: [], withoutOwnAnswer: [], ownAnswerForNoRoute: [] });

    const mismatches: string[] = [];
    for (const route of routes) {
      const [method, path] = splitRoute(route);
      const fixture = await fixtureOf(route)({ url: t.url, owner });
      const target = fillPath(path, fixture.params);
      const body = hasBody(method) ? (fixture.body ?? {}) : undefined;
      // the other workspace first: had it reached the object (a DELETE…), the owner's answer shows it too
      const res = await send(t.url, method, target, auth.otherAdmin, body);
      if (res.status !== 404) mismatches.push(`${route} by workspace B: ${describeAnswer(res)} (want 404)`);
      for (const value of Object.values(fixture.params)) {
        const { instance: _echoedPath, ...answer } = (res.body ?? {}) as Record<string, unknown>;
        if (JSON.stringify(answer).includes(value))
          mismatches.push(`${route} by workspace B: answer names ${value}`);
      }
      const own = await send(t.url, method, target, auth.adminUser, body);
      const wanted = statusesOf(OWN_OBJECT_MATRIX[route]);
      if (!wanted.includes(own.status))
        mismatches.push(
          `${route} by A's admin on A's object: ${describeAnswer(own)} (want ${wanted.join('|')})`,
        );
    }
    expect(mismatches).toEqual([]);
  });

  it('never lists another workspace’s data, and lists its own', async () => {
    const lists = ACCESS_MATRIX.filter(
      (row) => row.route.startsWith('GET /api/') && !row.route.includes(':'),
    );
    /** Lists that must show a workspace's own data (so an empty answer cannot pass the leak check). */
    const mustShow: Record<string, (side: 'A' | 'B') => string> = {
      '/api/v1/users': (side) => (side === 'A' ? people.adminUser.user.id : other.user.id),
      '/api/v1/contacts?limit=100': (side) => rowsOf[side].contactId,
      '/api/v1/leads?limit=100': (side) => rowsOf[side].leadId,
      '/api/v1/events?limit=100': (side) => rowsOf[side].eventId,
    };
    const mismatches: string[] = [];
    for (const [side, caller, foreign] of [
      ['B', 'otherAdmin', dataOf.A],
      ['A', 'adminUser', dataOf.B],
    ] as const) {
      for (const row of lists.filter((r) => statusesOf(r.expect[caller]).includes(200))) {
        const path = splitRoute(row.route)[1];
        const res = await send(t.url, 'GET', path, auth[caller]);
        if (res.status !== 200) mismatches.push(`${row.route} as ${caller}: ${describeAnswer(res)}`);
        for (const marker of foreign)
          if (res.text.includes(marker)) mismatches.push(`${row.route} as ${caller} shows ${marker}`);
      }
      for (const [path, marker] of Object.entries(mustShow)) {
        const res = await send(t.url, 'GET', path, auth[caller]);
        if (!res.text.includes(marker(side)))
          mismatches.push(`${path} as ${caller} lacks its own ${marker(side)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  // last: on a build with the takeover bug this run really takes the super-admin over
  it('refuses to act on a more privileged target, allows peers, hides other workspaces (and nothing changes when refused)', async () => {
    const actorAuth: Record<TargetActor, Auth> = {
      superAdmin: auth.superAdmin,
      adminUser: auth.adminUser,
      adminKey: auth.adminKey,
      managerUser: auth.managerUser,
      otherAdmin: auth.otherAdmin,
    };
    const inspectorOf = { A: auth.adminUser, B: auth.otherAdmin };
    interface Target {
      id: string;
      side: 'A' | 'B';
      kind: 'user' | 'key';
      email?: string;
      password?: string;
      key?: string;
      isSuperAdmin?: boolean;
    }
    const makeTarget = async (kind: TargetKind): Promise<Target> => {
      if (kind === 'superAdmin')
        return { id: owner.user.id, side: 'A', kind: 'user', ...TEST_ADMIN, isSuperAdmin: true };
      const side = kind === 'otherWorkspaceAdmin' || kind === 'otherWorkspaceKey' ? 'B' : 'A';
      if (kind === 'adminKeyPeer' || kind === 'otherWorkspaceKey') {
        const created = await createKey(inspectorOf[side], 'admin');
        return { id: created.id, side, kind: 'key', key: created.key };
      }
      const email = `target-${randomUUID().slice(0, 8)}@example.test`;
      const password = 'Target-admin-pass-1';
      const res = await send(t.url, 'POST', '/api/v1/users', inspectorOf[side], {
        email,
        password,
        role: 'admin',
      });
      if (res.status !== 201) throw new Error(`creating a target failed: ${describeAnswer(res)}`);
      return { id: res.body.id, side, kind: 'user', email, password, isSuperAdmin: false };
    };
    const login = (email: string, password: string) =>
      send(t.url, 'POST', '/api/v1/auth/login', {}, { email, password });

    /** What a person would check after the call: the change took effect, or nothing changed at all. */
    const effectProblems = async (c: TargetCase, target: Target, done: boolean): Promise<string[]> => {
      const problems: string[] = [];
      if (target.kind === 'key') {
        const res = await send(t.url, 'GET', '/api/v1/users', { apiKey: target.key });
        if (res.status !== (done ? 401 : 200)) problems.push(`the key answers ${res.status} afterwards`);
        return problems;
      }
      const seen = await send(t.url, 'GET', `/api/v1/users/${target.id}`, inspectorOf[target.side]);
      if (done && c.action === 'delete') {
        if (seen.status !== 404) problems.push(`the deleted user still answers ${seen.status}`);
        return problems;
      }
      if (seen.status !== 200) return [`the target answers ${describeAnswer(seen)}`];
      const state = seen.body as { role: string; disabled: boolean; isSuperAdmin: boolean; email: string };
      const want = {
        role: done && c.action === 'role' ? 'viewer' : 'admin',
        disabled: done && c.action === 'disabled',
        isSuperAdmin: target.isSuperAdmin,
        email: target.email,
      };
      const got = {
        role: state.role,
        disabled: state.disabled,
        isSuperAdmin: state.isSuperAdmin,
        email: state.email,
      };
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(`target is ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      const password = done && c.action === 'password' ? NEW_PASSWORD : target.password!;
      if (!(done && c.action === 'disabled')) {
        const res = await login(target.email!, password);
        if (res.status !== 200)
          problems.push(`the target cannot log in with its password: ${describeAnswer(res)}`);
      }
      return problems;
    };

    const mismatches: string[] = [];
    for (const c of TARGET_MATRIX) {
      const target = await makeTarget(c.target);
      const { method, path, body } = targetRequest(c.action, target.id);
      const res = await send(t.url, method, path, actorAuth[c.actor], body);
      const where = `${c.actor} → ${c.action} of ${c.target}`;
      const wanted = statusesOf(c.expect);
      if (!wanted.includes(res.status))
        mismatches.push(`${where}: ${describeAnswer(res)} (want ${wanted.join('|')})`);
      else if (res.status === 403 && !res.contentType.includes('application/problem+json'))
        mismatches.push(`${where}: 403 is not problem+json`);
      const done = res.status >= 200 && res.status < 300;
      for (const problem of await effectProblems(c, target, done)) mismatches.push(`${where}: ${problem}`);
    }
    // the super-admin is still the platform operator: logs in as before and sees every workspace
    const again = await login(TEST_ADMIN.email, TEST_ADMIN.password);
    const workspaces =
      again.status === 200
        ? await send(t.url, 'GET', '/api/v1/workspaces', { token: again.body.accessToken })
        : again;
    const names = JSON.stringify(workspaces.body);
    if (workspaces.status !== 200 || !names.includes(other.user.workspaceId))
      mismatches.push(`the super-admin no longer sees every workspace: ${describeAnswer(workspaces)}`);
    expect(mismatches).toEqual([]);
  }, 180_000);
});

import { loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { ID_ROUTE_FIXTURES } from './support/id-route-fixtures';
import { fillPath, listRoutes, type RouteInfo } from './support/routes';
import { startTestApp, type TestApp } from './support/test-app';

const RANDOM_ID = '0190a0a0-0000-7000-8000-000000000000';
const ROLE_RANK = { viewer: 0, manager: 1, admin: 2 } as const;

interface Caller {
  name: string;
  role: keyof typeof ROLE_RANK;
  superAdmin: boolean;
  auth: { token?: string; apiKey?: string };
}

describe('access control over every registered route', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  let owner: LoggedIn;
  let other: LoggedIn;
  /** Ids and e-mails that belong to workspace A only (the super-admin is a platform operator, not A's data). */
  const ownerMarkers: string[] = [];
  const callers: Caller[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    routes = listRoutes(t.app);
    owner = await loginAdmin(t.url);
    other = await secondWorkspace(t.url, owner);
    callers.push({ name: 'super-admin', role: 'admin', superAdmin: true, auth: { token: owner.token } });
    for (const role of ['admin', 'manager', 'viewer'] as const) {
      const user = await userWithRole(t.url, owner, role);
      callers.push({ name: `${role} user`, role, superAdmin: false, auth: { token: user.token } });
      const key = await call(`${t.url}/api/v1/api-keys`, {
        token: owner.token,
        body: { name: `${role} key`, role },
      });
      ownerMarkers.push(user.user.id, user.user.email, key.body.apiKey.id, key.body.apiKey.prefix);
      callers.push({ name: `${role} API key`, role, superAdmin: false, auth: { apiKey: key.body.key } });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const protectedRoutes = (): RouteInfo[] => routes.filter((route) => !route.isPublic);
  const send = (route: RouteInfo, path: string, auth: Caller['auth'], body?: unknown) =>
    call(`${t.url}${path}`, {
      method: route.method,
      ...auth,
      body: ['POST', 'PUT', 'PATCH'].includes(route.method) ? (body ?? {}) : undefined,
    });

  it('finds the routes to walk', () => {
    expect(protectedRoutes().length).toBeGreaterThan(10);
  });

  it('refuses anonymous callers on every protected route with 401 problem+json', async () => {
    for (const route of protectedRoutes()) {
      const res = await send(
        route,
        fillPath(route.path, () => RANDOM_ID),
        {},
      );
      expect([`${route.method} ${route.path}`, res.status]).toEqual([`${route.method} ${route.path}`, 401]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('lets each role through exactly where its rank allows (users and API keys alike)', async () => {
    for (const route of protectedRoutes()) {
      for (const caller of callers) {
        const isKey = Boolean(caller.auth.apiKey);
        const allowed =
          !(route.usersOnly && isKey) &&
          (route.superAdminOnly
            ? caller.superAdmin
            : !route.requiredRole || ROLE_RANK[caller.role] >= ROLE_RANK[route.requiredRole]);
        const res = await send(
          route,
          fillPath(route.path, () => RANDOM_ID),
          caller.auth,
        );
        const where = `${route.method} ${route.path} as ${caller.name}`;
        if (allowed) expect([where, [401, 403].includes(res.status)]).toEqual([where, false]);
        else expect([where, res.status]).toEqual([where, 403]);
      }
    }
  });

  it('answers 404 for another workspace’s object on every route with a path parameter', async () => {
    const withParams = protectedRoutes().filter((route) => route.path.includes(':') && !route.superAdminOnly);
    const missing = withParams.filter(
      (route) => !ID_ROUTE_FIXTURES[`${route.method} ${route.path}`] && !ID_ROUTE_FIXTURES[route.path],
    );
    expect(missing.map((route) => `${route.method} ${route.path}`)).toEqual([]);
    for (const route of withParams) {
      const fixture = await (
        ID_ROUTE_FIXTURES[`${route.method} ${route.path}`] ?? ID_ROUTE_FIXTURES[route.path]
      )({ url: t.url, owner });
      const res = await send(
        route,
        fillPath(route.path, fixture.params),
        { token: other.token },
        fixture.body,
      );
      const where = `${route.method} ${route.path}`;
      expect([where, res.status]).toEqual([where, 404]);
      const { instance: _echoedPath, ...answer } = res.body; // the problem echoes the path the caller sent; nothing else
      for (const value of Object.values(fixture.params)) expect(JSON.stringify(answer)).not.toContain(value);
      // and the owner still reaches it (the 404 is about the workspace, not a broken route)
      if (route.method === 'GET') {
        const own = await send(route, fillPath(route.path, fixture.params), { token: owner.token });
        expect([where, own.status]).toEqual([where, 200]);
      }
    }
  });

  it('never lists another workspace’s data', async () => {
    const markers = [...ownerMarkers, owner.user.workspaceId];
    for (const route of protectedRoutes().filter(
      (r) => r.method === 'GET' && !r.path.includes(':') && !r.superAdminOnly,
    )) {
      const res = await send(route, route.path, { token: other.token });
      const where = `GET ${route.path}`;
      expect([where, res.status < 500]).toEqual([where, true]);
      const text = JSON.stringify(res.body);
      for (const marker of markers) expect([where, text.includes(marker)]).toEqual([where, false]);
    }
  });
});

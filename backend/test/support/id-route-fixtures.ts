import { ALERTS_ID_ROUTE_FIXTURES } from './alerts';
import { userWithRole, type LoggedIn } from './auth';
import { insertMirrorRows } from './contacts';
import { call } from './http';
import { IMPORTS_ID_ROUTE_FIXTURES } from './imports';
import { INBOX_ID_ROUTE_FIXTURES } from './inbox-route-fixtures';
import { LPTRACKER_ID_ROUTE_FIXTURES } from './lptracker';
import { MAPPINGS_ID_ROUTE_FIXTURES } from './mappings';
import { RULES_ID_ROUTE_FIXTURES } from './rules';

export interface FixtureContext {
  url: string;
  /** Admin of the workspace that owns the objects (the default workspace). */
  owner: LoggedIn;
}

export interface Fixture {
  /** Path parameters of a fresh object of the owner's workspace. */
  params: Record<string, string>;
  /** A valid body for routes that need one, so the request passes validation and reaches the lookup. */
  body?: unknown;
}

/**
 * For every route with a path parameter: how to make an object of workspace A that it addresses.
 * The access-control test fails for a route missing here, so each new `:id` route gets a cross-workspace check.
 * Key: the route path as registered (`/api/v1/users/:id`); optionally `METHOD path` for a per-method body.
 */
export const ID_ROUTE_FIXTURES: Record<string, (ctx: FixtureContext) => Promise<Fixture>> = {
  '/api/v1/users/:id': async ({ url, owner }) => {
    const user = await userWithRole(url, owner, 'viewer');
    return { params: { id: user.user.id }, body: { role: 'manager' } };
  },
  '/api/v1/api-keys/:id': async ({ url, owner }) => {
    const res = await call(`${url}/api/v1/api-keys`, {
      token: owner.token,
      body: { name: 'fixture', role: 'viewer' },
    });
    return { params: { id: res.body.apiKey.id } };
  },
  '/api/v1/contacts/:id': async ({ owner }) => {
    const { contactId } = await insertMirrorRows(owner.user.workspaceId);
    return { params: { id: contactId }, body: { name: 'Renamed' } };
  },
  '/api/v1/leads/:id': async ({ owner }) => {
    const { leadId } = await insertMirrorRows(owner.user.workspaceId, { withLead: true });
    return { params: { id: leadId! }, body: { name: 'Renamed' } };
  },
  ...INBOX_ID_ROUTE_FIXTURES,
  ...LPTRACKER_ID_ROUTE_FIXTURES,
  ...MAPPINGS_ID_ROUTE_FIXTURES,
  ...RULES_ID_ROUTE_FIXTURES,
  ...IMPORTS_ID_ROUTE_FIXTURES,
  ...ALERTS_ID_ROUTE_FIXTURES,
};

/**
 * The access matrix, written down by hand from the product's rules (README "Using the REST API", issue #3:
 * admin > manager > viewer; reads open to every role; contacts, leads and event replay need a manager; users,
 * API keys, audit, the amoCRM connection and its webhook, and changes to the LPTracker connection need an
 * admin; workspaces only the platform super-admin; profile and own password only logged-in people, never an API
 * key; another workspace's object answers 404). It is NOT read from the decorators the guard uses: a dropped or
 * weakened @RequireRole makes test/access-control.e2e-spec.ts fail.
 *
 * Each route is probed with an empty body (POST/PUT/PATCH) and a random id in its `:id`, so an allowed
 * caller gets the answer that probe deserves (400 for an invalid empty body, 404 for the random id, 503 when
 * amoCRM is not connected…). A refused caller gets 401 (anonymous) or 403. Only the statuses named are
 * accepted; a 500 is never named.
 */

/** The callers of the walk; the columns of the table, in this order. */
export const CALLERS = [
  'anonymous',
  'superAdmin', // platform super-admin, admin of workspace A
  'adminUser', // ordinary admin of workspace A
  'managerUser',
  'viewerUser',
  'adminKey', // API keys of workspace A with each role
  'managerKey',
  'viewerKey',
  'otherAdmin', // admin of workspace B
] as const;
export type CallerName = (typeof CALLERS)[number];

/** One status, or the small set of statuses a caller may get (each named on purpose). */
export type Expected = number | readonly number[];

export interface MatrixRow {
  /** `METHOD /path` exactly as registered (`ALL` for @All routes, sent as GET). */
  route: string;
  /** One expected answer per caller, in the order of CALLERS. */
  expect: Record<CallerName, Expected>;
}

const OK = 200;
const ACCEPTED = 202;
const NO_CONTENT = 204;
const FOUND = 302;
const BAD = 400; // the empty probe body is invalid
const ANON = 401;
const DENY = 403;
const MISSING = 404; // the random id, or nothing to show yet
const CONFLICT = 409;
const DOWN = 503; // amoCRM is not connected in the test workspaces

/** A row: the route and one expectation per caller (anonymous, super, admin, manager, viewer, keys a/m/v, other). */
function row(route: string, ...expected: Expected[]): MatrixRow {
  if (expected.length !== CALLERS.length) throw new Error(`${route}: ${expected.length} columns`);
  const expect = Object.fromEntries(CALLERS.map((caller, i) => [caller, expected[i]])) as MatrixRow['expect'];
  return { route, expect };
}

// prettier-ignore
export const ACCESS_MATRIX: readonly MatrixRow[] = [
  //   route                                                anon      super     admin     manager   viewer    adminKey  mgrKey    viewKey   otherAdmin
  // public: health, webhooks, login/refresh/logout, the OAuth callback: the same answer whoever calls
  row('GET /health/live',                                   OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /health/ready',                                  OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  // no METRICS_TOKEN here and the test calls from this machine: served (refusals: test/security-http.e2e-spec.ts)
  row('GET /metrics',                                       OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('POST /webhooks/:source/:secret',                     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('ALL /webhooks',                                      MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('ALL /webhooks/*path',                                MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('POST /api/v1/auth/login',                            BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD),
  row('POST /api/v1/auth/refresh',                          BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD),
  row('POST /api/v1/auth/logout',                           BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD),
  row('GET /api/v1/connections/amocrm/callback',            FOUND,    FOUND,    FOUND,    FOUND,    FOUND,    FOUND,    FOUND,    FOUND,    FOUND),
  // about the logged-in person: every user, never an API key
  row('GET /api/v1/auth/me',                                ANON,     OK,       OK,       OK,       OK,       DENY,     DENY,     DENY,     OK),
  row('POST /api/v1/auth/password',                         ANON,     BAD,      BAD,      BAD,      BAD,      DENY,     DENY,     DENY,     BAD),
  // platform: the super-admin only (never an API key, not another workspace's admin)
  row('GET /api/v1/workspaces',                             ANON,     OK,       DENY,     DENY,     DENY,     DENY,     DENY,     DENY,     DENY),
  row('POST /api/v1/workspaces',                            ANON,     BAD,      DENY,     DENY,     DENY,     DENY,     DENY,     DENY,     DENY),
  row('PATCH /api/v1/workspaces/:id',                       ANON,     BAD,      DENY,     DENY,     DENY,     DENY,     DENY,     DENY,     DENY),
  // turning a workspace off/on and opening it: the super-admin only (the random id: 404); a workspace's own admin,
  // acting on the platform level above them, is refused
  row('POST /api/v1/workspaces/:id/disable',                ANON,     MISSING,  DENY,     DENY,     DENY,     DENY,     DENY,     DENY,     DENY),
  row('POST /api/v1/workspaces/:id/enable',                 ANON,     MISSING,  DENY,     DENY,     DENY,     DENY,     DENY,     DENY,     DENY),
  row('POST /api/v1/workspaces/:id/open',                   ANON,     MISSING,  DENY,     DENY,     DENY,     DENY,     DENY,     DENY,     DENY),
  // where the caller acts (the console's top bar): every caller, each its own workspace
  row('GET /api/v1/workspaces/current',                     ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  // users, API keys, audit: admins (users or admin keys) of their own workspace
  row('GET /api/v1/users',                                  ANON,     OK,       OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  row('POST /api/v1/users',                                 ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('GET /api/v1/users/:id',                              ANON,     MISSING,  MISSING,  DENY,     DENY,     MISSING,  DENY,     DENY,     MISSING),
  row('PATCH /api/v1/users/:id',                            ANON,     MISSING,  MISSING,  DENY,     DENY,     MISSING,  DENY,     DENY,     MISSING),
  row('DELETE /api/v1/users/:id',                           ANON,     MISSING,  MISSING,  DENY,     DENY,     MISSING,  DENY,     DENY,     MISSING),
  row('GET /api/v1/api-keys',                               ANON,     OK,       OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  row('POST /api/v1/api-keys',                              ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('DELETE /api/v1/api-keys/:id',                        ANON,     MISSING,  MISSING,  DENY,     DENY,     MISSING,  DENY,     DENY,     MISSING),
  row('GET /api/v1/audit',                                  ANON,     OK,       OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  // contacts and leads: every role reads the mirror, a manager or more finds-or-creates and updates
  row('GET /api/v1/contacts',                               ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/contacts/:id',                           ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('POST /api/v1/contacts',                              ANON,     BAD,      BAD,      BAD,      DENY,     BAD,      BAD,      DENY,     BAD),
  row('PATCH /api/v1/contacts/:id',                         ANON,     MISSING,  MISSING,  MISSING,  DENY,     MISSING,  MISSING,  DENY,     MISSING),
  row('GET /api/v1/leads',                                  ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/leads/:id',                              ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('POST /api/v1/leads',                                 ANON,     BAD,      BAD,      BAD,      DENY,     BAD,      BAD,      DENY,     BAD),
  row('PATCH /api/v1/leads/:id',                            ANON,     MISSING,  MISSING,  MISSING,  DENY,     MISSING,  MISSING,  DENY,     MISSING),
  // events: every role reads, a manager or more replays and dismisses
  row('GET /api/v1/events',                                 ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/events/stats',                           ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/dashboard/flow',                         ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/dashboard/capacity',                     ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/dashboard/funnel',                       ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/dashboard/amocrm-rate',                  ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/dashboard/checklist',                    ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/events/:id',                             ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('POST /api/v1/events/replay',                         ANON,     ACCEPTED, ACCEPTED, ACCEPTED, DENY,     ACCEPTED, ACCEPTED, DENY,     ACCEPTED),
  row('POST /api/v1/events/:id/replay',                     ANON,     MISSING,  MISSING,  MISSING,  DENY,     MISSING,  MISSING,  DENY,     MISSING),
  row('POST /api/v1/events/:id/dismiss',                    ANON,     MISSING,  MISSING,  MISSING,  DENY,     MISSING,  MISSING,  DENY,     MISSING),
  // the amoCRM connection: every role sees its state and metadata, only an admin changes it
  row('GET /api/v1/connections/amocrm',                     ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('PUT /api/v1/connections/amocrm',                     ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('DELETE /api/v1/connections/amocrm',                  ANON,     NO_CONTENT, NO_CONTENT, DENY,   DENY,     NO_CONTENT, DENY,   DENY,     NO_CONTENT),
  row('GET /api/v1/connections/amocrm/authorize-url',       ANON,     CONFLICT, CONFLICT, DENY,     DENY,     CONFLICT, DENY,     DENY,     CONFLICT),
  // nothing is paused (not connected): resuming is a no-op that answers the connection's state
  row('POST /api/v1/connections/amocrm/resume',             ANON,     OK,       OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  row('GET /api/v1/connections/amocrm/metadata',            ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('POST /api/v1/connections/amocrm/metadata/refresh',   ANON,     DOWN,     DOWN,     DENY,     DENY,     DOWN,     DENY,     DENY,     DOWN),
  // the webhook URL holds a secret: admins only, reads included
  row('GET /api/v1/connections/amocrm/webhook',             ANON,     OK,       OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  row('POST /api/v1/connections/amocrm/webhook',            ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('DELETE /api/v1/connections/amocrm/webhook',          ANON,     DOWN,     DOWN,     DENY,     DENY,     DOWN,     DENY,     DENY,     DOWN),
  row('POST /api/v1/connections/amocrm/webhook/rotate-secret', ANON,  OK,       OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  // reconciliation: every role sees the last pass, an admin runs one
  row('GET /api/v1/connections/amocrm/reconcile',           ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('POST /api/v1/connections/amocrm/reconcile',          ANON,     DOWN,     DOWN,     DENY,     DENY,     DOWN,     DENY,     DENY,     DOWN),
  // the LPTracker connection: every role sees its state, projects and metadata, only an admin changes them;
  // nothing is connected in the test workspaces (503), the empty probe body is invalid (400), the random id is
  // not a project id (400)
  row('GET /api/v1/connections/lptracker',                  ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('PUT /api/v1/connections/lptracker',                  ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('DELETE /api/v1/connections/lptracker',               ANON,     NO_CONTENT, NO_CONTENT, DENY,   DENY,     NO_CONTENT, DENY,   DENY,     NO_CONTENT),
  row('POST /api/v1/connections/lptracker/check',           ANON,     DOWN,     DOWN,     DENY,     DENY,     DOWN,     DENY,     DENY,     DOWN),
  row('GET /api/v1/connections/lptracker/projects',         ANON,     DOWN,     DOWN,     DOWN,     DOWN,     DOWN,     DOWN,     DOWN,     DOWN),
  row('POST /api/v1/connections/lptracker/projects',        ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('DELETE /api/v1/connections/lptracker/projects/:projectId', ANON, BAD,   BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('GET /api/v1/connections/lptracker/metadata',         ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('POST /api/v1/connections/lptracker/metadata/refresh', ANON,    DOWN,     DOWN,     DENY,     DENY,     DOWN,     DENY,     DENY,     DOWN),
  // the LPTracker callback: every role sees it (the URL's secret masked for non-admins), only an admin registers,
  // removes or rotates; registering, removing and reconciling need a connection (503 in the test workspaces)
  row('GET /api/v1/connections/lptracker/webhook',          ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('POST /api/v1/connections/lptracker/webhook',         ANON,     DOWN,     DOWN,     DENY,     DENY,     DOWN,     DENY,     DENY,     DOWN),
  row('DELETE /api/v1/connections/lptracker/webhook',       ANON,     DOWN,     DOWN,     DENY,     DENY,     DOWN,     DENY,     DENY,     DOWN),
  row('POST /api/v1/connections/lptracker/webhook/rotate-secret', ANON, OK,     OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  row('GET /api/v1/connections/lptracker/reconcile',        ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('POST /api/v1/connections/lptracker/reconcile',       ANON,     DOWN,     DOWN,     DENY,     DENY,     DOWN,     DENY,     DENY,     DOWN),
  // LPTracker lead ⇄ amoCRM lead links: every role reads
  row('GET /api/v1/links',                                  ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  // field mappings of LPTracker projects: every role reads them, their versions, the field catalog and previews
  // (nothing is written); only an admin saves or restores (the random id is no project number: 400)
  row('GET /api/v1/mappings',                               ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/mappings/:projectId/fields',             ANON,     BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD),
  row('GET /api/v1/mappings/:projectId/:direction',         ANON,     BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD),
  row('PUT /api/v1/mappings/:projectId/:direction',         ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('GET /api/v1/mappings/:projectId/:direction/versions', ANON,    BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD),
  row('POST /api/v1/mappings/:projectId/:direction/versions/:version/restore', ANON, BAD, BAD, DENY, DENY,   BAD,      DENY,     DENY,     BAD),
  row('POST /api/v1/mappings/:projectId/:direction/preview', ANON,    BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD),
  // spreadsheet imports: every role sees the history and an upload's preview, a manager or more uploads, maps,
  // picks a sheet, deletes and saves templates (the empty probe body has no file: 400)
  row('POST /api/v1/imports',                               ANON,     BAD,      BAD,      BAD,      DENY,     BAD,      BAD,      DENY,     BAD),
  row('GET /api/v1/imports',                                ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/imports/templates',                      ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('POST /api/v1/imports/templates',                     ANON,     BAD,      BAD,      BAD,      DENY,     BAD,      BAD,      DENY,     BAD),
  // the LPTracker projects an import may target, with their fields: every role (none enabled in the walk: empty list)
  row('GET /api/v1/imports/lptracker/projects',             ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  // the amoCRM custom fields an import may write (metadata cache; empty before it loads): every role
  row('GET /api/v1/imports/amocrm/fields',                  ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/imports/:id',                            ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('PUT /api/v1/imports/:id/sheet',                      ANON,     BAD,      BAD,      BAD,      DENY,     BAD,      BAD,      DENY,     BAD),
  row('PUT /api/v1/imports/:id/mapping',                    ANON,     BAD,      BAD,      BAD,      DENY,     BAD,      BAD,      DENY,     BAD),
  row('DELETE /api/v1/imports/:id',                         ANON,     MISSING,  MISSING,  MISSING,  DENY,     MISSING,  MISSING,  DENY,     MISSING),
  // import runs: a manager or more starts, pauses, resumes, cancels; every role follows the progress and the report
  row('POST /api/v1/imports/:id/start',                     ANON,     MISSING,  MISSING,  MISSING,  DENY,     MISSING,  MISSING,  DENY,     MISSING),
  row('POST /api/v1/imports/:id/pause',                     ANON,     MISSING,  MISSING,  MISSING,  DENY,     MISSING,  MISSING,  DENY,     MISSING),
  row('POST /api/v1/imports/:id/resume',                    ANON,     MISSING,  MISSING,  MISSING,  DENY,     MISSING,  MISSING,  DENY,     MISSING),
  row('POST /api/v1/imports/:id/cancel',                    ANON,     MISSING,  MISSING,  MISSING,  DENY,     MISSING,  MISSING,  DENY,     MISSING),
  row('GET /api/v1/imports/:id/progress',                   ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('GET /api/v1/imports/:id/stream',                     ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('GET /api/v1/imports/:id/report.xlsx',                ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  // call results: every role reads the list and the summary; a manager or more records calls (the empty probe: 400)
  row('POST /api/v1/call-results',                          ANON,     BAD,      BAD,      BAD,      DENY,     BAD,      BAD,      DENY,     BAD),
  row('GET /api/v1/call-results',                           ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/call-results/summary',                   ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  // exports of the lists: every role that reads a list may export it
  row('GET /api/v1/contacts/export.csv',                    ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/contacts/export.xlsx',                   ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/leads/export.csv',                       ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/leads/export.xlsx',                      ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/events/export.csv',                      ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/events/export.xlsx',                     ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  // rules: every role reads them, their versions and the export; only an admin creates, changes, orders, imports
  // (the empty probe body is invalid: 400; the random id is no rule: 404; the random id is no version number: 400)
  row('GET /api/v1/rules',                                  ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('POST /api/v1/rules',                                 ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('GET /api/v1/rules/fields',                           ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/rules/export',                           ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('POST /api/v1/rules/import',                          ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('POST /api/v1/rules/reorder',                         ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('GET /api/v1/rules/:id',                              ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('PUT /api/v1/rules/:id',                              ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('DELETE /api/v1/rules/:id',                           ANON,     MISSING,  MISSING,  DENY,     DENY,     MISSING,  DENY,     DENY,     MISSING),
  row('POST /api/v1/rules/:id/enable',                      ANON,     MISSING,  MISSING,  DENY,     DENY,     MISSING,  DENY,     DENY,     MISSING),
  row('POST /api/v1/rules/:id/disable',                     ANON,     MISSING,  MISSING,  DENY,     DENY,     MISSING,  DENY,     DENY,     MISSING),
  row('POST /api/v1/rules/:id/duplicate',                   ANON,     MISSING,  MISSING,  DENY,     DENY,     MISSING,  DENY,     DENY,     MISSING),
  row('GET /api/v1/rules/:id/versions',                     ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('GET /api/v1/rules/:id/versions/:version',            ANON,     BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD,      BAD),
  row('GET /api/v1/rules/:id/diff',                         ANON,     MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING,  MISSING),
  row('POST /api/v1/rules/:id/versions/:version/restore',   ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  // rule dry runs (nothing sent or stored): admins, like every rule change; the empty probe body is invalid
  row('POST /api/v1/rules/test',                            ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('POST /api/v1/rules/backtest',                        ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('POST /api/v1/rules/:id/test',                        ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  row('POST /api/v1/rules/:id/backtest',                    ANON,     BAD,      BAD,      DENY,     DENY,     BAD,      DENY,     DENY,     BAD),
  // alerts: every role reads the list and marks read (the random id: 404); an admin reads and changes the settings
  // (the empty body changes nothing: 200), checks now, and sends the Telegram test (no bot set up: 409)
  row('GET /api/v1/alerts',                                 ANON,     OK,       OK,       OK,       OK,       OK,       OK,       OK,       OK),
  row('GET /api/v1/alerts/settings',                        ANON,     OK,       OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  row('PUT /api/v1/alerts/settings',                        ANON,     OK,       OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  row('POST /api/v1/alerts/telegram/test',                  ANON,     CONFLICT, CONFLICT, DENY,     DENY,     CONFLICT, DENY,     DENY,     CONFLICT),
  row('POST /api/v1/alerts/check',                          ANON,     OK,       OK,       DENY,     DENY,     OK,       DENY,     DENY,     OK),
  // read marks are per person: an API key has no bell (403 before the id is looked at)
  row('POST /api/v1/alerts/:id/read',                       ANON,     MISSING,  MISSING,  MISSING,  MISSING,  DENY,     DENY,     DENY,     MISSING),
];

/**
 * Own vs other workspace object: for each `:param` route, what workspace A's (ordinary) admin gets on a fresh
 * object of A made by the route's fixture (test/support/id-route-fixtures.ts); workspace B's admin always
 * gets 404 for the same object, sent first.
 */
// prettier-ignore
export const OWN_OBJECT_MATRIX: Readonly<Record<string, Expected>> = {
  'GET /api/v1/users/:id':            OK,
  'PATCH /api/v1/users/:id':          OK,         // a viewer made manager
  'DELETE /api/v1/users/:id':         NO_CONTENT,
  'DELETE /api/v1/api-keys/:id':      NO_CONTENT,
  'GET /api/v1/contacts/:id':         OK,
  'PATCH /api/v1/contacts/:id':       DOWN,       // the update goes to amoCRM first, and it is not connected
  'GET /api/v1/leads/:id':            OK,
  'PATCH /api/v1/leads/:id':          DOWN,
  'GET /api/v1/events/:id':           OK,
  'POST /api/v1/events/:id/replay':   ACCEPTED,
  'POST /api/v1/events/:id/dismiss':  OK,
  // an enabled project of A (written by the fixture) is disabled; B does not see it
  'DELETE /api/v1/connections/lptracker/projects/:projectId': NO_CONTENT,
  // an enabled LPTracker project of A (written by the fixture; no CRM metadata): the default is made on the first
  // read, a save and a restore make new versions; the preview finds no event of the fresh project (404)
  'GET /api/v1/mappings/:projectId/fields':       OK,
  'GET /api/v1/mappings/:projectId/:direction':   OK,
  'PUT /api/v1/mappings/:projectId/:direction':   OK,
  'GET /api/v1/mappings/:projectId/:direction/versions': OK,
  'POST /api/v1/mappings/:projectId/:direction/versions/:version/restore': OK,
  'POST /api/v1/mappings/:projectId/:direction/preview': MISSING,
  // an upload of A (a small CSV made by the fixture)
  'GET /api/v1/imports/:id':          OK,
  'PUT /api/v1/imports/:id/sheet':    OK,
  'PUT /api/v1/imports/:id/mapping':  OK,
  'DELETE /api/v1/imports/:id':       NO_CONTENT,
  // the same upload, never started (no mapping): start, pause, resume and cancel refuse with 409
  'POST /api/v1/imports/:id/start':   CONFLICT,
  'POST /api/v1/imports/:id/pause':   CONFLICT,
  'POST /api/v1/imports/:id/resume':  CONFLICT,
  'POST /api/v1/imports/:id/cancel':  CONFLICT,
  'GET /api/v1/imports/:id/progress': OK,
  'GET /api/v1/imports/:id/stream':   OK,
  'GET /api/v1/imports/:id/report.xlsx': OK,
  // a rule of A (made by the fixture, needing no CRM metadata); restore and duplicate make new versions / rules
  'GET /api/v1/rules/:id':                        OK,
  'PUT /api/v1/rules/:id':                        OK,
  'DELETE /api/v1/rules/:id':                     NO_CONTENT,
  'POST /api/v1/rules/:id/enable':                OK,
  'POST /api/v1/rules/:id/disable':               OK,
  'POST /api/v1/rules/:id/duplicate':             201,
  'GET /api/v1/rules/:id/versions':               OK,
  'GET /api/v1/rules/:id/versions/:version':      OK,
  'GET /api/v1/rules/:id/diff':                   OK,
  'POST /api/v1/rules/:id/versions/:version/restore': OK,
  // a dry run of the rule on a payload, a backtest over the (no) stored events
  'POST /api/v1/rules/:id/test':                  OK,
  'POST /api/v1/rules/:id/backtest':              OK,
  // an alert of A (a failed event of A, then a check raises the dead-letter alert)
  'POST /api/v1/alerts/:id/read':                 OK,
};

/** The statuses a caller may get, as a list. */
export function statusesOf(expected: Expected): readonly number[] {
  return typeof expected === 'number' ? [expected] : expected;
}

/** Routes whose probe and own-object checks do not apply (public: nothing of a workspace is addressed). */
export function isPublicRow(row: MatrixRow): boolean {
  return statusesOf(row.expect.anonymous).some((status) => status !== ANON);
}

/** A platform-level route (the workspaces): only the super-admin passes, a workspace's own admin is refused. */
export function isPlatformRow(row: MatrixRow): boolean {
  return (
    statusesOf(row.expect.adminUser).every((status) => status === DENY) &&
    statusesOf(row.expect.superAdmin).every((status) => status !== DENY)
  );
}

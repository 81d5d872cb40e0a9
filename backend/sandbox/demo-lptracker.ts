/**
 * The LPTracker half of the `npm start` demo (scripts/start.mjs): the LPTracker sandbox with its seeded `demo`
 * account (project «Сайт»), connected to the service the way an admin connects a real login in the console:
 * 1. `startDemoLptracker(port)` starts the sandbox in the calling process (the start script, not the service);
 * 2. the service is started with `serviceEnv` (LPTRACKER_BASE_URL pointing at the sandbox);
 * 3. once it answers (and amoCRM is connected), `connect()` logs in as the first admin and, through the REST API,
 *    connects LPTracker with the demo login and project «Сайт» (the default mapping is made on connect) and
 *    registers our callback URL, so a lead a manager makes in the sandbox (`leadCommand()`) reaches the service.
 * The sandbox must reach the service at its PUBLIC_URL: the start script passes the real port.
 */
import {
  adminToken,
  apiBase,
  isRecord,
  notConnected,
  request,
  stringField,
  type AdminLogin,
  type DemoConnectResult,
} from './demo-http';
import { DEMO_LPTRACKER_ACCOUNT, startLpTrackerSandbox, type LpTrackerSandbox } from './lptracker';

/** The seeded project the demo connects. */
export const DEMO_LPTRACKER_PROJECT = 'Сайт';

export interface DemoLptracker {
  /** The sandbox's address (`http://127.0.0.1:4020`). */
  url: string;
  /** The sandbox itself (leads, callbacks, request counts), for tests. */
  sandbox: LpTrackerSandbox;
  /** The id of project «Сайт» in the sandbox. */
  projectId: number;
  /** Ordinary settings for the service: its LPTracker client calls the sandbox. */
  serviceEnv: { LPTRACKER_BASE_URL: string };
  /** Connects the admin's workspace to the demo login and project, registers the callback (never throws). */
  connect(serviceUrl: string, admin: AdminLogin): Promise<DemoConnectResult>;
  /** The control-API body of a new lead a manager makes in LPTracker (the banner's `curl` sends it). */
  leadBody(name?: string, phone?: string): Record<string, unknown>;
  /** A shell command that makes such a lead in the sandbox (printed in the start banner). */
  leadCommand(): string;
  close(): Promise<void>;
}

/** Starts the sandbox on `port` (0: any free port); rejects with `code: 'EADDRINUSE'` when the port is taken. */
export async function startDemoLptracker(port: number): Promise<DemoLptracker> {
  const sandbox = await startLpTrackerSandbox({ port, seedDemo: true });
  const account = sandbox.account(DEMO_LPTRACKER_ACCOUNT.key);
  const project = account.firstProject; // «Сайт», seeded first
  const leadBody = (name = 'Ольга Новикова', phone = '+7 916 000-11-22'): Record<string, unknown> => ({
    name: `Заявка с сайта: ${name}`,
    contact: { project_id: project.id, name, details: [{ type: 'phone', data: phone }] },
    view: { source: 'yandex', campaign: 'demo', keyword: 'кухня на заказ' },
  });
  const leadsUrl = `${sandbox.url}/__sandbox/accounts/${DEMO_LPTRACKER_ACCOUNT.key}/manager/leads`;
  return {
    url: sandbox.url,
    sandbox,
    projectId: project.id,
    serviceEnv: { LPTRACKER_BASE_URL: sandbox.url },
    connect: (serviceUrl, admin) => connectDemo(sandbox, project.id, serviceUrl, admin),
    leadBody,
    leadCommand: () =>
      `curl -s -X POST ${leadsUrl} -H 'content-type: application/json' -d '${JSON.stringify(leadBody())}'`,
    close: () => sandbox.close(),
  };
}

async function connectDemo(
  sandbox: LpTrackerSandbox,
  projectId: number,
  serviceUrl: string,
  admin: AdminLogin,
): Promise<DemoConnectResult> {
  const { login, password } = DEMO_LPTRACKER_ACCOUNT;
  const api = apiBase(serviceUrl);
  const { token, reason } = await adminToken(api, admin);
  if (!token) {
    return notConnected(
      `could not log in as ${admin.email} (${reason}); connect LPTracker on the console's LPTracker page ` +
        `with login "${login}", the password printed by \`npm run sandbox:lptracker -w backend\` and project ${projectId}`,
    );
  }
  const current = await request(`${api}/connections/lptracker`, 'GET', token);
  const currentLogin = current.ok ? stringField(current.body, 'login') : null;
  if (current.ok && isRecord(current.body) && current.body.connected === true && currentLogin !== login) {
    return notConnected(
      `the workspace is already connected to LPTracker as ${currentLogin ?? 'another login'}; the demo login was not connected`,
    );
  }
  const connected = await request(`${api}/connections/lptracker`, 'PUT', token, {
    login,
    password,
    projectId,
  });
  if (!connected.ok) return notConnected(`connecting the LPTracker demo login failed: ${connected.reason}`);
  const lines = [
    `LPTracker sandbox on ${sandbox.url}; the workspace is connected as ${login}, project «${DEMO_LPTRACKER_PROJECT}» (${projectId})`,
  ];
  const hook = await request(`${api}/connections/lptracker/webhook`, 'POST', token, {});
  lines.push(
    hook.ok
      ? 'LPTracker calls the service back: a lead made in the sandbox goes to amoCRM and the Leads page'
      : `registering the LPTracker callback failed: ${hook.reason}`,
  );
  const mapping = await request(`${api}/mappings/${projectId}/lptracker_to_amocrm`, 'GET', token);
  const version = isRecord(mapping.body) ? mapping.body.version : undefined;
  if (mapping.ok && typeof version === 'number') {
    lines.push(
      `LPTracker → amoCRM mapping of the project: version ${version} (the Mappings page changes it)`,
    );
  }
  return { connected: hook.ok, lines };
}

/**
 * The `npm start` demo (scripts/start.mjs): the amoCRM sandbox with its seeded `demo` account, connected to the
 * service exactly the way an admin connects a real account. The service itself knows nothing of the sandbox:
 * 1. `startDemoAmocrm(port)` starts the sandbox in the calling process (the start script, not the service);
 * 2. the service is started with `serviceEnv` (AMOCRM_BASE_URL_TEMPLATE pointing at the sandbox);
 * 3. once it answers, `connect()` logs in as the first admin and, through the REST API the console uses,
 *    connects the workspace with the demo account's long-lived token and subscribes the amoCRM webhook, so a
 *    change made in the sandbox shows on the Events page.
 */
import { DEMO_ACCOUNT, startAmoSandbox, type AmoSandbox } from './amocrm';
import {
  adminToken,
  apiBase,
  notConnected,
  request,
  stringField,
  type AdminLogin,
  type DemoConnectResult,
} from './demo-http';

export type { AdminLogin, DemoConnectResult } from './demo-http';

/** The events the console subscribes by default (every change of a lead or contact; notes are not mirrored). */
export const DEMO_WEBHOOK_EVENTS = [
  'add_lead',
  'update_lead',
  'status_lead',
  'delete_lead',
  'restore_lead',
  'responsible_lead',
  'add_contact',
  'update_contact',
  'delete_contact',
  'restore_contact',
  'responsible_contact',
] as const;

export interface DemoAmocrm {
  /** The sandbox's address (`http://127.0.0.1:4010`). */
  url: string;
  /** The sandbox itself (state, simulated manager changes), for tests. */
  sandbox: AmoSandbox;
  /** Ordinary settings for the service: its amoCRM accounts are looked up on the sandbox. */
  serviceEnv: { AMOCRM_BASE_URL_TEMPLATE: string };
  /** Connects the admin's workspace to the demo account and subscribes the webhook (never throws). */
  connect(serviceUrl: string, admin: AdminLogin): Promise<DemoConnectResult>;
  close(): Promise<void>;
}

/** Starts the sandbox on `port` (0: any free port); rejects with `code: 'EADDRINUSE'` when the port is taken. */
export async function startDemoAmocrm(port: number): Promise<DemoAmocrm> {
  const sandbox = await startAmoSandbox({ port, seedDemo: true });
  return {
    url: sandbox.url,
    sandbox,
    serviceEnv: { AMOCRM_BASE_URL_TEMPLATE: sandbox.baseUrlTemplate },
    connect: (serviceUrl, admin) => connectDemo(sandbox, serviceUrl, admin),
    close: () => sandbox.close(),
  };
}

async function connectDemo(
  sandbox: AmoSandbox,
  serviceUrl: string,
  admin: AdminLogin,
): Promise<DemoConnectResult> {
  const api = apiBase(serviceUrl);
  const { token, reason } = await adminToken(api, admin);
  if (!token) {
    return notConnected(
      `could not log in as ${admin.email} (${reason}); connect amoCRM on the console's connection page ` +
        `with subdomain "${DEMO_ACCOUNT.subdomain}" and the long-lived token printed by \`npm run sandbox\``,
    );
  }
  const current = await request(`${api}/connections/amocrm`, 'GET', token);
  const subdomain = current.ok ? stringField(current.body, 'subdomain') : null;
  const status = current.ok ? stringField(current.body, 'status') : null;
  if (status && status !== 'not_connected' && subdomain && subdomain !== DEMO_ACCOUNT.subdomain) {
    return notConnected(
      `the workspace is already connected to amoCRM ${subdomain}; the demo account was not connected`,
    );
  }
  const connected = await request(`${api}/connections/amocrm`, 'PUT', token, {
    subdomain: DEMO_ACCOUNT.subdomain,
    longLivedToken: DEMO_ACCOUNT.longLivedToken,
  });
  if (!connected.ok) return notConnected(`connecting the demo account failed: ${connected.reason}`);
  const accountName = stringField(connected.body, 'accountName') ?? DEMO_ACCOUNT.name;
  const lines = [
    `amoCRM sandbox on ${sandbox.url}; the workspace is connected to its account "${accountName}"`,
  ];
  const hook = await request(`${api}/connections/amocrm/webhook`, 'POST', token, {
    events: DEMO_WEBHOOK_EVENTS,
  });
  lines.push(
    hook.ok
      ? 'amoCRM sends webhooks to the service: a change made in the sandbox shows on the Events page'
      : `subscribing the amoCRM webhook failed: ${hook.reason}`,
  );
  return { connected: true, lines };
}

import { startAmoSandbox, type AmoSandbox } from '../../sandbox/amocrm';
import type { LpAccountHandle } from '../../sandbox/lptracker/lp-account-handle';
import {
  startLpTrackerSandbox,
  type LpAccountCredentials,
  type LpTrackerSandbox,
} from '../../sandbox/lptracker';
import { WebhookSecretsService } from '../../src/inbox/webhook-secrets.service';
import { appQuery } from './amocrm';
import { loginAdmin, type LoggedIn } from './auth';
import { connectWorkspace, fieldId, type ConnectedWorkspace } from './contacts';
import { call, type JsonResponse } from './http';
import { waitFor } from './inbox';
import { connectLptracker } from './lptracker';
import {
  lptrackerWebhook,
  registerCustomerCallback,
  startCustomerHook,
  type CustomerHook,
} from './lptracker-inbound';
import { startTestApp, type TestApp } from './test-app';

/**
 * Both sandboxes and an app connected to both, as an admin would set it up: amoCRM connected, the LPTracker login
 * and project connected, our callback registered (a customer's callback kept beside it), and the project's
 * LPTracker → amoCRM mapping extended with «Бюджет» (an LPTracker custom field) → amoCRM lead field «Комментарий».
 */
export interface SyncKit {
  amoSandbox: AmoSandbox;
  lpSandbox: LpTrackerSandbox;
  t: TestApp;
  admin: LoggedIn;
  ws: ConnectedWorkspace;
  account: LpAccountCredentials;
  projectId: number;
  customer: CustomerHook;
  hookUrl: string;
  /** LPTracker custom fields: «Бюджет» (mapped to amoCRM «Комментарий») and «Заметка» (unmapped). */
  budgetId: number;
  unmappedId: number;
  commentId: number;
  /** `GET/PUT /api/v1/mappings/:projectId/lptracker_to_amocrm`. */
  mappingUrl: string;
  lp(): LpAccountHandle;
  events(): Promise<any[]>;
  finished(): Promise<boolean>;
  aboutLead(leadId: number): Promise<any[]>;
  detail(eventId: string): Promise<any>;
  links(query: string, token?: string): Promise<JsonResponse>;
  /** A lead made by a manager in LPTracker (its callback follows). */
  newLead(name: string, phone: string, custom?: Record<string, unknown>): { id: number };
  /** The amoCRM lead's «Комментарий». */
  commentOf(amoLeadId: number): unknown;
  /** amoCRM requests other than reads since the last `clearRequests`. */
  amoWrites(): string[];
  close(): Promise<void>;
}

export async function startSyncKit(): Promise<SyncKit> {
  const amoSandbox = await startAmoSandbox({ rps: 1000 });
  const lpSandbox = await startLpTrackerSandbox();
  const customer = await startCustomerHook();
  const t = await startTestApp({
    env: {
      AMOCRM_BASE_URL_TEMPLATE: amoSandbox.baseUrlTemplate,
      AMOCRM_RPS: '50',
      LPTRACKER_BASE_URL: lpSandbox.url,
      WEBHOOK_RETRY_DELAYS: '100ms,200ms',
    },
  });
  const admin = await loginAdmin(t.url);
  const ws = await connectWorkspace(t, admin, amoSandbox);
  const commentId = fieldId(ws.amo, 'leads', 'Комментарий');
  const account = lpSandbox.createAccount({ seed: true });
  const lp = () => lpSandbox.account(account.key);
  const projectId = lp().firstProject.id;
  const budgetId = lp().addCustomField(projectId, { name: 'Бюджет', type: 'text' }).id;
  const unmappedId = lp().addCustomField(projectId, { name: 'Заметка', type: 'text' }).id;
  await registerCustomerCallback(lpSandbox, account, projectId, customer.url);
  await connectLptracker(t, admin, account, projectId);
  if ((await lptrackerWebhook(t.url, admin.token, 'POST')).status !== 200)
    throw new Error('registering our LPTracker callback failed');
  const hookUrl = await t.app.get(WebhookSecretsService).webhookUrl(admin.user.workspaceId, 'lptracker');
  await call(`${t.url}/api/v1/connections/lptracker/metadata/refresh`, {
    method: 'POST',
    token: admin.token,
  });
  const mappingUrl = `${t.url}/api/v1/mappings/${projectId}/lptracker_to_amocrm`;
  const current = await call(mappingUrl, { token: admin.token });
  if (current.status !== 200) throw new Error(`reading the mapping failed: ${current.status}`);
  const document = current.body.document;
  document.lines.push({
    source: `lead.custom.${budgetId}`,
    target: `lead.custom.${commentId}`,
    transform: { type: 'trim' },
  });
  const saved = await call(mappingUrl, { method: 'PUT', token: admin.token, body: document });
  if (saved.status !== 200) throw new Error(`saving the mapping failed: ${JSON.stringify(saved.body)}`);

  const events = async (): Promise<any[]> =>
    appQuery(
      t,
      "SELECT id, status, skip_reason AS skipReason, summary, last_error AS lastError FROM inbox_events WHERE workspace_id = ? AND source IN ('lptracker', 'lptracker-reconcile') ORDER BY id",
      [admin.user.workspaceId],
    );
  return {
    amoSandbox,
    lpSandbox,
    t,
    admin,
    ws,
    account,
    projectId,
    customer,
    hookUrl,
    budgetId,
    unmappedId,
    commentId,
    mappingUrl,
    lp,
    events,
    finished: () =>
      waitFor(
        async () =>
          (await events()).every((event) => !['received', 'queued', 'processing'].includes(event.status)),
        30_000,
        'every LPTracker event finished',
      ),
    aboutLead: async (leadId) =>
      (await events()).filter((event) => JSON.parse(event.summary).leadId === leadId),
    detail: async (id) => (await call(`${t.url}/api/v1/events/${id}`, { token: admin.token })).body,
    links: (query, token = admin.token) => call(`${t.url}/api/v1/links${query}`, { token }),
    newLead: (name, phone, custom = {}) =>
      lp().manager.createLead({
        name,
        custom,
        contact: {
          project_id: projectId,
          name: 'Пётр Иванов',
          details: [
            { type: 'phone', data: phone },
            { type: 'email', data: `${name.length}-${phone.slice(-4)}@Example.RU` },
          ],
        },
      }) as { id: number },
    commentOf: (amoLeadId) =>
      (ws.amo.lead(amoLeadId) as any)?.custom_fields_values?.find(
        (field: any) => field.field_id === commentId,
      )?.values?.[0]?.value,
    amoWrites: () =>
      ws.amo
        .requests()
        .filter((request) => request.method !== 'GET')
        .map((request) => `${request.method} ${request.path.split('?')[0]}`),
    close: async () => {
      await t.close();
      await lpSandbox.close();
      await amoSandbox.close();
      await customer.close();
    },
  };
}

import {
  startLpTrackerSandbox,
  type LpAccountCredentials,
  type LpTrackerSandbox,
} from '../sandbox/lptracker';
import { WebhookSecretsService } from '../src/inbox/webhook-secrets.service';
import { LptrackerReconcileService } from '../src/lptracker-inbound/reconcile/lptracker-reconcile.service';
import { appQuery } from './support/amocrm';
import { loginAdmin, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { deliver, waitFor } from './support/inbox';
import { connectLptracker, startLptrackerTestApp } from './support/lptracker';
import {
  lptrackerWebhook,
  registerCustomerCallback,
  startCustomerHook,
  type CustomerHook,
} from './support/lptracker-inbound';
import type { TestApp } from './support/test-app';

/**
 * LPTracker callbacks through the inbox against the LPTracker sandbox, real MariaDB and Redis: registration that
 * keeps the customer's callbacks, a lead created by a manager arriving once, repeats, an unknown project, bad
 * bodies, and reconciliation catching a lead whose callback was lost.
 */
describe('LPTracker inbound', () => {
  let sandbox: LpTrackerSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let account: LpAccountCredentials;
  let projectId: number;
  let customer: CustomerHook;
  let hookUrl: string;

  const events = async (source = 'lptracker'): Promise<any[]> =>
    appQuery(
      t,
      'SELECT id, status, skip_reason AS skipReason, summary FROM inbox_events WHERE workspace_id = ? AND source = ? ORDER BY id',
      [admin.user.workspaceId, source],
    );
  const detail = async (id: string): Promise<any> =>
    (await call(`${t.url}/api/v1/events/${id}`, { token: admin.token })).body;
  const finished = (source = 'lptracker'): Promise<boolean> =>
    waitFor(
      async () =>
        (await events(source)).length > 0 &&
        (await events(source)).every((event) => !['received', 'queued', 'processing'].includes(event.status)),
      20_000,
      `every ${source} event finished`,
    );
  const manager = () => sandbox.account(account.key).manager;
  const newLead = (name: string): { id: number } =>
    manager().createLead({
      name,
      contact: {
        project_id: projectId,
        name: 'Пётр',
        details: [
          { type: 'phone', data: '8 (916) 555-12-34' },
          { type: 'email', data: 'Petr@Example.RU' },
        ],
      },
    }) as { id: number };
  const form = (payload: string): string => new URLSearchParams({ data: payload }).toString();
  const FORM = 'application/x-www-form-urlencoded';

  beforeAll(async () => {
    sandbox = await startLpTrackerSandbox();
    customer = await startCustomerHook();
    t = await startLptrackerTestApp(sandbox, { env: { WEBHOOK_RETRY_DELAYS: '100ms,200ms' } });
    admin = await loginAdmin(t.url);
    account = sandbox.createAccount({ seed: true });
    projectId = sandbox.account(account.key).firstProject.id;
    await registerCustomerCallback(sandbox, account, projectId, customer.url);
    await connectLptracker(t, admin, account, projectId);
    hookUrl = await t.app.get(WebhookSecretsService).webhookUrl(admin.user.workspaceId, 'lptracker');
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
    await customer?.close();
  });

  it('refuses a callback naming a project that is not enabled here: 403, recorded, nothing stored', async () => {
    const payload = JSON.stringify({ id: 1, project_id: 999_999, action: 'create', action_timestamp: 1 });
    const res = await deliver(hookUrl, form(payload), { contentType: FORM });
    expect(res.status).toBe(403);
    expect(await events()).toEqual([]);
    const rejections = await appQuery(
      t,
      'SELECT reason FROM inbox_rejections WHERE workspace_id = ? AND source = ?',
      [admin.user.workspaceId, 'lptracker'],
    );
    expect(rejections).toEqual([{ reason: 'project_mismatch' }]);
  });

  it.each([
    ['a form without `data`', 'other=1', FORM, 400],
    ['`data` that is not JSON', 'data=%7Bnot-json', FORM, 400],
    [
      'a prototype key',
      JSON.stringify({ id: 1, project_id: 1, action: 'create', __proto__x: 1, constructor: {} }),
      'application/json',
      400,
    ],
    [
      'a __proto__ key',
      '{"id":1,"project_id":1,"action":"create","__proto__":{"admin":true}}',
      'application/json',
      400,
    ],
    ['a body nested 40 deep', `${'['.repeat(40)}${']'.repeat(40)}`, 'application/json', 400],
    [
      'an id of the wrong type',
      JSON.stringify({ id: { a: 1 }, project_id: 1, action: 'create' }),
      'application/json',
      400,
    ],
    ['plain text', 'hello', 'text/plain', 400],
  ])('refuses %s with 400 and stores nothing', async (_name, body, contentType, status) => {
    const res = await deliver(hookUrl, body, { contentType });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await events()).toEqual([]);
  });

  it("registers our callback on the project and keeps the customer's", async () => {
    const before = await lptrackerWebhook(t.url, admin.token);
    expect(before.status).toBe(200);
    expect(before.body.projects).toEqual([{ projectId, registered: false, others: 1, error: null }]);
    const res = await lptrackerWebhook(t.url, admin.token, 'POST');
    expect(res.status).toBe(200);
    expect(res.body.url).toBe(hookUrl);
    expect(res.body.projects).toEqual([{ projectId, registered: true, others: 1, error: null }]);
    const viewer = await userWithRole(t.url, admin, 'viewer');
    const seen = await lptrackerWebhook(t.url, viewer.token);
    expect(seen.status).toBe(200);
    expect(seen.body.projects[0].registered).toBe(true);
    expect(seen.body.url).not.toContain(hookUrl.split('/').pop());
  });

  it('a lead created by a manager arrives once, its detail shows E.164 phones and lower-case e-mails, and, with amoCRM not connected, the trace says it was not written anywhere', async () => {
    const lead = newLead('Окна в дом');
    await sandbox.account(account.key).whenDeliveriesIdle();
    await finished();
    const stored = await events();
    expect(stored).toHaveLength(1);
    expect(stored[0].status).toBe('skipped');
    expect(stored[0].skipReason).toBe('filtered');
    const event = await detail(stored[0].id);
    expect(event.keys).toEqual([expect.stringMatching(new RegExp(`^${projectId}:${lead.id}:create:\\d+$`))]);
    expect(event.changes).toEqual([
      expect.objectContaining({
        id: lead.id,
        projectId,
        action: 'create',
        name: 'Окна в дом',
        contact: expect.objectContaining({ phones: ['+79165551234'], emails: ['petr@example.ru'] }),
      }),
    ]);
    const run = event.history[event.history.length - 1];
    expect(run.steps.map((step: { name: string }) => step.name)).toContain(
      `LPTracker: lead ${lead.id} create (project ${projectId})`,
    );
    expect(run.skipped).toEqual([
      expect.objectContaining({
        reason: 'filtered',
        detail: expect.stringContaining('amoCRM is not connected'),
      }),
    ]);
    // the customer's callback got the lead too
    expect(customer.received.some((body) => body.includes(String(lead.id)))).toBe(true);
  });

  it('the same delivery twice is processed once (the repeat ends skipped as a duplicate)', async () => {
    const lead = newLead('Повтор');
    await sandbox.account(account.key).whenDeliveriesIdle();
    const [sent] = sandbox
      .account(account.key)
      .deliveries()
      .filter((delivery) => delivery.leadId === lead.id && delivery.url === hookUrl);
    const again = await deliver(hookUrl, form(sent.payload), { contentType: FORM });
    expect(again.status).toBe(200);
    await finished();
    const about = (await events()).filter((event) => JSON.parse(event.summary).leadId === lead.id);
    expect(about).toHaveLength(2);
    expect(about.map((event) => event.skipReason).sort()).toEqual(['duplicate', 'filtered']);
  });

  it('a raw JSON body with update fields as a string is accepted', async () => {
    const lead = newLead('JSON');
    await sandbox.account(account.key).whenDeliveriesIdle();
    const body = {
      id: lead.id,
      project_id: projectId,
      action: 'update',
      action_timestamp: Date.now(),
      action_update_fields: 'stage,stage_id',
      contact: { contacts: [{ type: 'phone', data: '+7 916 555 12 34' }] },
    };
    const res = await deliver(hookUrl, body);
    expect(res.status).toBe(200);
    await finished();
    const event = await detail(res.body.id);
    expect(event.changes[0]).toEqual(
      expect.objectContaining({ action: 'update', updateFields: ['stage', 'stage_id'] }),
    );
  });

  it('a project enabled later gets our callback (its leads arrive), a disabled one loses it', async () => {
    const handle = sandbox.account(account.key);
    const second = handle.addProject({ name: 'Второй сайт' });
    const enabled = await call(`${t.url}/api/v1/connections/lptracker/projects`, {
      method: 'POST',
      token: admin.token,
      body: { projectId: second.id },
    });
    expect(enabled.status).toBeLessThan(300);
    expect(handle.project(second.id).callbacks.map((callback) => callback.url)).toEqual([hookUrl]);
    const state = await lptrackerWebhook(t.url, admin.token);
    expect(state.body.projects).toEqual(
      expect.arrayContaining([{ projectId: second.id, registered: true, others: 0, error: null }]),
    );
    const lead = handle.manager.createLead({
      name: 'Со второго сайта',
      contact: { project_id: second.id, name: 'Анна', details: [{ type: 'phone', data: '+79160000001' }] },
    }) as { id: number };
    await handle.whenDeliveriesIdle();
    await finished();
    const arrived = (await events()).filter((event) => JSON.parse(event.summary).leadId === lead.id);
    expect(arrived.map((event) => event.skipReason)).toEqual(['filtered']);

    const disabled = await call(`${t.url}/api/v1/connections/lptracker/projects/${second.id}`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(disabled.status).toBeLessThan(300);
    expect(handle.project(second.id).callbacks).toEqual([]);
  });

  it('rotating the secret moves the callback to the new URL; the old URL stops working', async () => {
    const rotated = await call(`${t.url}/api/v1/connections/lptracker/webhook/rotate-secret`, {
      method: 'POST',
      token: admin.token,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.subscription).toBe('moved');
    expect(rotated.body.url).not.toBe(hookUrl);
    const old = hookUrl;
    hookUrl = rotated.body.url;
    const urls = sandbox
      .account(account.key)
      .project(projectId)
      .callbacks.map((callback) => callback.url);
    expect(urls.sort()).toEqual([customer.url, hookUrl].sort());
    const payload = JSON.stringify({ id: 1, project_id: projectId, action: 'create', action_timestamp: 1 });
    expect((await deliver(old, form(payload), { contentType: FORM })).status).toBe(404);
  });

  it('DELETE removes only our callback; reconciliation then catches a lead whose callback was lost', async () => {
    const removed = await lptrackerWebhook(t.url, admin.token, 'DELETE');
    expect(removed.status).toBe(200);
    expect(removed.body.projects).toEqual([{ projectId, registered: false, others: 1, error: null }]);
    const viewer = await userWithRole(t.url, admin, 'viewer');
    expect((await lptrackerWebhook(t.url, viewer.token, 'DELETE')).status).toBe(403);

    const lost = newLead('Потерянная');
    await sandbox.account(account.key).whenDeliveriesIdle();
    expect((await events()).some((event) => JSON.parse(event.summary).leadId === lost.id)).toBe(false);
    expect(
      customer.received.some(
        (body) => JSON.parse(new URLSearchParams(body).get('data') ?? '{}').id === lost.id,
      ),
    ).toBe(true);

    expect(
      (await call(`${t.url}/api/v1/connections/lptracker/reconcile`, { method: 'POST', token: viewer.token }))
        .status,
    ).toBe(403);
    const pass = await call(`${t.url}/api/v1/connections/lptracker/reconcile`, {
      method: 'POST',
      token: admin.token,
    });
    expect(pass.status).toBe(200);
    expect(pass.body.lastError).toBeNull();
    expect(pass.body.counts.seen).toBeGreaterThan(0);
    await finished('lptracker-reconcile');
    const reconciled = await events('lptracker-reconcile');
    const caught = await Promise.all(reconciled.map((event) => detail(event.id)));
    expect(caught.flatMap((event) => event.changes).map((change: { id: number }) => change.id)).toContain(
      lost.id,
    );

    // a second pass reads the same lead versions again: no new change is processed
    const second = await call(`${t.url}/api/v1/connections/lptracker/reconcile`, {
      method: 'POST',
      token: admin.token,
    });
    expect(second.status).toBe(200);
    await finished('lptracker-reconcile');
    const after = await events('lptracker-reconcile');
    expect(after.slice(reconciled.length).every((event) => event.skipReason === 'duplicate')).toBe(true);
    const state = await call(`${t.url}/api/v1/connections/lptracker/reconcile`, { token: viewer.token });
    expect(state.status).toBe(200);
    expect(state.body.lastSuccessAt).not.toBeNull();

    // the scheduled job runs the same pass for every connected workspace
    const watermark = state.body.watermark as number;
    expect(await t.app.get(LptrackerReconcileService).runAll()).toEqual({ done: 1, failed: 0 });
    const scheduled = await call(`${t.url}/api/v1/connections/lptracker/reconcile`, { token: admin.token });
    expect(scheduled.body.watermark).toBeGreaterThanOrEqual(watermark);
    expect(scheduled.body.runStartedAt).not.toBe(state.body.runStartedAt);
  });
});

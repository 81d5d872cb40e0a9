import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { amocrmApi, connectLongLived, startAmocrmTestApp } from './support/amocrm';
import { loginAdmin, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { INBOX_TEST_ENV, TestDb, waitFor } from './support/inbox';
import type { TestApp } from './support/test-app';

/**
 * The amoCRM webhook of a workspace against the local amoCRM sandbox: subscription through `/api/v4/webhooks`
 * (never two hooks for one URL), drift, secret rotation moving the subscription, and real deliveries from the
 * sandbox landing in the inbox and processed by the amoCRM adapter (`src/amocrm-inbound`) into the mirror.
 */
describe('inbox: the amoCRM webhook, subscribed in the amoCRM sandbox', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let db: TestDb;
  let admin: LoggedIn;
  const hook = async () =>
    (await call(`${t.url}/api/v1/connections/amocrm/webhook`, { token: admin.token })).body;
  const hooksAt = () => sandbox.account('hooks').webhooks();

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    t = await startAmocrmTestApp(sandbox, { env: { ...INBOX_TEST_ENV } });
    db = await TestDb.open(t.config.db);
    admin = await loginAdmin(t.url);
    await connectLongLived(t, admin, sandbox.createAccount({ subdomain: 'hooks', rps: 1000 }));
  });
  afterAll(async () => {
    await db?.close();
    await t?.close();
    await sandbox?.close();
  });

  it('subscribes once per URL, reports drift, and unsubscribes', async () => {
    const before = await hook();
    expect(before).toMatchObject({ events: null, registered: false, registrationUnknownReason: null });
    expect(before.drift).toEqual({ missing: [], unexpected: [], staleDestinations: [] });

    const events = ['status_lead', 'add_lead', 'update_contact'];
    const subscribed = await call(`${t.url}/api/v1/connections/amocrm/webhook`, {
      token: admin.token,
      body: { events },
    });
    expect(subscribed.status).toBe(200);
    expect(subscribed.body).toMatchObject({ url: before.url, events: [...events].sort(), registered: true });
    expect(subscribed.body.drift).toEqual({ missing: [], unexpected: [], staleDestinations: [] });
    await Promise.all(
      [1, 2].map(() =>
        call(`${t.url}/api/v1/connections/amocrm/webhook`, { token: admin.token, body: { events } }),
      ),
    );
    expect(hooksAt().filter((h) => h.destination === before.url)).toHaveLength(1);

    // someone changes the hook in amoCRM by hand: the page shows it
    await amocrmApi(t, admin.user.workspaceId).subscribeWebhook(before.url, ['add_lead', 'delete_lead']);
    expect((await hook()).drift).toEqual({
      missing: ['status_lead', 'update_contact'],
      unexpected: ['delete_lead'],
      staleDestinations: [],
    });
    await call(`${t.url}/api/v1/connections/amocrm/webhook`, { token: admin.token, body: { events } });
    expect((await hook()).drift).toEqual({ missing: [], unexpected: [], staleDestinations: [] });

    const invalid = await call(`${t.url}/api/v1/connections/amocrm/webhook`, {
      token: admin.token,
      body: { events: ['everything'] },
    });
    expect(invalid.status).toBe(400);

    const removed = await call(`${t.url}/api/v1/connections/amocrm/webhook`, {
      method: 'DELETE',
      token: admin.token,
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ events: null, registered: false });
    expect(hooksAt().filter((h) => h.destination === before.url)).toHaveLength(0);
  });

  it('stores and processes what amoCRM really sends, and moves the subscription when the secret rotates', async () => {
    await call(`${t.url}/api/v1/connections/amocrm/webhook`, {
      token: admin.token,
      body: { events: ['add_lead', 'status_lead'] },
    });
    const api = amocrmApi(t, admin.user.workspaceId);
    await api.createLeads([{ name: 'Заявка с сайта' }]);
    await sandbox.account('hooks').whenDeliveriesIdle();
    const delivery = sandbox.account('hooks').deliveries({ event: 'add_lead' })[0];
    expect(delivery).toMatchObject({ state: 'delivered', statusCode: 200 });

    const event = await waitFor(async () => {
      const list = await call(`${t.url}/api/v1/events?source=amocrm&status=done`, { token: admin.token });
      return list.body.items[0];
    });
    expect(event).toMatchObject({ source: 'amocrm', type: 'leads.add', status: 'done' });
    const detail = (await call(`${t.url}/api/v1/events/${event.id}`, { token: admin.token })).body;
    expect(detail.rawBody).toBe(delivery.body);
    expect(detail.headers['user-agent']).toBe('amoCRM-WebHook-client/1.0');
    expect(detail.keys).toEqual([expect.stringMatching(/^leads:add:\d+:\d+~[\w-]{22}$/)]);
    expect((await hook()).lastReceivedAt).toEqual(expect.any(String));

    // amoCRM retries a delivery it thinks failed: acknowledged, not processed again
    const resent = sandbox.account('hooks').resendDelivery(delivery.id);
    await sandbox.account('hooks').whenDeliveriesIdle();
    expect(
      sandbox
        .account('hooks')
        .deliveries()
        .find((d) => d.resendOf === resent.resendOf)?.statusCode,
    ).toBe(200);
    await waitFor(async () => {
      const list = await call(`${t.url}/api/v1/events?source=amocrm&status=skipped`, { token: admin.token });
      return list.body.items[0]?.skipReason === 'duplicate';
    });
    const mirrored = await db.rows('SELECT name FROM leads WHERE workspace_id = ?', [admin.user.workspaceId]);
    expect(mirrored).toEqual([{ name: 'Заявка с сайта' }]);

    const old = (await hook()).url;
    const rotated = await call(`${t.url}/api/v1/connections/amocrm/webhook/rotate-secret`, {
      token: admin.token,
      body: {},
    });
    expect(rotated.body).toMatchObject({ subscription: 'moved', detail: null });
    expect(hooksAt().map((h) => h.destination)).toEqual([rotated.body.url]);
    expect((await hook()).drift).toEqual({ missing: [], unexpected: [], staleDestinations: [] });
    const oldHits = await fetch(old, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: delivery.body,
    });
    expect(oldHits.status).toBe(404);

    await api.createLeads([{ name: 'Вторая заявка' }]);
    await sandbox.account('hooks').whenDeliveriesIdle();
    const last = sandbox.account('hooks').deliveries({ event: 'add_lead' }).at(-1);
    expect(last).toMatchObject({ destination: rotated.body.url, statusCode: 200 });
  });
});

import { DEMO_ACCOUNT } from '../sandbox/amocrm';
import { startDemoAmocrm, type DemoAmocrm } from '../sandbox/demo';
import { amocrmApi, appQuery, connectLongLived } from './support/amocrm';
import { loginAdmin } from './support/auth';
import { call } from './support/http';
import { waitFor } from './support/inbox';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';

/**
 * The `npm start` demo (scripts/start.mjs runs these same steps): the sandbox is started outside the service,
 * the service only gets AMOCRM_BASE_URL_TEMPLATE, and the demo account is connected through the REST API.
 */
describe('npm start demo: the amoCRM sandbox connected like a real account', () => {
  let demo: DemoAmocrm;
  let t: TestApp;

  beforeEach(async () => {
    demo = await startDemoAmocrm(0);
    t = await startTestApp({ env: { ...demo.serviceEnv } });
  });

  afterEach(async () => {
    await t?.close();
    await demo?.close();
  });

  it('connects the admin workspace to the seeded demo account and subscribes the webhook', async () => {
    const result = await demo.connect(t.url, TEST_ADMIN);
    expect(result.connected).toBe(true);
    expect(result.lines.join('\n')).toContain(demo.url);

    const admin = await loginAdmin(t.url);
    const status = await call(`${t.url}/api/v1/connections/amocrm`, { token: admin.token });
    expect(status.body).toMatchObject({
      status: 'connected',
      authKind: 'long_lived',
      subdomain: 'demo',
      accountName: DEMO_ACCOUNT.name,
    });
    const [row] = await appQuery(t, 'SELECT base_url FROM amocrm_connections');
    expect(row.base_url).toBe(`${demo.url}/demo`);
    // the seeded sample data is there
    const contacts = await amocrmApi(t, admin.user.workspaceId).findContactsByQuery('9161234567');
    expect(contacts.length).toBeGreaterThan(0);
    expect((await call(`${t.url}/api/v1/connections/amocrm/metadata`, { token: admin.token })).status).toBe(
      200,
    );

    // a change a manager makes in the sandbox arrives on the Events page
    const hook = await call(`${t.url}/api/v1/connections/amocrm/webhook`, { token: admin.token });
    expect(hook.body).toMatchObject({ registered: true, events: expect.arrayContaining(['add_lead']) });
    const made = await call(`${demo.url}/__sandbox/accounts/demo/manager/leads`, {
      body: { name: 'Сделка менеджера в демо' },
    });
    expect(made.status).toBeLessThan(300);
    const leadId = String(made.body.id);
    await waitFor(
      async () => {
        const events = await call(`${t.url}/api/v1/events?type=leads.add&search=${leadId}`, {
          token: admin.token,
        });
        return events.body.items?.[0]?.status === 'done';
      },
      15_000,
      'the demo webhook processed',
    );

    // a second start connects again without a second hook
    expect((await demo.connect(t.url, TEST_ADMIN)).connected).toBe(true);
    expect(demo.sandbox.account('demo').webhooks()).toHaveLength(1);
  });

  it('leaves a workspace connected to another amoCRM account alone', async () => {
    const admin = await loginAdmin(t.url);
    await connectLongLived(t, admin, demo.sandbox.createAccount({ subdomain: 'realco' }));

    const result = await demo.connect(t.url, TEST_ADMIN);
    expect(result.connected).toBe(false);
    expect(result.lines.join('\n')).toContain('already connected to amoCRM realco');
    const status = await call(`${t.url}/api/v1/connections/amocrm`, { token: admin.token });
    expect(status.body).toMatchObject({ status: 'connected', subdomain: 'realco' });
  });

  it('says why when it cannot log in, and connects nothing', async () => {
    const result = await demo.connect(t.url, { email: TEST_ADMIN.email, password: 'not-the-password-1' });
    expect(result.connected).toBe(false);
    expect(result.lines.join('\n')).toMatch(new RegExp(`could not log in as ${TEST_ADMIN.email} \\(.+\\)`));
    const admin = await loginAdmin(t.url);
    const status = await call(`${t.url}/api/v1/connections/amocrm`, { token: admin.token });
    expect(status.body.status).toBe('not_connected');
  });
});

import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_ACCOUNT } from '../sandbox/amocrm';
import { startDemoAmocrm, type DemoAmocrm } from '../sandbox/demo';
import { startDemoLptracker, type DemoLptracker } from '../sandbox/demo-lptracker';
import { DEMO_LPTRACKER_ACCOUNT } from '../sandbox/lptracker';
import { amocrmApi, appQuery, connectLongLived } from './support/amocrm';
import { loginAdmin } from './support/auth';
import { call } from './support/http';
import { waitFor } from './support/inbox';
import { connectLptracker } from './support/lptracker';
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

/**
 * The LPTracker half of the demo: the LPTracker sandbox started outside the service, the service only gets
 * LPTRACKER_BASE_URL, the demo login and project «Сайт» connected (default mapping) and our callback registered
 * through the REST API, and a lead made with the banner's command lands in the amoCRM sandbox and the Leads list.
 */
describe('npm start demo: the LPTracker sandbox connected like a real login', () => {
  let amocrm: DemoAmocrm;
  let lptracker: DemoLptracker;
  let t: TestApp;

  beforeEach(async () => {
    amocrm = await startDemoAmocrm(0);
    lptracker = await startDemoLptracker(0);
    t = await startTestApp({ env: { ...amocrm.serviceEnv, ...lptracker.serviceEnv } });
    expect((await amocrm.connect(t.url, TEST_ADMIN)).connected).toBe(true);
  });

  afterEach(async () => {
    await t?.close();
    await lptracker?.close();
    await amocrm?.close();
  });

  const ourCallbacks = (): { url: string }[] =>
    lptracker.sandbox
      .account(DEMO_LPTRACKER_ACCOUNT.key)
      .project(lptracker.projectId)
      .callbacks.filter((callback) => callback.url.startsWith(`${t.url}/webhooks/lptracker/`));

  it('connects the demo login and project «Сайт», registers the callback, and a lead made with the banner command lands in amoCRM and on the Leads page', async () => {
    const result = await lptracker.connect(t.url, TEST_ADMIN);
    expect(result.connected).toBe(true);
    expect(result.lines.join('\n')).toContain(lptracker.url);
    expect(result.lines.join('\n')).toContain('«Сайт»');

    const admin = await loginAdmin(t.url);
    const status = await call(`${t.url}/api/v1/connections/lptracker`, { token: admin.token });
    expect(status.body).toMatchObject({
      connected: true,
      login: DEMO_LPTRACKER_ACCOUNT.login,
      projects: [{ id: lptracker.projectId, name: 'Сайт' }],
    });
    const hook = await call(`${t.url}/api/v1/connections/lptracker/webhook`, { token: admin.token });
    expect(hook.body.projects).toEqual([
      expect.objectContaining({ projectId: lptracker.projectId, registered: true }),
    ]);
    expect(ourCallbacks()).toHaveLength(1);

    // the banner's command, run as the user would run it, makes a lead as a manager in LPTracker
    const command = lptracker.leadCommand();
    expect(command).toContain(`${lptracker.url}/__sandbox/accounts/demo/manager/leads`);
    // (asynchronously: the sandbox answering it runs in this process)
    const made = await promisify(execFile)('sh', ['-c', command], { encoding: 'utf8', timeout: 15_000 });
    const leadId = String((JSON.parse(made.stdout) as { id: number }).id);
    const events = async (): Promise<any[]> =>
      (await call(`${t.url}/api/v1/events?source=lptracker&search=${leadId}`, { token: admin.token })).body
        .items ?? [];
    await waitFor(
      async () =>
        (await events()).some((event) => !['received', 'queued', 'processing'].includes(event.status)),
      15_000,
      'the LPTracker callback of the demo lead processed',
    );
    expect((await events()).map((event) => event.status)).toEqual(['done']);

    // …into the amoCRM sandbox (one lead, with its contact) and onto the Leads page, linked to the LPTracker lead
    const name = String(lptracker.leadBody().name);
    const inAmo = amocrm.sandbox
      .account('demo')
      .leads()
      .filter((lead) => lead.name === name);
    expect(inAmo).toHaveLength(1);
    const leads = await call(`${t.url}/api/v1/leads?search=${encodeURIComponent(name)}`, {
      token: admin.token,
    });
    expect(leads.body.items).toEqual([expect.objectContaining({ name, amocrmId: inAmo[0].id })]);
    const links = await call(`${t.url}/api/v1/links?lptrackerLeadId=${leadId}`, { token: admin.token });
    expect(links.body.items).toEqual([
      expect.objectContaining({ projectId: lptracker.projectId, amocrmLeadId: inAmo[0].id }),
    ]);

    // a second start connects again without a second callback
    expect((await lptracker.connect(t.url, TEST_ADMIN)).connected).toBe(true);
    expect(ourCallbacks()).toHaveLength(1);
  });

  it('leaves a workspace connected to another LPTracker login alone', async () => {
    const admin = await loginAdmin(t.url);
    const other = lptracker.sandbox.createAccount({ seed: true });
    await connectLptracker(t, admin, other, lptracker.sandbox.account(other.key).firstProject.id);

    const result = await lptracker.connect(t.url, TEST_ADMIN);
    expect(result.connected).toBe(false);
    expect(result.lines.join('\n')).toContain(`already connected to LPTracker as ${other.login}`);
    const status = await call(`${t.url}/api/v1/connections/lptracker`, { token: admin.token });
    expect(status.body).toMatchObject({ connected: true, login: other.login });
    expect(ourCallbacks()).toHaveLength(0);
  });
});

/** scripts/start-env.mjs, run the way `npm start` runs it: the banner and PUBLIC_URL follow a PORT set in the shell. */
describe('npm start: the address the service gets', () => {
  const START_ENV = join(__dirname, '..', '..', 'scripts', 'start-env.mjs');
  const address = (envFile: string, shell: Record<string, string>): Record<string, string> => {
    const script =
      `import { readSettings, serviceAddress } from ${JSON.stringify(START_ENV)};` +
      `const { env, file } = readSettings(${JSON.stringify(envFile)}, process.env);` +
      'console.log(JSON.stringify(serviceAddress(env, file, process.env)));';
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...shell },
    });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as Record<string, string>;
  };
  const WRITTEN = 'PORT=3000\nPUBLIC_URL=http://localhost:3000\n';

  it('shows the port set in the shell, not the one .env was written with', () => {
    expect(address(WRITTEN, { PORT: '4123' })).toEqual({
      port: '4123',
      url: 'http://localhost:4123',
      publicUrl: 'http://localhost:4123',
    });
    expect(address('PUBLIC_URL=http://localhost:3000\n', { PORT: '4124' }).publicUrl).toBe(
      'http://localhost:4124',
    );
    expect(address(WRITTEN, {})).toMatchObject({ port: '3000', publicUrl: 'http://localhost:3000' });
  });

  it('keeps a PUBLIC_URL that is not the local default', () => {
    expect(address('PORT=3000\nPUBLIC_URL=https://crm.example.ru/\n', { PORT: '4125' })).toEqual({
      port: '4125',
      url: 'http://localhost:4125',
      publicUrl: 'https://crm.example.ru',
    });
    expect(address(WRITTEN, { PORT: '4126', PUBLIC_URL: 'http://localhost:3000' }).publicUrl).toBe(
      'http://localhost:3000',
    );
  });
});

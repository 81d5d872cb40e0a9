import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { startLpTrackerSandbox, type LpTrackerSandbox } from '../sandbox/lptracker';
import { connectLongLived } from './support/amocrm';
import { loginAdmin, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { connectLptracker } from './support/lptracker';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * LPTracker connected before amoCRM: the default mapping made then has no amoCRM pipeline, fields or maps. Once
 * amoCRM is connected, the untouched default is completed as a new version (never an admin's edited mapping).
 */
describe('Default mapping when LPTracker is connected before amoCRM', () => {
  let amoSandbox: AmoSandbox;
  let lpSandbox: LpTrackerSandbox;
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    amoSandbox = await startAmoSandbox({ rps: 1000 });
    lpSandbox = await startLpTrackerSandbox();
    t = await startTestApp({
      env: {
        AMOCRM_BASE_URL_TEMPLATE: amoSandbox.baseUrlTemplate,
        AMOCRM_RPS: '50',
        LPTRACKER_BASE_URL: lpSandbox.url,
      },
    });
    admin = await loginAdmin(t.url);
  });

  afterAll(async () => {
    await t?.close();
    await lpSandbox?.close();
    await amoSandbox?.close();
  });

  it('completes the bare default once amoCRM is connected, as version 2, and only once', async () => {
    const lpAccount = lpSandbox.createAccount({ seed: true });
    const lp = lpSandbox.account(lpAccount.key);
    const projectId = lp.firstProject.id;
    await connectLptracker(t, admin, lpAccount, projectId);
    const forward = `${t.url}/api/v1/mappings/${projectId}/lptracker_to_amocrm`;

    const bare = await call(forward, { token: admin.token });
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({ version: 1, origin: 'default', document: { pipelineId: null } });

    const amoAccount = amoSandbox.createAccount();
    const amo = amoSandbox.account(amoAccount.subdomain);
    amo.addCustomField('leads', { name: 'Источник', type: 'text' });
    await connectLongLived(t, admin, amoAccount);

    const completed = await call(forward, { token: admin.token });
    expect(completed.status).toBe(200);
    expect(completed.body.version).toBe(2);
    expect(completed.body.origin).toBe('default');
    expect(completed.body.document.pipelineId).toEqual(expect.any(Number));
    expect(completed.body.document.statusId).toEqual(expect.any(Number));
    expect(completed.body.document.lines).toContainEqual(
      expect.objectContaining({
        source: 'view.source',
        target: expect.stringMatching(/^lead\.custom\.\d+$/),
      }),
    );

    const again = await call(forward, { token: admin.token });
    expect(again.body.version).toBe(2);
    const versions = await call(`${forward}/versions`, { token: admin.token });
    expect(versions.body.items.map((item: { version: number }) => item.version)).toEqual([2, 1]);
  });
});

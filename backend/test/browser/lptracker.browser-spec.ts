/// <reference lib="dom" />
import { startLpTrackerSandbox, type LpTrackerSandbox } from '../../sandbox/lptracker';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';
import { logInThroughForm, openBrowser, type BrowserSession } from './browser';

describe('LPTracker connection in a real browser', () => {
  let sandbox: LpTrackerSandbox;
  let t: TestApp;
  let b: BrowserSession;

  beforeAll(async () => {
    sandbox = await startLpTrackerSandbox();
    t = await startTestApp({ env: { SERVE_CONSOLE: 'true', LPTRACKER_BASE_URL: sandbox.url } });
    b = await openBrowser(t.url);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
    await sandbox?.close();
  });

  it('connects LPTracker, keeps the project after a reload, and disables and enables a second project', async () => {
    // no rate limit to wait out: the console flow is what is tested here, not the limiter
    const account = sandbox.createAccount({ seed: true, rps: 0 });
    const lp = sandbox.account(account.key);
    const site = lp.firstProject;
    const landing = lp.addProject({ name: 'Лендинг «Весна»' });
    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);

    await page.getByTestId('nav-lptracker').click();
    await page.locator('[data-testid="lptracker-status"][data-status="not_connected"]').waitFor();

    // a wrong password first: the form says so under the password, nothing is connected
    await page.getByTestId('lptracker-login').fill(account.login);
    await page.getByTestId('lptracker-password').fill('not-the-password');
    await page.getByTestId('lptracker-project-id').fill(String(site.id));
    await page.getByTestId('lptracker-connect-submit').click();
    await page.getByTestId('lptracker-password-error').waitFor();
    expect(await page.getByTestId('lptracker-password-error').innerText()).toContain(
      'LPTracker не принял этот логин и пароль',
    );

    await page.getByTestId('lptracker-password').fill(account.password);
    await page.getByTestId('lptracker-connect-submit').click();
    await page.locator('[data-testid="lptracker-status"][data-status="connected"]').waitFor();
    expect(await page.getByTestId('lptracker-enabled-projects').innerText()).toBe(site.name);
    expect(await page.getByTestId('lptracker-login-value').innerText()).toBe(account.login);
    // the metadata of the project is shown (the seeded funnel)
    await page.locator(`[data-testid="lptracker-metadata-project"][data-project-id="${site.id}"]`).waitFor();

    await page.reload();
    await page.locator('[data-testid="lptracker-status"][data-status="connected"]').waitFor();
    expect(await page.getByTestId('lptracker-enabled-projects').innerText()).toBe(site.name);
    expect(new URL(page.url()).pathname).toBe('/connections/lptracker');

    // the second project the login sees: enable it, then disable it again (after the confirmation)
    const landingToggle = page.getByTestId(`lptracker-project-toggle-${landing.id}`);
    await page
      .locator(`[data-testid="lptracker-project-toggle-${landing.id}"][data-enabled="false"]`)
      .waitFor();
    await landingToggle.locator('button').click();
    await page
      .locator(`[data-testid="lptracker-project-toggle-${landing.id}"][data-enabled="true"]`)
      .waitFor();
    await page.getByTestId('lptracker-enabled-projects').filter({ hasText: landing.name }).waitFor();
    expect(await page.getByTestId('lptracker-enabled-projects').innerText()).toBe(
      `${site.name}, ${landing.name}`,
    );

    await landingToggle.locator('button').click();
    await page.getByTestId('confirm-ok').click();
    await page
      .locator(`[data-testid="lptracker-project-toggle-${landing.id}"][data-enabled="false"]`)
      .waitFor();
    await page.getByTestId('lptracker-enabled-projects').filter({ hasNotText: landing.name }).waitFor();

    // what the server says agrees with the page
    await page.reload();
    await page
      .locator(`[data-testid="lptracker-project-toggle-${landing.id}"][data-enabled="false"]`)
      .waitFor();
    expect(await page.getByTestId('lptracker-enabled-projects').innerText()).toBe(site.name);

    // the callback: added to the enabled project after the confirmation, shown as registered, kept by the sandbox
    await page.getByTestId('lptracker-webhook-register').click();
    await page.getByTestId('confirm-ok').click();
    await page
      .locator(
        `[data-testid="lptracker-webhook-project"][data-project-id="${site.id}"][data-registered="true"]`,
      )
      .waitFor();
    const url = await page.getByTestId('lptracker-webhook-url').innerText();
    expect(url).toContain('/webhooks/lptracker/');
    expect(lp.project(site.id).callbacks.map((callback) => callback.url)).toContain(url.trim());
    expect(lp.project(landing.id).callbacks).toHaveLength(0);
  });
});

/// <reference lib="dom" />
import { startAmoSandbox, type AmoSandbox } from '../../sandbox/amocrm';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';
import { logInThroughForm, openBrowser, type BrowserSession } from './browser';

describe('console flows in a real browser', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let b: BrowserSession;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ port: 0 });
    t = await startTestApp({
      env: { SERVE_CONSOLE: 'true', AMOCRM_BASE_URL_TEMPLATE: sandbox.baseUrlTemplate },
    });
    b = await openBrowser(t.url);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
    await sandbox?.close();
  });

  it('logs in, sees the dashboard, opens users, logs out', async () => {
    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-table').waitFor();
    const me = page.getByTestId(`user-row-${TEST_ADMIN.email}`);
    await me.waitFor();
    // a fresh installation has one user: the super-admin, marked as the one looking at the page
    expect(await page.locator('[data-testid^="user-row-"]').count()).toBe(1);
    const row = await me.innerText();
    expect(row).toContain(TEST_ADMIN.email);
    expect(row).toContain('это вы');
    expect(row).toContain('Главный администратор');
    expect(new URL(page.url()).pathname).toBe('/users');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    await page.goto('/users');
    await page.getByTestId('login-form').waitFor(); // the guard sends a logged-out visitor to the login page
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByTestId('users-table').count()).toBe(0);
    // and a reload does not bring the session back
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('users-table').count()).toBe(0);
  });

  it('connects amoCRM with a long-lived token, creates a contact in the dialog and finds it in the table', async () => {
    // no rate limit to wait out: the console flow is what is tested here, not the limiter
    const account = sandbox.createAccount({ subdomain: 'browserco', rps: 1000 });
    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);

    await page.goto('/connections/amocrm');
    await page.getByTestId('amocrm-connect-token-tab').click();
    await page.getByTestId('amocrm-subdomain').fill('browserco');
    await page.getByTestId('amocrm-token').fill(account.longLivedToken);
    await page.getByTestId('amocrm-connect-submit').click();
    await page.locator('[data-testid="amocrm-status"][data-status="connected"]').waitFor();
    await page.getByTestId('metadata-pipelines').waitFor();

    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-create').click();
    await page.getByTestId('contact-form-name').fill('Анна Смирнова');
    await page.getByTestId('contact-form-phone').fill('8 (916) 555-12-34');
    await page.getByTestId('contact-form-submit').click();
    // the dialog closes, or says why not (the reason is then the test's failure message)
    const refused = page.getByTestId('contact-form-error').or(page.locator('mat-error'));
    await page
      .getByTestId('contact-form')
      .waitFor({ state: 'detached' })
      .catch(async (error: unknown) => {
        const reasons = await refused.allTextContents();
        throw reasons.length > 0 ? new Error(`the contact was not created: ${reasons.join('; ')}`) : error;
      });

    await page.goto('/contacts');
    await page.getByTestId('contacts-search').fill('Смирнова');
    await page.locator('[data-testid="contact-row"][data-phone="+79165551234"]').waitFor();
    expect(sandbox.account('browserco').contacts()).toHaveLength(1);
    expect(sandbox.account('browserco').contacts()[0].name).toBe('Анна Смирнова');
  });
});

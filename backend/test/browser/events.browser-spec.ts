/// <reference lib="dom" />
import { startAmoSandbox, type AmoSandbox } from '../../sandbox/amocrm';
import { startAmocrmTestApp } from '../support/amocrm';
import { TEST_ADMIN, type TestApp } from '../support/test-app';
import { logInThroughForm, openBrowser, type BrowserSession } from './browser';

/**
 * The webhook path seen from the console: the admin connects amoCRM and subscribes the webhook on the connection
 * page, a manager works in amoCRM (the sandbox delivers real-format webhooks to our URL), and the change shows on
 * the Events page with its step trace; the reconcile button reads what changed since the last good sync.
 */
describe('events in a real browser', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let b: BrowserSession;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ port: 0, rps: 1000 });
    t = await startAmocrmTestApp(sandbox, { env: { SERVE_CONSOLE: 'true' } });
    b = await openBrowser(t.url);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
    await sandbox?.close();
  });

  it('subscribes the webhook, shows a webhook fired by amoCRM on the Events page and opens its trace', async () => {
    const account = sandbox.createAccount({ subdomain: 'eventsco', rps: 1000 });
    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);

    await page.goto('/connections/amocrm');
    await page.getByTestId('amocrm-connect-token-tab').click();
    await page.getByTestId('amocrm-subdomain').fill('eventsco');
    await page.getByTestId('amocrm-token').fill(account.longLivedToken);
    await page.getByTestId('amocrm-connect-submit').click();
    await page.locator('[data-testid="amocrm-status"][data-status="connected"]').waitFor();

    await page.getByTestId('amocrm-webhook-subscribe').click();
    await page.locator('[data-testid="amocrm-webhook-registered"][data-registered="true"]').waitFor();
    const amo = sandbox.account('eventsco');
    expect(amo.webhooks()).toHaveLength(1);

    // a manager adds a lead in amoCRM: amoCRM posts leads[add] to our URL
    const lead = amo.manager.createLead({ name: 'Сделка из браузерного теста' });
    await amo.whenDeliveriesIdle();

    await page.getByTestId('nav-events').click();
    await page.getByTestId('events-table').waitFor();
    const row = page.locator('[data-testid="event-row"][data-status="done"]', { hasText: String(lead.id) });
    await row.first().waitFor();
    await row.first().getByTestId('event-open').click();
    await page.getByTestId('event-drawer').waitFor();
    await page.getByTestId('event-trace').waitFor();
    await page.getByTestId('event-trace-step').first().waitFor();
    const steps = await page.getByTestId('event-trace-step').allInnerTexts();
    expect(steps.join('\n')).toContain('Разбор запроса');
    await page.getByTestId('event-raw-toggle').click();
    await expect(page.getByTestId('event-raw').innerText()).resolves.toContain(String(lead.id));

    // the reconcile button on the connection page runs a pass and shows what it read
    await page.goto('/connections/amocrm');
    expect(await page.getByTestId('amocrm-reconcile-last').count()).toBe(0); // no pass yet
    await page.getByTestId('amocrm-reconcile-now').click();
    const last = page.getByTestId('amocrm-reconcile-last');
    await last.waitFor();
    const counts = /изменено в amoCRM: \d+, догружено: \d+/;
    await page.getByTestId('amocrm-reconcile-leads').waitFor();
    expect(await page.getByTestId('amocrm-reconcile-leads').innerText()).toMatch(counts);
    expect(await page.getByTestId('amocrm-reconcile-contacts').innerText()).toMatch(counts);
    expect(await last.innerText()).toContain('Последняя сверка');
    expect(await page.getByTestId('amocrm-reconcile-last-error').count()).toBe(0);
    // what the pass did stays on the page after a reload
    await page.reload();
    await page.getByTestId('amocrm-reconcile-last').waitFor();
    expect(await page.getByTestId('amocrm-reconcile-leads').innerText()).toMatch(counts);
  });
});

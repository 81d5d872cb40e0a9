/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import type { AmoSandbox } from '../../sandbox/amocrm';
import type { LpTrackerSandbox } from '../../sandbox/lptracker';
import { TEST_ADMIN } from '../support/test-app';
import { logInThroughForm, type BrowserSession } from './browser';
import { startSyncWorld, type SyncWorld } from './sync-world';

const STEPS = ['amocrm', 'webhooks', 'lptracker', 'mapping', 'testLead'] as const;
type Step = (typeof STEPS)[number];

/**
 * The dashboard's first-steps checklist (issue #15 §2, browser test): a fresh workspace's admin sees no step ticked,
 * takes each step on the page the checklist links to (amoCRM through the sandbox's OAuth consent, its webhook, LPTracker
 * and its callback, a saved mapping, a lead made in LPTracker), and back on the dashboard exactly the steps done so far
 * are ticked; once all are done the checklist is gone. Checked to fail when a tick is computed from the wrong state:
 * LPTracker from amoCRM's status, the mapping from any version (the default one too), the test lead always done.
 */
describe('first-steps checklist in a real browser', () => {
  let amo: AmoSandbox;
  let lpSandbox: LpTrackerSandbox;
  let b: BrowserSession;

  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld();
    ({ amo, lp: lpSandbox, b } = world);
  });
  afterAll(() => world?.close());

  /** Back to the dashboard: the checklist shows exactly `done` ticked. */
  async function expectTicked(page: Page, done: Step[]): Promise<void> {
    await page.getByTestId('nav-dashboard').click();
    for (const step of STEPS) {
      const ticked = done.includes(step);
      await page
        .locator(`[data-testid="checklist-${step}"][data-done="${ticked}"]`)
        .waitFor({ timeout: 10_000 });
    }
    expect(await page.getByTestId('checklist-progress').innerText()).toBe(`Готово ${done.length} из 5`);
  }

  /** Follows the checklist's own link of a step. */
  async function openStep(page: Page, step: Step, path: string): Promise<void> {
    await page.getByTestId(`checklist-${step}`).getByRole('link').click();
    await page.waitForURL((url) => url.pathname === path);
  }

  it('ticks each step as the workspace is set up and is gone when all are done', async () => {
    const amoAccount = amo.createAccount({ subdomain: 'checklistco', rps: 1000 });
    const account = lpSandbox.createAccount({ seed: true, rps: 0 });
    const lp = lpSandbox.account(account.key);
    const site = lp.firstProject;
    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await expectTicked(page, []);

    // 1. amoCRM through OAuth: the console sends the browser to the sandbox's consent page and back
    await openStep(page, 'amocrm', '/connections/amocrm');
    await page.getByTestId('amocrm-connect-oauth-tab').click();
    const oauth = page.getByTestId('amocrm-oauth-form');
    await oauth.getByTestId('amocrm-subdomain').fill(amoAccount.subdomain);
    await oauth.getByTestId('amocrm-client-id').fill(amoAccount.clientId);
    await oauth.getByTestId('amocrm-client-secret').fill(amoAccount.clientSecret);
    await oauth.getByTestId('amocrm-connect-submit').click();
    await page.locator('[data-testid="amocrm-status"][data-status="connected"]').waitFor();
    await expectTicked(page, ['amocrm']);

    // 2. the webhook subscribed from the amoCRM page
    await openStep(page, 'webhooks', '/connections/amocrm');
    await page.getByTestId('amocrm-webhook-subscribe').click();
    await page.locator('[data-testid="amocrm-webhook-registered"][data-registered="true"]').waitFor();
    await expectTicked(page, ['amocrm', 'webhooks']);

    // 3. LPTracker connected, its callback registered
    await openStep(page, 'lptracker', '/connections/lptracker');
    await page.getByTestId('lptracker-login').fill(account.login);
    await page.getByTestId('lptracker-password').fill(account.password);
    await page.getByTestId('lptracker-project-id').fill(String(site.id));
    await page.getByTestId('lptracker-connect-submit').click();
    await page.locator('[data-testid="lptracker-status"][data-status="connected"]').waitFor();
    await page.getByTestId('lptracker-webhook-register').click();
    await page.getByTestId('confirm-ok').click();
    await page
      .locator(
        `[data-testid="lptracker-webhook-project"][data-project-id="${site.id}"][data-registered="true"]`,
      )
      .waitFor();
    await expectTicked(page, ['amocrm', 'webhooks', 'lptracker']);

    // 4. the mapping checked and saved by the admin (a line added: version 2)
    await openStep(page, 'mapping', '/mappings');
    await page.getByTestId('mapping-editor').waitFor();
    await page.getByTestId('mappings-direction-lptracker_to_amocrm').click();
    await page.getByTestId('mapping-version').filter({ hasText: 'Версия 1' }).waitFor();
    const budget = site.customs.find((field) => field.name === 'Бюджет');
    const comment = amo
      .account('checklistco')
      .leadFields()
      .find((field) => field.name === 'Комментарий');
    if (!budget || !comment) throw new Error('the sandboxes have no «Бюджет» / «Комментарий» fields');
    const before = await page.getByTestId('mapping-line').count();
    await page.getByTestId('mapping-add-line').click();
    const line = page.locator(`[data-testid="mapping-line"][data-index="${before}"]`);
    await line.getByTestId('mapping-line-source').click();
    await line.getByTestId('mapping-line-source').fill('Бюдж');
    await page
      .locator(`[data-testid="mapping-line-source-option"][data-ref="lead.custom.${budget.id}"]`)
      .click();
    await line.getByTestId('mapping-line-target').click();
    await line.getByTestId('mapping-line-target').fill('Коммент');
    await page
      .locator(`[data-testid="mapping-line-target-option"][data-ref="lead.custom.${comment.id}"]`)
      .click();
    await page.getByTestId('mapping-save').click();
    await page.getByTestId('mapping-version').filter({ hasText: 'Версия 2' }).waitFor();
    await expectTicked(page, ['amocrm', 'webhooks', 'lptracker', 'mapping']);

    // 5. a test lead: made in LPTracker, its callback goes through; the Events page the step links to shows it
    await openStep(page, 'testLead', '/events');
    lp.manager.createLead({
      name: 'Проверочная заявка',
      contact: {
        project_id: site.id,
        name: 'Олег Проверкин',
        details: [{ type: 'phone', data: '+7 916 808-08-08' }],
      },
    });
    await lp.whenDeliveriesIdle();
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-cards').waitFor();
    // the worker finishes the event a moment later: «Обновить» until the page's own read says complete
    let complete = false;
    for (let attempt = 0; attempt < 60 && !complete; attempt += 1) {
      const [answer] = await Promise.all([
        page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/dashboard/checklist'),
        page.getByTestId('dashboard-refresh').click(),
      ]);
      complete = ((await answer.json()) as { complete: boolean }).complete;
      if (!complete) await page.waitForTimeout(250);
    }
    expect(complete).toBe(true);
    await page.getByTestId('checklist').waitFor({ state: 'detached' });
    expect(await page.getByTestId('checklist').count()).toBe(0);
  });
});

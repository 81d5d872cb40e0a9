/// <reference lib="dom" />
import type { AmoSandbox } from '../../sandbox/amocrm';
import type { LpTrackerSandbox } from '../../sandbox/lptracker';
import { connectLongLived } from '../support/amocrm';
import { loginAdmin } from '../support/auth';
import { call } from '../support/http';
import { waitFor } from '../support/inbox';
import { TEST_ADMIN, type TestApp } from '../support/test-app';
import { logInThroughForm, type BrowserSession } from './browser';
import { startSyncWorld, type SyncWorld } from './sync-world';

/**
 * The LPTracker → amoCRM sync seen from the console (issue #12, browser test): the admin connects LPTracker and
 * registers the callback on its page, maps the LPTracker custom field «Бюджет» to the amoCRM lead field «Комментарий»
 * in the mapping editor and saves; a manager takes a lead in LPTracker (the sandbox posts its real callback), and
 * the lead shows on the Links page, opens on the Leads page with the mapped value, and is in amoCRM with it.
 */
describe('LPTracker sync in a real browser', () => {
  let amo: AmoSandbox;
  let lpSandbox: LpTrackerSandbox;
  let t: TestApp;
  let b: BrowserSession;

  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld();
    ({ amo, lp: lpSandbox, t, b } = world);
  });
  afterAll(() => world?.close());

  it('connects LPTracker, maps a custom field, and a lead made in LPTracker shows with its link and the mapped value', async () => {
    // amoCRM is connected already (its own browser test covers that page)
    const amoAccount = amo.createAccount({ subdomain: 'syncco', rps: 1000 });
    const admin = await loginAdmin(t.url);
    await connectLongLived(t, admin, amoAccount);
    const amocrm = amo.account('syncco');
    const comment = amocrm.leadFields().find((field) => field.name === 'Комментарий');
    if (!comment) throw new Error('the amoCRM sandbox has no lead field «Комментарий»');

    const account = lpSandbox.createAccount({ seed: true, rps: 0 });
    const lp = lpSandbox.account(account.key);
    const site = lp.firstProject;
    const budget = site.customs.find((field) => field.name === 'Бюджет');
    if (!budget) throw new Error('the LPTracker sandbox project has no custom field «Бюджет»');

    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);

    // 1. connect LPTracker and register our callback on its page
    await page.getByTestId('nav-lptracker').click();
    await page.locator('[data-testid="lptracker-status"][data-status="not_connected"]').waitFor();
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

    // 2. the mapping editor: a new line «Бюджет» → «Комментарий», saved as version 2
    await page.getByTestId('nav-mappings').click();
    await page.getByTestId('mapping-editor').waitFor();
    await page.getByTestId(`mappings-direction-lptracker_to_amocrm`).click();
    await page.getByTestId('mapping-version').filter({ hasText: 'Версия 1' }).waitFor();
    const before = await page.getByTestId('mapping-line').count();
    expect(before).toBeGreaterThan(0); // the default mapping made on connect
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
    expect(await page.getByTestId('mapping-dirty').count()).toBe(0);
    const saved = await call(`${t.url}/api/v1/mappings/${site.id}/lptracker_to_amocrm`, {
      token: admin.token,
    });
    expect(saved.body.version).toBe(2);
    expect(saved.body.document.lines).toContainEqual(
      expect.objectContaining({ source: `lead.custom.${budget.id}`, target: `lead.custom.${comment.id}` }),
    );

    // 3. a manager takes a lead in LPTracker: the sandbox posts the callback to our URL
    const lead = lp.manager.createLead({
      name: 'Заявка из браузерного теста',
      contact: {
        project_id: site.id,
        name: 'Вера Браузерова',
        details: [{ type: 'phone', data: '+7 916 707-07-07' }],
      },
      custom: { [budget.id]: '180 000 ₽' },
    }) as { id: number };
    await lp.whenDeliveriesIdle();

    // 4. the Links page shows it; its amoCRM lead opens on the Leads page with the mapped value
    // the sync runs in the worker (inbox → amoCRM): the link is there once it is done
    await waitFor(
      async () =>
        (await call(`${t.url}/api/v1/links?lptrackerLeadId=${lead.id}`, { token: admin.token })).body.items
          ?.length === 1,
      30_000,
      'the LPTracker lead linked to an amoCRM lead',
    );
    await page.getByTestId('nav-links').click();
    const row = page.getByTestId('link-row').filter({ hasText: String(lead.id) });
    await row.first().waitFor();
    expect(await row.first().getByTestId('link-lptracker-lead').innerText()).toContain(String(lead.id));
    await row.first().getByTestId('link-lead').click();
    await page.getByTestId('lead-drawer').waitFor();
    expect(await page.getByTestId('lead-drawer-name').innerText()).toContain('Заявка из браузерного теста');
    const fields = page.getByTestId('lead-drawer-fields');
    await fields.filter({ hasText: '180 000 ₽' }).waitFor();
    expect(await fields.innerText()).toContain('Комментарий');
    await page.getByTestId('lead-row').filter({ hasText: 'Заявка из браузерного теста' }).first().waitFor();

    // and amoCRM has exactly that one lead, with the value
    const inAmo = amocrm.leads().filter((candidate) => candidate.name === 'Заявка из браузерного теста');
    expect(inAmo).toHaveLength(1);
    expect(JSON.stringify(inAmo[0].custom_fields_values)).toContain('180 000 ₽');
  });
});

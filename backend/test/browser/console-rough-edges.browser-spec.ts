/// <reference lib="dom" />
import { startAmoSandbox, type AmoSandbox } from '../../sandbox/amocrm';
import { startAmocrmTestApp } from '../support/amocrm';
import { TEST_ADMIN, type TestApp } from '../support/test-app';
import { logInThroughForm, openBrowser, type BrowserSession } from './browser';

/**
 * The names the backend gives its trace steps, notes and skip reasons (context.step / context.note / skip in
 * src/amocrm-inbound, src/inbox, src/lptracker-inbound, src/sync): none may show in the Russian console.
 */
const BACKEND_STEP_WORDS = [
  'parse',
  'claim changes',
  'changes',
  'read mirror',
  'echo check',
  'fetch',
  'key',
  'apply',
  'mapping',
  'link',
  'contact',
  'lead',
  'our own write',
  'the mirror',
  'not mirrored',
  'already up to date',
  'older version',
  'answered',
  'not connected',
];

/** Latin words of a text other than the product names and «ID». */
function latinWords(text: string): string[] {
  return (text.match(/[A-Za-z][A-Za-z-]*/g) ?? []).filter(
    (word) => !['amoCRM', 'LPTracker', 'ID', 'API'].includes(word),
  );
}

/**
 * Rough edges of the console (#15 §3) in a real browser: «Отписаться» asks first and the connection then shows as
 * degraded (the amoCRM page and the dashboard), the webhook URL on 127.0.0.1 is said to be unreachable for amoCRM,
 * and the trace of a real webhook is in Russian words only.
 */
describe('console rough edges in a real browser', () => {
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

  it('shows the trace of a webhook in Russian, then unsubscribes only after a confirmation and shows the connection as degraded', async () => {
    const account = sandbox.createAccount({ subdomain: 'roughco', rps: 1000 });
    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);

    await page.goto('/connections/amocrm');
    await page.getByTestId('amocrm-connect-token-tab').click();
    await page.getByTestId('amocrm-subdomain').fill('roughco');
    await page.getByTestId('amocrm-token').fill(account.longLivedToken);
    await page.getByTestId('amocrm-connect-submit').click();
    await page.locator('[data-testid="amocrm-status"][data-status="connected"]').waitFor();
    // nothing subscribed yet: changes in amoCRM do not arrive
    await page.locator('[data-testid="amocrm-status"][data-degraded="true"]').waitFor();
    // the test app's PUBLIC_URL is 127.0.0.1: amoCRM could not deliver there
    await page.getByTestId('amocrm-webhook-unreachable').waitFor();
    expect(await page.getByTestId('amocrm-webhook-unreachable').innerText()).toContain('PUBLIC_URL');

    await page.getByTestId('amocrm-webhook-subscribe').click();
    await page.locator('[data-testid="amocrm-webhook-registered"][data-registered="true"]').waitFor();
    await page.locator('[data-testid="amocrm-status"][data-degraded="false"]').waitFor();
    expect(await page.getByTestId('amocrm-status').innerText()).toBe('Подключена');

    // a manager adds a lead in amoCRM: its event shows with the date, the name and a Russian trace
    const amo = sandbox.account('roughco');
    const lead = amo.manager.createLead({ name: 'Сделка из теста шероховатостей' });
    await amo.whenDeliveriesIdle();
    await page.getByTestId('nav-events').click();
    await page.getByTestId('events-table').waitFor();
    const row = page.locator('[data-testid="event-row"][data-status="done"]', { hasText: String(lead.id) });
    await row.first().waitFor();
    expect(await row.first().getByTestId('event-name').innerText()).toBe('Сделка из теста шероховатостей');
    expect(await row.first().locator('.time').innerText()).toMatch(/\d{2}\.\d{2}.*\d{2}:\d{2}:\d{2}/);
    await row.first().getByTestId('event-open').click();
    await page.getByTestId('event-trace-step').first().waitFor();
    const trace = await page.getByTestId('event-trace').innerText();
    const steps = await page.getByTestId('event-trace-step').allInnerTexts();
    expect(steps.join('\n')).toContain('Разбор запроса');
    for (const word of BACKEND_STEP_WORDS) {
      expect(trace.toLowerCase()).not.toMatch(new RegExp(`\\b${word}\\b`));
    }
    expect(latinWords(trace)).toEqual([]);
    // the backend's own names are still there for support, out of sight
    const named = await page
      .locator('[data-testid="event-trace-step"] .step-name')
      .evaluateAll((spans) => spans.map((span) => span.getAttribute('data-step')));
    expect(named).toContain('parse');
    await page.keyboard.press('Escape');

    // «Отписаться»: a cancelled confirmation changes nothing
    await page.goto('/connections/amocrm');
    await page.locator('[data-testid="amocrm-webhook-registered"][data-registered="true"]').waitFor();
    await page.getByTestId('amocrm-webhook-unsubscribe').click();
    await page.getByTestId('confirm-cancel').click();
    await page.getByTestId('confirm-cancel').waitFor({ state: 'detached' });
    expect(amo.webhooks()).toHaveLength(1);
    expect(await page.getByTestId('amocrm-status').getAttribute('data-degraded')).toBe('false');

    await page.getByTestId('amocrm-webhook-unsubscribe').click();
    expect(await page.locator('mat-dialog-container').innerText()).toContain('Отписаться от вебхука?');
    await page.getByTestId('confirm-ok').click();
    await page.locator('[data-testid="amocrm-webhook-registered"][data-registered="false"]').waitFor();
    expect(amo.webhooks()).toHaveLength(0);
    await page.locator('[data-testid="amocrm-status"][data-degraded="true"]').waitFor();
    expect(await page.getByTestId('amocrm-status').innerText()).toBe('Работает с перебоями');
    expect(await page.getByTestId('amocrm-degraded').innerText()).toContain('amoCRM не присылает изменения');

    // the dashboard says so too, also after a reload
    await page.goto('/');
    await page.getByTestId('dashboard-cards').waitFor();
    await page.locator('app-amocrm-dashboard-card app-status-card[data-status="degraded"]').waitFor();
    expect(await page.getByTestId('dashboard-amocrm-degraded').innerText()).toBe(
      'Изменения из amoCRM не приходят',
    );

    // keyboard focus on the navigation links is plainly visible
    await page.getByTestId('nav-dashboard').focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      return {
        nav: element.dataset['testid'] ?? '',
        outline: style.outlineStyle,
        width: style.outlineWidth,
      };
    });
    expect(focused.nav).toMatch(/^nav-/);
    expect(focused).toMatchObject({ outline: 'solid', width: '2px' });
  });
});

/// <reference lib="dom" />
import { apiKeyWithRole, loginAdmin } from '../support/auth';
import { call } from '../support/http';
import { TEST_ADMIN } from '../support/test-app';
import { consoleInBrowser, logInThroughForm, toPhoneWidth } from './browser';

/**
 * The Calls page in a real browser (issue #14 §5): calls a client app posts to POST /api/v1/call-results are listed
 * with their totals and drawn per day and per operator; a filter narrows the table, the totals and the charts.
 */
describe('call results in a real browser', () => {
  const world = consoleInBrowser();

  it('lists the calls posted by a client app with totals and charts, and filters them by result', async () => {
    const { t, b } = world;
    const app = await apiKeyWithRole(t.url, await loginAdmin(t.url), 'manager');
    const day = new Date(Date.now() - 3_600_000).toISOString().slice(0, 10);
    const posted = await call(`${t.url}/api/v1/call-results`, {
      apiKey: app.key,
      body: {
        rows: [
          {
            phone: '+7 916 555-00-01',
            startedAt: `${day}T08:00:00Z`,
            durationSeconds: 95,
            direction: 'in',
            result: 'answered',
            operator: 'Анна',
            recordingUrl: 'https://records.example/1.mp3',
          },
          {
            phone: '+7 916 555-00-02',
            startedAt: `${day}T08:10:00Z`,
            durationSeconds: 0,
            direction: 'out',
            result: 'missed',
            operator: 'Анна',
          },
          {
            phone: '+7 916 555-00-03',
            startedAt: `${day}T08:20:00Z`,
            durationSeconds: 0,
            direction: 'out',
            result: 'busy',
            operator: 'Борис',
          },
        ],
      },
    });
    expect(posted.status).toBe(200);
    expect(posted.body.created).toBe(3);

    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.getByTestId('nav-call-results').click();
    await page.getByTestId('calls-table').waitFor();
    const rowCount = (count: number) =>
      page.waitForFunction((n) => document.querySelectorAll('[data-testid="call-row"]').length === n, count);
    await rowCount(3).catch(async () => {
      throw new Error(
        `rows shown: ${await page
          .getByTestId('call-row')
          .allInnerTexts()
          .then((r) => r.join(' | '))}`,
      );
    });
    expect(await page.getByTestId('calls-total-count').innerText()).toBe('3');
    expect(await page.getByTestId('calls-total-answered').innerText()).toBe('1');
    expect(await page.getByTestId('calls-total-missed').innerText()).toBe('2');
    expect(await page.getByTestId('calls-total-duration').innerText()).toBe('1:35');
    const first = await page.getByTestId('call-row').last().innerText();
    expect(first).toContain('+7 916 555-00-01');
    expect(first).toContain('Разговор');
    expect(first).toContain('Слушать');
    // the charts are drawn (SVG) per day and per operator
    await page.locator('[data-testid="call-chart-day"] svg').first().waitFor();
    await page.locator('[data-testid="call-chart-operator"] svg').first().waitFor();
    expect(await page.locator('[data-testid="call-chart-operator"]').innerText()).toContain('Борис');

    // from the keyboard: focus the picker, open it with Enter
    await page.getByTestId('calls-filter-result').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: 'Пропущен' }).click();
    await rowCount(1);
    expect(await page.getByTestId('call-row').innerText()).toContain('+7 916 555-00-02');
    expect(await page.getByTestId('calls-total-count').innerText()).toBe('1');

    // on a phone the page fits the screen: the table scrolls inside its own box
    await toPhoneWidth(page);
    await page.getByTestId('calls-table').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

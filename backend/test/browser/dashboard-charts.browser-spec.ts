/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { loginAdmin } from '../support/auth';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';
import { logInThroughForm, openBrowser, type BrowserSession } from './browser';

const HOUR = 3_600_000;

/**
 * The dashboard's flow chart in a real browser (issue #15 §2, "the charts render with data"): events stored over the
 * last hours are drawn as stacked bars by outcome (ECharts, SVG renderer), the legend names the outcomes in Russian,
 * the filtered count is said under the chart, and switching to 7 days draws the days.
 */
describe('dashboard charts in a real browser', () => {
  let t: TestApp;
  let b: BrowserSession;
  let db: Connection;

  beforeAll(async () => {
    t = await startTestApp({ env: { SERVE_CONSOLE: 'true' } });
    db = await createConnection({ ...t.config.db });
    b = await openBrowser(t.url);
  });
  afterAll(async () => {
    await b?.close();
    await db?.end();
    await t?.close();
  });

  async function insertEvent(ws: string, status: string, createdAt: Date, skipReason: string | null = null) {
    await db.query(
      `INSERT INTO inbox_events (id, workspace_id, source, event_type, status, content_type, headers, raw_body, summary,
         change_keys, idempotency, settings_version, mode, attempts, retries, history, processed_at, created_at, updated_at,
         skip_reason)
       VALUES (?, ?, 'amocrm', 'leads.add', ?, 'application/json', '{}', ?, '{}', '[]', NULL, 0, 'first', 1, 0, '[]', ?, ?, ?, ?)`,
      [randomUUID(), ws, status, Buffer.from('{}'), createdAt, createdAt, createdAt, skipReason],
    );
  }

  it('draws the stored events by outcome over 24 hours and 7 days', async () => {
    const ws = (await loginAdmin(t.url)).user.workspaceId;
    const now = Date.now();
    for (let i = 0; i < 5; i++) await insertEvent(ws, 'done', new Date(now - 2 * HOUR));
    await insertEvent(ws, 'failed', new Date(now - 2 * HOUR));
    await insertEvent(ws, 'skipped', new Date(now - 5 * HOUR), 'filtered');
    await insertEvent(ws, 'skipped', new Date(now - 5 * HOUR), 'filtered');
    await insertEvent(ws, 'done', new Date(now - 3 * 24 * HOUR));

    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);
    const chart = page.getByTestId('flow-chart');
    await chart.locator('svg').first().waitFor();
    // bars are drawn for the non-empty buckets (ECharts draws each bar as a path inside the SVG)
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="flow-chart"] svg path').length > 4,
    );
    expect(await page.getByTestId('flow-chart-empty').count()).toBe(0);
    const legend = await chart.innerText();
    for (const word of ['Обработаны', 'С ошибкой']) expect(legend).toContain(word);
    expect(await page.getByTestId('flow-filtered').innerText()).toContain('2');

    await page.getByTestId('flow-range-7d').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="flow-filtered"]')?.textContent?.includes('2') ?? false,
    );
    await chart.locator('svg').first().waitFor();
    expect(await page.getByTestId('flow-chart-empty').count()).toBe(0);
  });
});

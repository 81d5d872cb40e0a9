import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Debian's headless chromium, driven by playwright-core (never a downloaded browser). */
export async function openBrowser(baseURL: string): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'console-browser-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const context = await browser.newContext({
    baseURL,
    locale: 'ru-RU',
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  return {
    browser,
    context,
    page,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A test app serving the console, and a browser on it: started before the file's tests, closed after them. */
export interface ConsoleWorld {
  readonly t: TestApp;
  readonly b: BrowserSession;
}

/** Registers the file's beforeAll/afterAll that start and close a ConsoleWorld; read it inside the tests. */
export function consoleInBrowser(): ConsoleWorld {
  const world: { t?: TestApp; b?: BrowserSession } = {};
  beforeAll(async () => {
    world.t = await startTestApp({ env: { SERVE_CONSOLE: 'true' } });
    world.b = await openBrowser(world.t.url);
  });
  afterAll(async () => {
    await world.b?.close();
    await world.t?.close();
  });
  return {
    get t(): TestApp {
      if (!world.t) throw new Error('the console app is not started (read it inside a test)');
      return world.t;
    },
    get b(): BrowserSession {
      if (!world.b) throw new Error('the browser is not open (read it inside a test)');
      return world.b;
    },
  };
}

/** Logs in through the login form and waits for the dashboard. */
export async function logInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dashboard-cards').waitFor();
}

/**
 * Narrows the page to a phone (390 × 844) and waits until the console has switched to its phone layout: the menu
 * button shown and the side menu slid away. Clicking while the menu still slides can land beside the target.
 */
export async function toPhoneWidth(page: Page): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('menu-toggle').waitFor();
  await page.getByTestId('sidenav').waitFor({ state: 'hidden' });
}

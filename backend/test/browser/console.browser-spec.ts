/// <reference lib="dom" />
import { TEST_ADMIN } from '../support/test-app';
import { consoleInBrowser, logInThroughForm } from './browser';

describe('console in a real browser', () => {
  const world = consoleInBrowser();

  it('opens in Russian with a dark theme, logs in, shows the status cards and switches theme', async () => {
    const { b } = world;
    const { page } = b;
    await page.goto('/');
    await page.getByTestId('login-form').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.getByTestId('login-submit').innerText()).toMatch(/Войти/i);

    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.locator('[data-testid="dashboard-card-database"][data-status="up"]').waitFor();
    await page.locator('[data-testid="dashboard-card-redis"][data-status="up"]').waitFor();
    expect(await page.getByTestId('dashboard-card-database').innerText()).toContain('База данных');

    const toggle = page.getByTestId('theme-toggle');
    expect(await toggle.getAttribute('data-theme')).toBe('dark');
    const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await toggle.click();
    expect(await toggle.getAttribute('data-theme')).toBe('light');
    const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(lightBackground).not.toBe(darkBackground);
    await page.reload();
    await page.getByTestId('dashboard-cards').waitFor();
    expect(await page.getByTestId('theme-toggle').getAttribute('data-theme')).toBe('light'); // remembered
  });

  it('switches the language to English and back', async () => {
    const { b } = world;
    const { page } = b;
    await page.goto('/');
    await page.getByTestId('dashboard-cards').waitFor();
    await page.getByTestId('language-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.getByTestId('dashboard-card-database').innerText()).toMatch(/Database/i);
    await page.getByTestId('language-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    expect(await page.getByTestId('dashboard-card-database').innerText()).toContain('База данных');
  });

  it('shows the not-found page for an unknown console address', async () => {
    const { b } = world;
    const { page } = b;
    await page.goto('/no-such-page');
    const notFound = page.getByTestId('not-found-page');
    await notFound.waitFor();
    const text = await notFound.innerText();
    expect(text).toContain('404');
    expect(text).toContain('Страница не найдена');
    // the way back works
    await page.getByTestId('not-found-home').click();
    await page.getByTestId('dashboard-cards').waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard');
  });
});

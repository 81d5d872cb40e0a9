/// <reference lib="dom" />
import { startTelegramSandbox, type TelegramSandbox } from '../../sandbox/telegram';
import { alertsOf, checkAlerts } from '../support/alerts';
import { loginAdmin, userWithRole, type LoggedIn } from '../support/auth';
import { call } from '../support/http';
import { insertFailedEvent } from '../support/inbox-route-fixtures';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';
import { logInThroughForm, openBrowser, type BrowserSession } from './browser';

/**
 * The «Оповещения» page in a real browser (#15 §1): switches and thresholds saved, the Telegram bot token
 * write-only (only «Токен задан» shown), the chat id, «Отправить тестовое сообщение» reaching the fake Bot API,
 * and an alert raised by a failed event shown in the bell and on the page, then marked read (for this person only).
 */
describe('console: the alerts page in a real browser', () => {
  let telegram: TelegramSandbox;
  let t: TestApp;
  let b: BrowserSession;
  let admin: LoggedIn;

  beforeAll(async () => {
    telegram = await startTelegramSandbox();
    t = await startTestApp({ env: { SERVE_CONSOLE: 'true', TELEGRAM_API_BASE_URL: telegram.url } });
    b = await openBrowser(t.url);
    admin = await loginAdmin(t.url);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
    await telegram?.close();
  });

  it('saves switches, thresholds, a write-only bot token and the chat; sends a test message; shows an alert in the bell and marks it read', async () => {
    const botToken = telegram.addBot();
    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.goto('/alerts');
    await page.getByTestId('alert-settings').waitFor();
    await page.getByTestId('input-inboxLagMinutes').waitFor();
    expect((await page.getByTestId('token-state').innerText()).trim()).toBe('Токен не задан.');

    // a switch off, a threshold, a day of the week, the bot and the chat
    await page.getByTestId('switch-mappingBroken').locator('button').click();
    await page.getByTestId('input-inboxLagMinutes').fill('30');
    await page.getByTestId('day-6').locator('button').click();
    await page.getByTestId('input-telegramBotToken').fill(botToken);
    await page.getByTestId('input-telegramChatId').fill('-4001');
    await page.getByTestId('alert-settings-save').click();
    await page.getByText('Токен задан. Чтобы заменить его, впишите новый.').waitFor();
    expect(await page.getByTestId('input-telegramBotToken').inputValue()).toBe('');
    expect(await page.getByTestId('input-telegramBotToken').getAttribute('type')).toBe('password');
    const stored = await call(`${t.url}/api/v1/alerts/settings`, { token: admin.token });
    expect(stored.body).toMatchObject({
      mappingBroken: false,
      inboxLagMinutes: 30,
      workingDays: [1, 2, 3, 4, 5, 6],
      telegramChatId: '-4001',
      tokenSet: true,
    });
    expect(JSON.stringify(stored.body)).not.toContain(botToken.split(':')[1]);

    // after a reload the token stays hidden, the rest shows what was saved
    await page.reload();
    await page.getByTestId('input-inboxLagMinutes').waitFor();
    expect(await page.getByTestId('input-inboxLagMinutes').inputValue()).toBe('30');
    expect(await page.getByTestId('input-telegramChatId').inputValue()).toBe('-4001');
    expect(await page.getByTestId('input-telegramBotToken').inputValue()).toBe('');
    expect(await page.content()).not.toContain(botToken.split(':')[1]);

    await page.getByTestId('telegram-test').click();
    await page.getByText('Сообщение отправлено. Проверьте чат в Telegram.').waitFor();
    expect(telegram.messages('-4001')).toHaveLength(1);
    expect(telegram.messages('-4001')[0].text).toContain('Проверка');

    // a failed event raises an alert: in Telegram, in the bell (unread) and on the page
    await insertFailedEvent(admin.user.workspaceId);
    await checkAlerts(t.url, admin.token);
    expect(telegram.messages('-4001')).toHaveLength(2);
    await page.reload();
    const bell = page.getByTestId('alerts-bell');
    await page.locator('[data-testid="alerts-bell"][aria-label="Уведомления, непрочитанных: 1"]').waitFor();
    await page.getByTestId('alerts-unread').getByText('Непрочитанных: 1').waitFor();
    const row = page
      .getByTestId('alert-row')
      .filter({ hasText: 'Есть события, которые не удалось обработать' });
    expect(await row.getAttribute('class')).toContain('unread');

    await bell.click();
    const item = page
      .getByTestId('alert-item')
      .filter({ hasText: 'Есть события, которые не удалось обработать' });
    expect(await item.getAttribute('class')).toContain('unread');
    await item.click();
    await page.waitForURL(/\/events\?status=failed/);
    await page.locator('[data-testid="alerts-bell"][aria-label="Уведомления, непрочитанных: 0"]').waitFor();

    // read for this admin only: another person of the workspace still has it unread
    const viewer = await userWithRole(t.url, admin, 'viewer');
    const [mine] = await alertsOf(t.url, admin.token);
    const [theirs] = await alertsOf(t.url, viewer.token);
    expect(mine.readAt).not.toBeNull();
    expect(theirs.readAt).toBeNull();
  });
});

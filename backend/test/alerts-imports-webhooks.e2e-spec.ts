import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { startTelegramSandbox, type TelegramSandbox } from '../sandbox/telegram';
import { appQuery, connectLongLived } from './support/amocrm';
import {
  ALL_OFF,
  alertsOf,
  checkAlerts,
  insertReceivedEvent,
  promoteTelegramRetries,
} from './support/alerts';
import { loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { finished, runAction, uploadMapped, waitForProgress } from './support/import-runs';
import { insertFailedEvent } from './support/inbox-route-fixtures';
import { createInboxTestTables } from './support/inbox-json-source';
import { deliver, freshChange, hookUrl, inboxQueue, startInboxTestApp, waitFor } from './support/inbox';
import type { TestApp } from './support/test-app';

const CONTACTS = {
  kind: 'contacts',
  columns: { Имя: 'contact.name', Телефон: 'contact.phone' },
  dedupe: 'skip',
};

/**
 * The alert conditions added last, and the inbox-lag one: an import that failed (one alert per import, cleared by a later successful
 * import), no webhook for N hours of working time (working days, hours and time zone honoured), and Telegram
 * messages that Telegram did not take at first: retried with backoff, delivered once. Each test has a workspace
 * and a chat of its own, with only its condition switched on.
 */
describe('alerts: failed imports, silence in working hours, inbox lag, Telegram retries', () => {
  let amoSandbox: AmoSandbox;
  let telegram: TelegramSandbox;
  let t: TestApp;
  let superAdmin: LoggedIn;
  let botToken: string;
  let chats = 0;

  beforeAll(async () => {
    amoSandbox = await startAmoSandbox({ rps: 1000 });
    telegram = await startTelegramSandbox();
    t = await startInboxTestApp({
      env: {
        AMOCRM_BASE_URL_TEMPLATE: amoSandbox.baseUrlTemplate,
        AMOCRM_RPS: '50',
        TELEGRAM_API_BASE_URL: telegram.url,
      },
    });
    await createInboxTestTables(t.config.db);
    superAdmin = await loginAdmin(t.url);
    botToken = telegram.addBot();
  });

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
    await amoSandbox?.close();
  });

  const workspaceAlerting = async (
    settings: Record<string, unknown>,
  ): Promise<{ owner: LoggedIn; chatId: string }> => {
    const owner = await secondWorkspace(t.url, superAdmin, `Alerts ${++chats}`);
    const chatId = `-300${chats}`;
    const saved = await call(`${t.url}/api/v1/alerts/settings`, {
      method: 'PUT',
      token: owner.token,
      body: { ...ALL_OFF, ...settings, telegramBotToken: botToken, telegramChatId: chatId },
    });
    expect(saved.status).toBe(200);
    return { owner, chatId };
  };

  const checked = async (owner: LoggedIn, chatId: string, condition: string, times = 1) => {
    for (let i = 0; i < times; i++) await checkAlerts(t.url, owner.token);
    const alerts = (await alertsOf(t.url, owner.token)).filter((alert) => alert.condition === condition);
    return { alerts, texts: telegram.messages(chatId).map((message) => message.text) };
  };

  it('an import that failed: one alert per import, one message; resolved when a later import succeeds', async () => {
    const { owner, chatId } = await workspaceAlerting({ importFailed: true });
    await connectLongLived(t, owner, amoSandbox.createAccount({ rps: 1000 }));
    const failedId = await uploadMapped(
      t.url,
      owner.token,
      'Имя;Телефон\nИван;+79161234567',
      CONTACTS,
      'клиенты.csv',
    );
    expect((await checked(owner, chatId, 'import_failed')).alerts).toEqual([]);

    // what the runner records when a file cannot be read to its end
    await appQuery(t, "UPDATE imports SET status = 'failed' WHERE id = ?", [failedId]);
    await appQuery(
      t,
      `INSERT INTO import_runs (import_id, workspace_id, started_at, finished_at, total_rows, staged, error)
       VALUES (?, ?, NOW(3) - INTERVAL 2 MINUTE, NOW(3) - INTERVAL 1 MINUTE, 0, 0, 'Файл не удалось прочитать до конца')`,
      [failedId, owner.user.workspaceId],
    );
    const raised = await checked(owner, chatId, 'import_failed', 3);
    expect(raised.alerts).toHaveLength(1);
    expect(raised.alerts[0]).toMatchObject({ state: 'active', subject: failedId, telegramRaised: 'sent' });
    expect(raised.texts).toHaveLength(1);
    expect(raised.texts[0]).toContain('Импорт «клиенты.csv» не удался');
    expect(raised.texts[0]).toContain('Файл не удалось прочитать до конца');
    expect(raised.texts[0]).toContain(`${t.config.publicUrl}/imports`);

    const nextId = await uploadMapped(t.url, owner.token, 'Имя;Телефон\nПётр;+79161234568', CONTACTS);
    expect((await runAction(t.url, owner.token, nextId, 'start')).status).toBe(200);
    expect((await waitForProgress(t.url, owner.token, nextId, finished, 60_000)).status).toBe('done');
    const cleared = await checked(owner, chatId, 'import_failed', 2);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);
    expect(cleared.texts[1]).toContain('Снова в порядке: Импорт «клиенты.csv» не удался');
  });

  it('no webhook for N hours of working time: one alert, one message; resolved when one arrives; silent outside working days', async () => {
    const everyHour = { workingDays: [1, 2, 3, 4, 5, 6, 7], workingHoursFrom: 0, workingHoursTo: 24 };
    const { owner, chatId } = await workspaceAlerting({ noWebhook: true, noWebhookHours: 1, ...everyHour });
    // nothing ever received: nothing to miss yet
    expect((await checked(owner, chatId, 'no_webhook')).alerts).toEqual([]);
    await insertReceivedEvent(t, owner.user.workspaceId, 50);
    expect((await checked(owner, chatId, 'no_webhook')).alerts).toEqual([]);
    await appQuery(
      t,
      'UPDATE inbox_events SET created_at = created_at - INTERVAL 20 MINUTE WHERE workspace_id = ?',
      [owner.user.workspaceId],
    );
    const raised = await checked(owner, chatId, 'no_webhook', 3);
    expect(raised.alerts.map((alert) => alert.state)).toEqual(['active']);
    expect(raised.texts).toHaveLength(1);
    expect(raised.texts[0]).toContain('Давно не было уведомлений из CRM');

    await insertReceivedEvent(t, owner.user.workspaceId, 0);
    const cleared = await checked(owner, chatId, 'no_webhook', 2);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);

    // the same silence on days nobody works (today and yesterday in the time zone) raises nothing
    const weekday = (at: Date) =>
      ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(
        new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', weekday: 'short' }).format(at),
      ) + 1;
    const off = new Set([weekday(new Date()), weekday(new Date(Date.now() - 24 * 3_600_000))]);
    const quiet = await workspaceAlerting({
      noWebhook: true,
      noWebhookHours: 1,
      ...everyHour,
      timeZone: 'Asia/Tokyo',
      workingDays: [1, 2, 3, 4, 5, 6, 7].filter((day) => !off.has(day)),
    });
    await insertReceivedEvent(t, quiet.owner.user.workspaceId, 180);
    const silent = await checked(quiet.owner, quiet.chatId, 'no_webhook', 2);
    expect(silent.alerts).toEqual([]);
    expect(silent.texts).toEqual([]);
  });

  it('the oldest unprocessed event older than N minutes (worker paused): one alert, one message; resolved once processed', async () => {
    const { owner, chatId } = await workspaceAlerting({ inboxLag: true, inboxLagMinutes: 5 });
    await inboxQueue(t).pause(true);
    try {
      const received = await deliver(await hookUrl(t, owner.user.workspaceId), { changes: [freshChange()] });
      expect(received.status).toBe(200);
      expect((await checked(owner, chatId, 'inbox_lag')).alerts).toEqual([]);
      // the check compares with the database clock: the event is made to have waited 10 minutes
      await appQuery(t, 'UPDATE inbox_events SET created_at = created_at - INTERVAL 10 MINUTE WHERE id = ?', [
        received.body.id,
      ]);
      const raised = await checked(owner, chatId, 'inbox_lag', 3);
      expect(raised.alerts.map((alert) => alert.state)).toEqual(['active']);
      expect(raised.texts).toHaveLength(1);
      expect(raised.texts[0]).toContain('События ждут обработки слишком долго');
      expect(raised.texts[0]).toContain('порог 5 мин.');
    } finally {
      await inboxQueue(t).resume(true);
    }
    await waitFor(async () => {
      const [row] = await appQuery(t, 'SELECT status FROM inbox_events WHERE workspace_id = ?', [
        owner.user.workspaceId,
      ]);
      return ['done', 'skipped'].includes(row.status);
    });
    const cleared = await checked(owner, chatId, 'inbox_lag', 2);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);
    expect(cleared.texts[1]).toContain('Снова в порядке: События ждут обработки слишком долго');
  });

  it('a message Telegram does not take at first is retried with backoff and delivered once; so is the resolution', async () => {
    const { owner, chatId } = await workspaceAlerting({ deadLetter: true });
    const eventId = await insertFailedEvent(owner.user.workspaceId);
    telegram.failNext(1);
    const first = await checked(owner, chatId, 'dead_letter', 2);
    expect(first.alerts).toMatchObject([{ state: 'active', telegramRaised: 'pending' }]);
    expect(first.texts).toEqual([]);

    const sentRaise = await waitFor(async () => {
      await promoteTelegramRetries(t);
      const [alert] = (await alertsOf(t.url, owner.token)).filter((a) => a.condition === 'dead_letter');
      return alert.telegramRaised === 'sent' && alert;
    });
    expect(sentRaise.state).toBe('active');
    const held = await checked(owner, chatId, 'dead_letter', 3);
    expect(held.texts).toHaveLength(1);
    expect(held.texts[0]).toContain('Есть события, которые не удалось обработать');

    // Telegram down for two tries of the resolution: the retry fails once more, then goes out
    telegram.failNext(2, 503);
    const dismissed = await call(`${t.url}/api/v1/events/${eventId}/dismiss`, {
      method: 'POST',
      token: owner.token,
    });
    expect(dismissed.status).toBe(200);
    const resolving = await checked(owner, chatId, 'dead_letter');
    expect(resolving.alerts).toMatchObject([{ state: 'resolved', telegramResolved: 'pending' }]);
    await waitFor(async () => {
      await promoteTelegramRetries(t);
      const [alert] = (await alertsOf(t.url, owner.token)).filter((a) => a.condition === 'dead_letter');
      return alert.telegramResolved === 'sent';
    });
    const done = await checked(owner, chatId, 'dead_letter', 2);
    expect(done.texts).toHaveLength(2);
    expect(done.texts[1]).toContain('Снова в порядке');
  });
});

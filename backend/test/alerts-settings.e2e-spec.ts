import { startTelegramSandbox, type TelegramSandbox } from '../sandbox/telegram';
import { appQuery } from './support/amocrm';
import { ALL_OFF, alertsOf, checkAlerts } from './support/alerts';
import { apiKeyWithRole, loginAdmin, secondWorkspace, userWithRole, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { insertFailedEvent } from './support/inbox-route-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Alert settings (conditions, thresholds, the Telegram bot and chat: the token sealed, never returned), the
 * Telegram test message through the fake Bot API, bad input answered 400 naming the field, the list with its
 * unread count and read marks, other workspaces kept apart.
 */
describe('alerts: settings, Telegram test message, list and read marks', () => {
  let telegram: TelegramSandbox;
  let t: TestApp;
  let superAdmin: LoggedIn;
  let botToken: string;

  beforeAll(async () => {
    telegram = await startTelegramSandbox();
    t = await startTestApp({ env: { TELEGRAM_API_BASE_URL: telegram.url } });
    superAdmin = await loginAdmin(t.url);
    botToken = telegram.addBot();
  });

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
  });

  const settingsUrl = () => `${t.url}/api/v1/alerts/settings`;
  const put = (owner: LoggedIn, body: unknown) =>
    call(settingsUrl(), { method: 'PUT', token: owner.token, body });
  const sendTest = (owner: LoggedIn) =>
    call(`${t.url}/api/v1/alerts/telegram/test`, { method: 'POST', token: owner.token });

  it('starts from the defaults; the bot token is stored sealed and never returned, only tokenSet', async () => {
    const owner = await secondWorkspace(t.url, superAdmin, 'Settings team');
    const initial = await call(settingsUrl(), { token: owner.token });
    expect(initial.body).toEqual({
      amocrmConnection: true,
      lptrackerConnection: true,
      amocrmWebhook: true,
      deadLetter: true,
      deadLetterCount: 1,
      inboxLag: true,
      inboxLagMinutes: 15,
      mappingBroken: true,
      importFailed: true,
      noWebhook: false,
      noWebhookHours: 4,
      workingDays: [1, 2, 3, 4, 5],
      workingHoursFrom: 9,
      workingHoursTo: 18,
      timeZone: 'Europe/Moscow',
      telegramChatId: null,
      tokenSet: false,
    });
    const saved = await put(owner, {
      inboxLagMinutes: 30,
      telegramBotToken: botToken,
      telegramChatId: '-1001',
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      inboxLagMinutes: 30,
      deadLetter: true,
      telegramChatId: '-1001',
      tokenSet: true,
    });
    expect(JSON.stringify(saved.body)).not.toContain(botToken.split(':')[1]);
    const reread = await call(settingsUrl(), { token: owner.token });
    expect(reread.body).toEqual(saved.body);
    const [row] = await appQuery(t, 'SELECT telegram_token FROM alert_settings WHERE workspace_id = ?', [
      owner.user.workspaceId,
    ]);
    expect(row.telegram_token).toMatch(/^v1\./);
    expect(row.telegram_token).not.toContain(botToken.split(':')[1]);
    const audit = await call(`${t.url}/api/v1/audit?action=alerts.settings_changed`, { token: owner.token });
    expect(JSON.stringify(audit.body)).not.toContain(botToken.split(':')[1]);

    // a change of one switch keeps the rest; null removes the token
    expect((await put(owner, { deadLetter: false })).body).toMatchObject({
      inboxLagMinutes: 30,
      tokenSet: true,
    });
    expect((await put(owner, { telegramBotToken: null })).body).toMatchObject({
      deadLetter: false,
      tokenSet: false,
    });
  });

  it('refuses bad input with 400 problem+json naming the field, and a manager', async () => {
    const owner = await secondWorkspace(t.url, superAdmin, 'Bad input team');
    const cases: [unknown, string][] = [
      [{ deadLetter: 'yes' }, 'deadLetter'],
      [{ deadLetterCount: 0 }, 'deadLetterCount'],
      [{ deadLetterCount: '5' }, 'deadLetterCount'],
      [{ inboxLagMinutes: 1441 }, 'inboxLagMinutes'],
      [{ inboxLagMinutes: 2.5 }, 'inboxLagMinutes'],
      [{ telegramBotToken: 123 }, 'telegramBotToken'],
      [{ telegramBotToken: 'not a token' }, 'telegramBotToken'],
      [{ telegramBotToken: `1:${'A'.repeat(5000)}` }, 'telegramBotToken'],
      [{ telegramChatId: 'my chat' }, 'telegramChatId'],
      [{ telegramChatId: { deep: { deeper: [1] } } }, 'telegramChatId'],
      [{ somethingElse: true }, 'somethingElse'],
      [{ importFailed: 1 }, 'importFailed'],
      [{ noWebhookHours: 0 }, 'noWebhookHours'],
      [{ noWebhookHours: 169 }, 'noWebhookHours'],
      [{ workingDays: [] }, 'workingDays'],
      [{ workingDays: [0, 8] }, 'workingDays'],
      [{ workingDays: [1, 1] }, 'workingDays'],
      [{ workingDays: [[1]] }, 'workingDays'],
      [{ workingDays: Array.from({ length: 100 }, () => 1) }, 'workingDays'],
      [{ workingDays: '1,2' }, 'workingDays'],
      [{ workingHoursFrom: -1 }, 'workingHoursFrom'],
      [{ workingHoursTo: 25 }, 'workingHoursTo'],
      [{ workingHoursFrom: 18, workingHoursTo: 9 }, 'workingHoursTo'],
      [{ workingHoursFrom: 18 }, 'workingHoursTo'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ timeZone: '../../etc/passwd' }, 'timeZone'],
      [{ timeZone: { zone: 'Europe/Moscow' } }, 'timeZone'],
      ['{"__proto__": {"deadLetter": false}}', '__proto__'],
      ['{"constructor": {"prototype": {"x": 1}}}', 'constructor'],
    ];
    for (const [body, field] of cases) {
      const res = await put(owner, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect([
        JSON.stringify(body).slice(0, 80),
        (res.body.errors ?? []).map((error: { field: string }) => error.field),
      ]).toEqual([JSON.stringify(body).slice(0, 80), expect.arrayContaining([field])]);
    }
    expect((await call(settingsUrl(), { token: owner.token })).body).toMatchObject({
      deadLetter: true,
      workingHoursFrom: 9,
      workingDays: [1, 2, 3, 4, 5],
    });
    const schedule = {
      workingDays: [6, 7],
      workingHoursFrom: 0,
      workingHoursTo: 24,
      timeZone: 'Asia/Yekaterinburg',
    };
    expect((await put(owner, schedule)).body).toMatchObject(schedule);
    const manager = await userWithRole(t.url, owner, 'manager');
    expect((await put(manager, { deadLetter: false })).status).toBe(403);
    expect((await call(settingsUrl(), { token: manager.token })).status).toBe(403);
  });

  it('sends a test message in Russian with the console link; says why when Telegram refuses', async () => {
    const owner = await secondWorkspace(t.url, superAdmin, 'Telegram team');
    expect((await sendTest(owner)).status).toBe(409);
    await put(owner, { telegramBotToken: botToken, telegramChatId: '-2002' });
    expect((await sendTest(owner)).status).toBe(204);
    const [message] = telegram.messages('-2002');
    expect(message.token).toBe(botToken);
    expect(message.text).toContain('Проверка');
    expect(message.text).toContain('Telegram team');
    expect(message.text).toContain(t.config.publicUrl);

    telegram.refuseChat('-2003');
    await put(owner, { telegramChatId: '-2003' });
    const refused = await sendTest(owner);
    expect(refused.status).toBe(502);
    expect(refused.body.detail).toBe('Telegram answered 400: Bad Request: chat not found');

    await put(owner, { telegramBotToken: '999:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', telegramChatId: '-2002' });
    const unknownBot = await sendTest(owner);
    expect(unknownBot.status).toBe(502);
    expect(unknownBot.body.detail).toBe('Telegram refused the bot token');
    expect(JSON.stringify(unknownBot.body)).not.toContain('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(telegram.messages('-2002')).toHaveLength(1);
  });

  it('lists alerts with each person’s unread count; any role marks one read for itself; an API key has no bell; another workspace neither sees nor reads it', async () => {
    const owner = await secondWorkspace(t.url, superAdmin, 'List team');
    await put(owner, { ...ALL_OFF, deadLetter: true });
    await insertFailedEvent(owner.user.workspaceId);
    await checkAlerts(t.url, owner.token);
    const viewer = await userWithRole(t.url, owner, 'viewer');
    const listed = await call(`${t.url}/api/v1/alerts`, { token: viewer.token });
    expect(listed.body).toMatchObject({ total: 1, page: 1, limit: 20, unread: 1 });
    const [alert] = listed.body.items;
    expect(alert).toMatchObject({
      condition: 'dead_letter',
      state: 'active',
      readAt: null,
      telegramRaised: 'off',
      link: '/events?status=failed',
    });
    expect(alert.title).toBe('Есть события, которые не удалось обработать');

    const other = await secondWorkspace(t.url, superAdmin, 'Other team');
    expect(await alertsOf(t.url, other.token)).toEqual([]);
    const readBy = (token: string) =>
      call(`${t.url}/api/v1/alerts/${alert.id}/read`, { method: 'POST', token });
    expect((await readBy(other.token)).status).toBe(404);

    const read = await readBy(viewer.token);
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    const unreadOf = async (token: string) => (await call(`${t.url}/api/v1/alerts`, { token })).body;
    // read by the viewer only: the owner's bell still counts it
    expect(await unreadOf(viewer.token)).toMatchObject({ unread: 0, items: [{ readAt: read.body.readAt }] });
    expect(await unreadOf(owner.token)).toMatchObject({ unread: 1, items: [{ readAt: null }] });
    expect((await readBy(viewer.token)).body.readAt).toBe(read.body.readAt);
    expect((await readBy(owner.token)).status).toBe(200);
    expect((await unreadOf(owner.token)).unread).toBe(0);

    // an API key lists the alerts (all unread for it) but cannot mark one read
    const key = await apiKeyWithRole(t.url, owner, 'admin');
    const byKey = await call(`${t.url}/api/v1/alerts`, { apiKey: key.key });
    expect(byKey.body).toMatchObject({ total: 1, unread: 1, items: [{ id: alert.id, readAt: null }] });
    const keyRead = await call(`${t.url}/api/v1/alerts/${alert.id}/read`, {
      method: 'POST',
      apiKey: key.key,
    });
    expect(keyRead.status).toBe(403);
    expect(keyRead.headers.get('content-type')).toContain('application/problem+json');

    for (const bad of ['not-an-id', '__proto__', 'constructor'])
      expect(
        (await call(`${t.url}/api/v1/alerts/${bad}/read`, { method: 'POST', token: owner.token })).status,
      ).toBe(400);
    expect((await call(`${t.url}/api/v1/alerts?limit=101`, { token: owner.token })).status).toBe(400);
    expect((await call(`${t.url}/api/v1/alerts/check`, { method: 'POST', token: viewer.token })).status).toBe(
      403,
    );
  });
});

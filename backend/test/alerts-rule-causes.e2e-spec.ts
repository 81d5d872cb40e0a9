import { startLpTrackerSandbox, type LpTrackerSandbox } from '../sandbox/lptracker';
import { startTelegramSandbox, type TelegramSandbox } from '../sandbox/telegram';
import { ALL_OFF, alertsOf, checkAlerts } from './support/alerts';
import { loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { connectLptracker } from './support/lptracker';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The "rule broken" alert names the real cause (#15 §1): a rule moving leads to a stage of an LPTracker project that
 * was turned off is told "project turned off", a stage deleted in LPTracker "stage deleted" — against the LPTracker
 * and Telegram sandboxes.
 */
describe('alerts: a broken rule told by its cause', () => {
  let lpSandbox: LpTrackerSandbox;
  let telegram: TelegramSandbox;
  let t: TestApp;
  let superAdmin: LoggedIn;
  let botToken: string;

  beforeAll(async () => {
    lpSandbox = await startLpTrackerSandbox();
    telegram = await startTelegramSandbox();
    t = await startTestApp({
      env: { LPTRACKER_BASE_URL: lpSandbox.url, TELEGRAM_API_BASE_URL: telegram.url },
    });
    superAdmin = await loginAdmin(t.url);
    botToken = telegram.addBot();
  });

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
    await lpSandbox?.close();
  });

  it('a project turned off is said so (not "a field deleted"); a deleted stage is said to be deleted', async () => {
    const owner = await secondWorkspace(t.url, superAdmin, 'Alerts rule causes');
    const chatId = '-1009001';
    const settings = await call(`${t.url}/api/v1/alerts/settings`, {
      method: 'PUT',
      token: owner.token,
      body: { ...ALL_OFF, mappingBroken: true, telegramBotToken: botToken, telegramChatId: chatId },
    });
    expect(settings.status).toBe(200);
    const account = lpSandbox.createAccount({ seed: true });
    const lp = lpSandbox.account(account.key);
    const first = lp.firstProject;
    await connectLptracker(t, owner, account, first.id);
    const second = lp.addProject({ name: 'Второй сайт' });
    const enabled = await call(`${t.url}/api/v1/connections/lptracker/projects`, {
      method: 'POST',
      token: owner.token,
      body: { projectId: second.id },
    });
    expect(enabled.status).toBe(200);

    const ruleTo = async (name: string, stageId: number) => {
      const created = await call(`${t.url}/api/v1/rules`, {
        token: owner.token,
        body: {
          name,
          trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
          conditions: { all: [] },
          actions: [{ type: 'move_stage', system: 'lptracker', stageId }],
        },
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const toSecond = await ruleTo('В работу (второй сайт)', second.stages[1].id);
    const toFirst = await ruleTo('В работу (первый сайт)', first.stages[1].id);
    const detailOf = async (ruleId: string) => {
      await checkAlerts(t.url, owner.token);
      const alerts = await alertsOf(t.url, owner.token);
      return alerts.find((alert) => alert.subject === `rule:${ruleId}` && alert.state === 'active')
        ?.detail as string | undefined;
    };
    expect(await detailOf(toSecond)).toBeUndefined();

    const off = await call(`${t.url}/api/v1/connections/lptracker/projects/${second.id}`, {
      method: 'DELETE',
      token: owner.token,
    });
    expect(off.status).toBeLessThan(300);
    const offDetail = await detailOf(toSecond);
    expect(offDetail).toContain('В LPTracker отключили проект, который указан в правиле.');
    expect(offDetail).toContain('Включите проект снова');
    expect(offDetail).not.toContain('удалили');
    expect(await detailOf(toFirst)).toBeUndefined();

    const removed = await fetch(
      `${lpSandbox.url}/__sandbox/accounts/${account.key}/projects/${first.id}/stages/${first.stages[1].id}`,
      { method: 'DELETE' },
    );
    expect(removed.status).toBe(204);
    const refreshed = await call(`${t.url}/api/v1/connections/lptracker/metadata/refresh`, {
      method: 'POST',
      token: owner.token,
    });
    expect(refreshed.status).toBe(200);
    const deletedDetail = await detailOf(toFirst);
    expect(deletedDetail).toContain('В LPTracker удалили этап, который указан в правиле.');
    expect(deletedDetail).not.toContain('отключили проект');
    expect(
      telegram
        .messages(chatId)
        .map((message) => message.text)
        .join('\n'),
    ).toContain('В LPTracker отключили проект');
  });
});

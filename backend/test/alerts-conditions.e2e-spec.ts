import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { startLpTrackerSandbox, type LpTrackerSandbox } from '../sandbox/lptracker';
import { startTelegramSandbox, type TelegramSandbox } from '../sandbox/telegram';
import { amocrmApi, connectLongLived, thrown } from './support/amocrm';
import { ALL_OFF, alertsOf, checkAlerts } from './support/alerts';
import { loginAdmin, secondWorkspace, type LoggedIn } from './support/auth';
import { call } from './support/http';
import { insertFailedEvent } from './support/inbox-route-fixtures';
import { connectLptracker, lptrackerApi } from './support/lptracker';
import { mappingDoc, mappingLine } from './support/mappings-world';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Each alert condition raised and cleared against the sandboxes: one alert and one message to the fake Telegram
 * Bot API when it starts to hold, nothing more while it holds (checked again and again), a "resolved" message and
 * the alert resolved when it clears. Each test has a workspace and a Telegram chat of its own, with only its
 * condition switched on.
 */
describe('alerts: conditions raised once, resolved once, delivered to Telegram', () => {
  let amoSandbox: AmoSandbox;
  let lpSandbox: LpTrackerSandbox;
  let telegram: TelegramSandbox;
  let t: TestApp;
  let superAdmin: LoggedIn;
  let botToken: string;
  let chats = 0;

  beforeAll(async () => {
    amoSandbox = await startAmoSandbox({ rps: 1000 });
    lpSandbox = await startLpTrackerSandbox();
    telegram = await startTelegramSandbox();
    t = await startTestApp({
      env: {
        AMOCRM_BASE_URL_TEMPLATE: amoSandbox.baseUrlTemplate,
        AMOCRM_RPS: '50',
        LPTRACKER_BASE_URL: lpSandbox.url,
        TELEGRAM_API_BASE_URL: telegram.url,
      },
    });
    superAdmin = await loginAdmin(t.url);
    botToken = telegram.addBot();
  });

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
    await lpSandbox?.close();
    await amoSandbox?.close();
  });

  /** A workspace of its own, alerting only on `condition` to a chat of its own. */
  const workspaceAlerting = async (
    condition: keyof typeof ALL_OFF,
  ): Promise<{ owner: LoggedIn; chatId: string }> => {
    const owner = await secondWorkspace(t.url, superAdmin, `Alerts ${condition}`);
    const chatId = `-100${++chats}`;
    const saved = await call(`${t.url}/api/v1/alerts/settings`, {
      method: 'PUT',
      token: owner.token,
      body: { ...ALL_OFF, [condition]: true, telegramBotToken: botToken, telegramChatId: chatId },
    });
    expect(saved.status).toBe(200);
    return { owner, chatId };
  };

  /** Checks `times` times; answers the alerts of the condition and the chat's messages. */
  const checked = async (owner: LoggedIn, chatId: string, condition: string, times = 1) => {
    for (let i = 0; i < times; i++) await checkAlerts(t.url, owner.token);
    const alerts = (await alertsOf(t.url, owner.token)).filter((alert) => alert.condition === condition);
    return { alerts, texts: telegram.messages(chatId).map((message) => message.text) };
  };

  it('amoCRM needing re-authorisation (token revoked in the sandbox): one alert, one message; resolved after reconnecting', async () => {
    const { owner, chatId } = await workspaceAlerting('amocrmConnection');
    const account = amoSandbox.createAccount({ rps: 1000 });
    await connectLongLived(t, owner, account);
    expect((await checked(owner, chatId, 'amocrm_connection')).alerts).toEqual([]);

    const handle = amoSandbox.account(account.subdomain);
    handle.revokeLongLivedToken();
    expect((await thrown(() => amocrmApi(t, owner.user.workspaceId).listPipelines())).name).toBe(
      'AmocrmNeedsReauthError',
    );
    const raised = await checked(owner, chatId, 'amocrm_connection', 3);
    expect(raised.alerts).toHaveLength(1);
    expect(raised.alerts[0]).toMatchObject({ state: 'active', subject: 'amocrm', telegramRaised: 'sent' });
    expect(raised.texts).toHaveLength(1);
    expect(raised.texts[0]).toContain('amoCRM: нужно заново войти');
    expect(raised.texts[0]).toContain(`${t.config.publicUrl}/connections/amocrm`);

    await connectLongLived(t, owner, { ...account, longLivedToken: handle.newLongLivedToken() });
    const cleared = await checked(owner, chatId, 'amocrm_connection', 2);
    expect(cleared.alerts).toHaveLength(1);
    expect(cleared.alerts[0]).toMatchObject({ state: 'resolved', telegramResolved: 'sent' });
    expect(cleared.texts).toHaveLength(2);
    expect(cleared.texts[1]).toContain('Снова в порядке: amoCRM: нужно заново войти');
  });

  it('amoCRM pausing the connection (402 from the sandbox): one alert, one message; resolved when an admin resumes', async () => {
    const { owner, chatId } = await workspaceAlerting('amocrmConnection');
    const account = amoSandbox.createAccount({ rps: 1000 });
    await connectLongLived(t, owner, account);
    const handle = amoSandbox.account(account.subdomain);
    handle.setPaymentRequired(true);
    expect(await thrown(() => amocrmApi(t, owner.user.workspaceId).listPipelines())).toMatchObject({
      name: 'AmocrmPausedError',
      reason: 'payment_required',
    });
    const raised = await checked(owner, chatId, 'amocrm_connection', 3);
    expect(raised.alerts.map((alert) => alert.state)).toEqual(['active']);
    expect(raised.texts).toHaveLength(1);
    expect(raised.texts[0]).toContain('amoCRM: обмен приостановлен');
    expect(raised.texts[0]).toContain('оплатить аккаунт (ответ 402)');

    handle.setPaymentRequired(false);
    const resume = `${t.url}/api/v1/connections/amocrm/resume`;
    expect((await call(resume, { method: 'POST', token: owner.token })).status).toBe(200);
    const cleared = await checked(owner, chatId, 'amocrm_connection', 2);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);
    expect(cleared.texts[1]).toContain('Снова в порядке: amoCRM: обмен приостановлен');
  });

  it('the amoCRM webhook unsubscribed: alert and message at once (no check needed); resolved at once when subscribed again', async () => {
    const { owner, chatId } = await workspaceAlerting('amocrmWebhook');
    const account = amoSandbox.createAccount({ rps: 1000 });
    await connectLongLived(t, owner, account);
    const hook = `${t.url}/api/v1/connections/amocrm/webhook`;
    const events = ['add_lead', 'status_lead'];
    expect((await call(hook, { token: owner.token, body: { events } })).status).toBe(200);
    expect((await checked(owner, chatId, 'amocrm_webhook', 0)).alerts).toEqual([]);

    const hooksListed = () =>
      amoSandbox.account(account.subdomain).requests({ method: 'GET', pathPrefix: '/api/v4/webhooks' })
        .length;
    const listedBefore = hooksListed();
    expect((await call(hook, { method: 'DELETE', token: owner.token })).status).toBe(200);
    // raised by the unsubscribe itself, from the state it read (one list of hooks, as before: no extra request)
    expect(hooksListed() - listedBefore).toBe(1);
    const atOnce = await checked(owner, chatId, 'amocrm_webhook', 0);
    expect(atOnce.alerts.map((alert) => alert.state)).toEqual(['active']);
    expect(atOnce.texts).toHaveLength(1);
    expect(atOnce.texts[0]).toContain('amoCRM: уведомления не подключены');
    const held = await checked(owner, chatId, 'amocrm_webhook', 2);
    expect(held.alerts.map((alert) => alert.state)).toEqual(['active']);
    expect(held.texts).toHaveLength(1);

    expect((await call(hook, { token: owner.token, body: { events } })).status).toBe(200);
    const cleared = await checked(owner, chatId, 'amocrm_webhook', 0);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);
    expect(cleared.texts[1]).toContain('Снова в порядке');
    expect((await checked(owner, chatId, 'amocrm_webhook', 2)).texts).toHaveLength(2);
  });

  it('the amoCRM webhook subscription lacking events (changed in amoCRM): one alert naming them in words; resolved when subscribed again', async () => {
    const { owner, chatId } = await workspaceAlerting('amocrmWebhook');
    const account = amoSandbox.createAccount({ rps: 1000 });
    await connectLongLived(t, owner, account);
    const hook = `${t.url}/api/v1/connections/amocrm/webhook`;
    const events = ['add_lead', 'status_lead'];
    const subscribed = await call(hook, { token: owner.token, body: { events } });
    expect(subscribed.status).toBe(200);
    // someone leaves only «add_lead» for our URL in amoCRM's settings
    await amocrmApi(t, owner.user.workspaceId).subscribeWebhook(subscribed.body.url as string, ['add_lead']);
    const raised = await checked(owner, chatId, 'amocrm_webhook', 3);
    expect(raised.alerts.map((alert) => alert.state)).toEqual(['active']);
    expect(raised.texts).toHaveLength(1);
    expect(raised.texts[0]).toContain('amoCRM: подписка на уведомления неполная');
    expect(raised.texts[0]).toContain('(смена этапа сделки)');

    expect((await call(hook, { token: owner.token, body: { events } })).status).toBe(200);
    const cleared = await checked(owner, chatId, 'amocrm_webhook', 0);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);
  });

  it('an event in the dead letter: one alert, one message; resolved when the event is dismissed', async () => {
    const { owner, chatId } = await workspaceAlerting('deadLetter');
    expect((await checked(owner, chatId, 'dead_letter')).alerts).toEqual([]);
    const eventId = await insertFailedEvent(owner.user.workspaceId);
    // checks at once (the API and the worker's job in several processes): still one alert, one message
    await Promise.all(Array.from({ length: 8 }, () => checkAlerts(t.url, owner.token)));
    const raised = await checked(owner, chatId, 'dead_letter', 2);
    expect(raised.alerts.map((alert) => alert.state)).toEqual(['active']);
    expect(raised.texts).toHaveLength(1);
    expect(raised.texts[0]).toContain('Не обработано событий: 1');
    expect(raised.texts[0]).toContain(`${t.config.publicUrl}/events?status=failed`);

    const dismissed = await call(`${t.url}/api/v1/events/${eventId}/dismiss`, {
      method: 'POST',
      token: owner.token,
    });
    expect(dismissed.status).toBe(200);
    const cleared = await checked(owner, chatId, 'dead_letter', 2);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);
  });

  it('a mapping broken by a field deleted in amoCRM: one alert, one message; resolved when the mapping is fixed', async () => {
    const { owner, chatId } = await workspaceAlerting('mappingBroken');
    const amoAccount = amoSandbox.createAccount({ rps: 1000 });
    const amo = amoSandbox.account(amoAccount.subdomain);
    const sourceField = amo.addCustomField('leads', { name: 'Источник', type: 'text' }).id;
    await connectLongLived(t, owner, amoAccount);
    const lpAccount = lpSandbox.createAccount({ seed: true });
    const projectId = lpSandbox.account(lpAccount.key).firstProject.id;
    await connectLptracker(t, owner, lpAccount, projectId);
    const mapping = `${t.url}/api/v1/mappings/${projectId}/lptracker_to_amocrm`;
    const withSource = mappingDoc({
      lines: [
        mappingLine('contact.name', 'contact.name'),
        mappingLine('view.source', `lead.custom.${sourceField}`),
      ],
    });
    expect((await call(mapping, { method: 'PUT', token: owner.token, body: withSource })).status).toBe(200);
    expect((await checked(owner, chatId, 'mapping_broken')).alerts).toEqual([]);

    const deleted = await fetch(
      `${amoSandbox.url}/__sandbox/accounts/${amo.subdomain}/fields/leads/${sourceField}`,
      {
        method: 'DELETE',
      },
    );
    expect(deleted.status).toBe(204);
    const refreshed = await call(`${t.url}/api/v1/connections/amocrm/metadata/refresh`, {
      method: 'POST',
      token: owner.token,
    });
    expect(refreshed.status).toBe(200);
    const raised = await checked(owner, chatId, 'mapping_broken', 3);
    expect(raised.alerts).toHaveLength(1);
    expect(raised.alerts[0]).toMatchObject({ state: 'active', subject: `${projectId}:lptracker_to_amocrm` });
    expect(raised.texts).toHaveLength(1);
    expect(raised.texts[0]).toContain('Сопоставление полей');
    expect(raised.texts[0]).toContain(`${t.config.publicUrl}/mappings`);

    const fixed = mappingDoc({ lines: [mappingLine('contact.name', 'contact.name')] });
    expect((await call(mapping, { method: 'PUT', token: owner.token, body: fixed })).status).toBe(200);
    const cleared = await checked(owner, chatId, 'mapping_broken', 2);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);
  });

  it('a rule broken by a field deleted in amoCRM: one alert, one message; resolved when the rule is fixed', async () => {
    const { owner, chatId } = await workspaceAlerting('mappingBroken');
    const amoAccount = amoSandbox.createAccount({ rps: 1000 });
    const amo = amoSandbox.account(amoAccount.subdomain);
    const sourceField = amo.addCustomField('leads', { name: 'Канал', type: 'text' }).id;
    await connectLongLived(t, owner, amoAccount);
    const rule = (field: string) => ({
      name: 'Реклама «Яндекс»',
      trigger: { source: 'api', events: ['lead.created'], changedFields: [] },
      conditions: { any: [{ field, op: 'contains', value: 'yandex' }] },
      actions: [{ type: 'add_tags', tags: ['Реклама'] }],
    });
    const created = await call(`${t.url}/api/v1/rules`, {
      token: owner.token,
      body: rule(`lead.custom.${sourceField}`),
    });
    expect(created.status).toBe(201);
    const ruleId = created.body.id as string;
    expect((await checked(owner, chatId, 'mapping_broken')).alerts).toEqual([]);

    const deleted = await fetch(
      `${amoSandbox.url}/__sandbox/accounts/${amo.subdomain}/fields/leads/${sourceField}`,
      { method: 'DELETE' },
    );
    expect(deleted.status).toBe(204);
    const refreshed = await call(`${t.url}/api/v1/connections/amocrm/metadata/refresh`, {
      method: 'POST',
      token: owner.token,
    });
    expect(refreshed.status).toBe(200);
    const raised = await checked(owner, chatId, 'mapping_broken', 3);
    expect(raised.alerts).toHaveLength(1);
    expect(raised.alerts[0]).toMatchObject({ state: 'active', subject: `rule:${ruleId}` });
    expect(raised.texts).toHaveLength(1);
    expect(raised.texts[0]).toContain('Правило «Реклама „Яндекс“» сломано'); // no «…«…»»
    expect(raised.texts[0]).toContain(`${t.config.publicUrl}/rules/${ruleId}`);

    const fixed = await call(`${t.url}/api/v1/rules/${ruleId}`, {
      method: 'PUT',
      token: owner.token,
      body: rule('view.source'),
    });
    expect(fixed.status).toBe(200);
    const cleared = await checked(owner, chatId, 'mapping_broken', 2);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);
    expect(cleared.texts[1]).toContain('Снова в порядке: Правило «Реклама „Яндекс“» сломано');
  });

  it('LPTracker refusing the stored login: one alert, one message; resolved after connecting again', async () => {
    const { owner, chatId } = await workspaceAlerting('lptrackerConnection');
    const first = lpSandbox.createAccount({ seed: true });
    await connectLptracker(t, owner, first, lpSandbox.account(first.key).firstProject.id);
    expect((await checked(owner, chatId, 'lptracker_connection')).alerts).toEqual([]);

    // the sandbox cannot change a password: the whole account (and its login) goes away
    const removed = await fetch(`${lpSandbox.url}/__sandbox/accounts/${first.key}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await thrown(() => lptrackerApi(t, owner.user.workspaceId).listStaff())).name).toBe(
      'LptrackerNeedsReauthError',
    );
    const raised = await checked(owner, chatId, 'lptracker_connection', 3);
    expect(raised.alerts.map((alert) => alert.state)).toEqual(['active']);
    expect(raised.texts).toHaveLength(1);
    expect(raised.texts[0]).toContain('LPTracker: нужно заново войти');
    expect(raised.texts[0]).toContain(`${t.config.publicUrl}/connections/lptracker`);

    const second = lpSandbox.createAccount({ seed: true });
    await connectLptracker(t, owner, second, lpSandbox.account(second.key).firstProject.id);
    const cleared = await checked(owner, chatId, 'lptracker_connection', 2);
    expect(cleared.alerts.map((alert) => alert.state)).toEqual(['resolved']);
    expect(cleared.texts).toHaveLength(2);
    expect(cleared.texts[1]).toContain('Снова в порядке: LPTracker: нужно заново войти');
  });

  it('a switched-off condition raises nothing', async () => {
    const { owner, chatId } = await workspaceAlerting('amocrmConnection');
    await insertFailedEvent(owner.user.workspaceId);
    const { alerts, texts } = await checked(owner, chatId, 'dead_letter', 2);
    expect(alerts).toEqual([]);
    expect(texts).toEqual([]);
  });
});

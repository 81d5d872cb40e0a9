/// <reference lib="dom" />
import type { AmoSandbox } from '../../sandbox/amocrm';
import type { LpTrackerSandbox } from '../../sandbox/lptracker';
import { appQuery } from '../support/amocrm';
import { loginAdmin, type LoggedIn } from '../support/auth';
import { connectWorkspace, type ConnectedWorkspace } from '../support/contacts';
import { call } from '../support/http';
import { waitFor } from '../support/inbox';
import { connectLptracker } from '../support/lptracker';
import { lptrackerWebhook } from '../support/lptracker-inbound';
import { TEST_ADMIN, type TestApp } from '../support/test-app';
import { logInThroughForm, type BrowserSession } from './browser';
import { startSyncWorld, type SyncWorld } from './sync-world';

/**
 * The rule constructor end to end (issue #13 Tests, browser test): the admin builds a rule with a nested group —
 * all[ name contains «VIP», any[ view.source contains «yandex», not(contact.email empty) ] ] — moving the amoCRM
 * stage and adding tags, tries it in the side panel on a recent event (a lead made before) and sees why it matches,
 * saves it switched off, switches it on in the list, and a new lead made in LPTracker gets the stage and the tags in
 * amoCRM; the event's trace on the Events page names the rule.
 */
const OPEN = "SELECT COUNT(*) AS n FROM inbox_events WHERE status IN ('received', 'queued', 'processing')";
const RULE_NAME = 'VIP из браузера';

describe('Rule constructor in a real browser', () => {
  let amoSandbox: AmoSandbox;
  let lpSandbox: LpTrackerSandbox;
  let t: TestApp;
  let b: BrowserSession;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;

  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld();
    ({ amo: amoSandbox, lp: lpSandbox, t, b } = world);
  });
  afterAll(() => world?.close());

  const settled = (): Promise<boolean> =>
    waitFor(async () => Number((await appQuery(t, OPEN, []))[0].n) === 0, 30_000, 'every event finished');

  it('builds a nested rule, tests it on a recent event, enables it, and a new LPTracker lead gets its stage and tags', async () => {
    admin = await loginAdmin(t.url);
    ws = await connectWorkspace(t, admin, amoSandbox);
    const account = lpSandbox.createAccount({ seed: true, rps: 0 });
    const lp = lpSandbox.account(account.key);
    const projectId = lp.firstProject.id;
    await connectLptracker(t, admin, account, projectId);
    if ((await lptrackerWebhook(t.url, admin.token, 'POST')).status !== 200)
      throw new Error('registering our LPTracker callback failed');
    await call(`${t.url}/api/v1/connections/lptracker/metadata/refresh`, {
      method: 'POST',
      token: admin.token,
    });
    const main = ws.amo.pipelines().find((pipeline) => pipeline.isMain)!;
    const target = main.statuses.filter((status) => status.type === 0 && ![142, 143].includes(status.id))[2];

    const newLead = (name: string, email: string, phone: string): { id: number } =>
      lp.manager.createLead({
        name,
        contact: {
          project_id: projectId,
          name: 'Пётр Браузеров',
          details: [
            { type: 'phone', data: phone },
            { type: 'email', data: email },
          ],
        },
      }) as { id: number };

    // a lead made before the rule: its event is the recent one the side panel tries the draft on
    newLead('Окна VIP первая', 'first@example.ru', '+7 916 710-00-01');
    await lp.whenDeliveriesIdle();
    await settled();

    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await page.getByTestId('nav-rules').click();
    await page.getByTestId('rules-new').click();
    await page.getByTestId('rule-name').fill(RULE_NAME);
    await page.getByTestId('rule-enabled').click(); // saved switched off, switched on from the list

    // conditions: all[ name contains VIP, any[ view.source contains yandex, not[ contact.email empty ] ] ]
    const pickField = async (scope: string, query: string, ref: string): Promise<void> => {
      const box = page.locator(`[data-testid="rule-condition"][data-path="${scope}"]`);
      await box.getByTestId('rule-condition-field').click();
      await box.getByTestId('rule-condition-field').fill(query);
      await page.locator(`[data-testid="rule-condition-field-option"][data-ref="${ref}"]`).click();
    };
    const pickOp = async (scope: string, op: string): Promise<void> => {
      const box = page.locator(`[data-testid="rule-condition"][data-path="${scope}"]`);
      await box.getByTestId('rule-condition-op').click();
      await page.locator(`[data-testid="rule-condition-op-option"][data-op="${op}"]`).click();
    };
    const setValue = async (scope: string, value: string): Promise<void> => {
      const input = page
        .locator(`[data-testid="rule-condition"][data-path="${scope}"]`)
        .getByTestId('rule-condition-value');
      await input.fill(value);
      await input.blur();
    };
    const root = page.locator('[data-testid="rule-group"][data-path="conditions"]');
    await root.getByTestId('rule-group-add-condition').last().click();
    const first = await page.getByTestId('rule-condition').getAttribute('data-path');
    if (!first) throw new Error('the first condition has no path');
    await pickField(first, 'lptracker.name', 'lptracker.name');
    await pickOp(first, 'contains');
    await setValue(first, 'VIP');

    await root.getByTestId('rule-group-add-group').last().click();
    const anyGroup = page.locator('[data-testid="rule-group"]').nth(1);
    const anyPath = await anyGroup.getAttribute('data-path');
    expect(await anyGroup.getAttribute('data-kind')).toBe('any');
    await anyGroup.getByTestId('rule-group-add-condition').first().click();
    const sourcePath = await anyGroup.getByTestId('rule-condition').first().getAttribute('data-path');
    if (!anyPath || !sourcePath) throw new Error('the nested group has no path');
    await pickField(sourcePath, 'view.source', 'view.source');
    await pickOp(sourcePath, 'contains');
    await setValue(sourcePath, 'yandex');

    await anyGroup.getByTestId('rule-group-add-group').first().click();
    const notGroup = page.locator('[data-testid="rule-group"]').nth(2);
    await notGroup.getByTestId('rule-group-kind-not').click();
    await page.locator('[data-testid="rule-group"][data-kind="not"]').waitFor();
    await notGroup.getByTestId('rule-group-add-condition').click();
    const emailPath = await notGroup.getByTestId('rule-condition').first().getAttribute('data-path');
    if (!emailPath) throw new Error('the not group has no condition');
    await pickField(emailPath, 'contact.email', 'contact.email');
    await pickOp(emailPath, 'empty');

    // actions: move the amoCRM stage, add tags
    await page.getByTestId('rule-action-add').click();
    const move = page.getByTestId('rule-action').nth(0);
    await move.getByTestId('rule-action-type').click();
    await page.locator('mat-option[data-type="move_stage"]').click();
    await move.getByTestId('rule-action-pipeline').click();
    await page.getByRole('option', { name: main.name, exact: true }).click();
    await move.getByTestId('rule-action-status').click();
    await page.getByRole('option', { name: target.name, exact: true }).click();
    await page.getByTestId('rule-action-add').click();
    const tags = page.getByTestId('rule-action').nth(1);
    await tags.getByTestId('rule-action-type').click();
    await page.locator('mat-option[data-type="add_tags"]').click();
    await tags.getByTestId('rule-action-tags').fill('VIP, Яндекс');
    await tags.getByTestId('rule-action-tags').blur();

    // the side panel tries the draft on the recent event and explains it
    await page.getByTestId('rule-test-run').click();
    const sample = page.locator('[data-testid="rule-test-sample"][data-outcome="matched"]');
    await sample.first().waitFor();
    const explained = await sample.first().innerText();
    expect(explained).toContain('VIP');
    expect(explained).toContain('first@example.ru');
    expect(await sample.first().getByTestId('rule-test-action').count()).toBe(2);
    expect(await page.getByTestId('rule-test-summary').innerText()).toMatch(/1/);

    // save (switched off), then switch it on in the list
    await page.getByTestId('rule-save').click();
    await page.getByTestId('rule-version').waitFor();
    await page.getByTestId('nav-rules').click();
    const row = page.getByTestId('rule-row').filter({ hasText: RULE_NAME });
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('off');
    await row.getByTestId('rule-enabled-toggle').locator('button').click();
    await page.locator('[data-testid="rule-row"]:not(.off)').filter({ hasText: RULE_NAME }).waitFor();
    const saved = (await call(`${t.url}/api/v1/rules`, { token: admin.token })).body;
    const rules = (Array.isArray(saved) ? saved : saved.items) as Array<Record<string, any>>;
    const rule = rules.find((candidate) => candidate.name === RULE_NAME)!;
    expect(rule.enabled).toBe(true);
    expect(rule.conditions).toEqual({
      all: [
        { field: 'lptracker.name', op: 'contains', value: 'VIP' },
        {
          any: [
            { field: 'view.source', op: 'contains', value: 'yandex' },
            { not: { field: 'contact.email', op: 'empty' } },
          ],
        },
      ],
    });

    // a new lead made in LPTracker: the rule moves it and tags it in amoCRM
    newLead('Окна VIP вторая', 'second@example.ru', '+7 916 710-00-02');
    await lp.whenDeliveriesIdle();
    await settled();
    const amoLead = (name: string): any => ws.amo.leads().find((candidate) => candidate.name === name);
    await waitFor(
      () => Promise.resolve(amoLead('Окна VIP вторая') !== undefined),
      30_000,
      'the amoCRM lead made',
    );
    const second = amoLead('Окна VIP вторая');
    expect(second.status_id).toBe(target.id);
    const tagNames = (second._embedded?.tags ?? []).map((tag: { name: string }) => tag.name);
    expect(tagNames).toEqual(expect.arrayContaining(['VIP', 'Яндекс']));
    // the lead made before the rule was on has neither
    const before = amoLead('Окна VIP первая');
    expect((before._embedded?.tags ?? []).map((tag: { name: string }) => tag.name)).not.toContain('Яндекс');

    // the event's trace on the Events page names the rule and its run
    await page.getByTestId('nav-events').click();
    const eventRow = page.getByTestId('event-row').filter({ hasText: 'Окна VIP вторая' });
    await eventRow.first().waitFor();
    await eventRow.first().getByTestId('event-open').first().click();
    await page.getByTestId('event-drawer').waitFor();
    const explainedStep = page
      .getByTestId('event-trace-step')
      .filter({ has: page.locator('[data-step="rules: explained"]') });
    await explainedStep.first().waitFor();
    // the same explanation as the side panel's: the rule, and each condition with the value it read
    const explainedText = await explainedStep.first().textContent();
    expect(explainedText).toContain(RULE_NAME);
    expect(explainedText).toContain('second@example.ru');
    const ran = page
      .getByTestId('event-trace-step')
      .filter({ has: page.locator('[data-step="rules: ran"]') });
    expect(await ran.count()).toBeGreaterThan(0);
    expect(await ran.first().textContent()).toContain('matched');
  });
});

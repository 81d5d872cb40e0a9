/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { loginAdmin, type LoggedIn } from '../support/auth';
import { connectWorkspace } from '../support/contacts';
import { call } from '../support/http';
import { waitFor } from '../support/inbox';
import { connectLptracker } from '../support/lptracker';
import { TEST_ADMIN, type TestApp } from '../support/test-app';
import { logInThroughForm } from './browser';
import { startSyncWorld, type SyncWorld } from './sync-world';

/**
 * "Keyboard usable" (issue #13 §4), in a real browser: after logging in, the admin reaches the rules, builds a rule
 * (name, a condition picked by typing in the field picker's search and choosing with Enter, the operator from its
 * list by arrow keys, a value, an add_tags action), saves it and moves it up the list — with Tab, Shift+Tab, Enter,
 * Space, arrow keys and typing only (no click, no `fill`). Every control is reached by Tab from where the previous
 * step left the focus, so a control the keyboard cannot reach fails the walk (checked: «Выше» given tabindex=-1
 * fails with the list of controls the focus went through).
 */
const RULE_NAME = 'С клавиатуры';

/** The data-testid of the focused element or of its nearest marked ancestor, and the rule row it is in. */
const focused = (page: Page): Promise<{ id: string | null; row: string | null }> =>
  page.evaluate(() => {
    const active = document.activeElement;
    const marked = active?.closest('[data-testid]') ?? null;
    const row = active?.closest('[data-testid="rule-row"]') ?? null;
    return { id: marked?.getAttribute('data-testid') ?? null, row: row?.textContent ?? null };
  });

/** Presses Tab (or Shift+Tab) until the focus is on `testId` (inside a row naming `row`, when given). */
async function tabTo(
  page: Page,
  testId: string,
  options: { back?: boolean; row?: string } = {},
): Promise<void> {
  const seen: string[] = [];
  for (let press = 0; press < 80; press += 1) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    seen.push(String(now.id));
    if (now.id === testId && (!options.row || (now.row ?? '').includes(options.row))) return;
  }
  throw new Error(`${testId} not reached by the keyboard; the focus went through ${seen.join(', ')}`);
}

/**
 * Arrow-keys down through the open list until the active option carries `attribute="value"`, then Enter. A select
 * opens on its current choice: `fromTop` presses Home first.
 */
async function chooseOption(page: Page, attribute: string, value: string, fromTop = false): Promise<void> {
  await page.locator(`mat-option[${attribute}="${value}"]`).waitFor();
  if (fromTop) await page.keyboard.press('Home');
  const seen: (string | null)[] = [];
  for (let press = 0; press < 60; press += 1) {
    const active = await page.evaluate(
      (name) => document.querySelector('mat-option.mat-mdc-option-active')?.getAttribute(name) ?? null,
      attribute,
    );
    seen.push(active);
    if (active === value) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(20);
  }
  throw new Error(`no option with ${attribute}="${value}" reached by the arrow keys: ${seen.join(', ')}`);
}

describe('Rule constructor by keyboard only', () => {
  let world: SyncWorld;
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    world = await startSyncWorld();
    t = world.t;
  });
  afterAll(() => world?.close());

  const ruleNames = async (): Promise<string[]> => {
    const listed = (await call(`${t.url}/api/v1/rules`, { token: admin.token })).body;
    const rules = (Array.isArray(listed) ? listed : listed.items) as Array<{
      name: string;
      priority: number;
    }>;
    return [...rules].sort((a, b) => a.priority - b.priority).map((rule) => rule.name);
  };

  it('builds, saves and reorders a rule with Tab, Enter, Space, arrow keys and typing', async () => {
    admin = await loginAdmin(t.url);
    const ws = await connectWorkspace(t, admin, world.amo);
    const account = world.lp.createAccount({ seed: true, rps: 0 });
    await connectLptracker(t, admin, account, world.lp.account(account.key).firstProject.id);
    await call(`${t.url}/api/v1/connections/lptracker/metadata/refresh`, {
      method: 'POST',
      token: admin.token,
    });
    expect(ws.amo.pipelines().length).toBeGreaterThan(0);
    const existing = await call(`${t.url}/api/v1/rules`, {
      token: admin.token,
      body: {
        name: 'Раньше сделанное',
        enabled: true,
        priority: 10,
        trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
        conditions: { all: [{ field: 'lptracker.name', op: 'not_empty' }] },
        actions: [{ type: 'add_tags', tags: ['старое'] }],
      },
    });
    expect(existing.status).toBe(201);

    const { page } = world.b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);
    await tabTo(page, 'nav-rules');
    await page.keyboard.press('Enter');
    await page.getByTestId('rule-row').first().waitFor();
    await tabTo(page, 'rules-new');
    await page.keyboard.press('Enter');
    await page.getByTestId('rule-name').waitFor();

    await tabTo(page, 'rule-name');
    await page.keyboard.type(RULE_NAME);
    // the trigger stays LPTracker, lead.created (the defaults); one condition in the top group
    await tabTo(page, 'rule-group-add-condition');
    await page.keyboard.press('Enter');
    await page.getByTestId('rule-condition').waitFor();
    await tabTo(page, 'rule-condition-field');
    await page.keyboard.type('lptracker.name');
    await page.locator('[data-testid="rule-condition-field-option"][data-ref="lptracker.name"]').waitFor();
    await chooseOption(page, 'data-ref', 'lptracker.name');
    await tabTo(page, 'rule-condition-op');
    await page.keyboard.press('Space');
    await page.locator('[data-testid="rule-condition-op-option"]').first().waitFor();
    await chooseOption(page, 'data-op', 'contains', true);
    await tabTo(page, 'rule-condition-value');
    await page.keyboard.type('VIP');
    await page.keyboard.press('Tab');

    await tabTo(page, 'rule-action-add');
    await page.keyboard.press('Enter');
    await page.getByTestId('rule-action').waitFor();
    await tabTo(page, 'rule-action-type');
    await page.keyboard.press('Enter');
    await page.locator('mat-option[data-type]').first().waitFor();
    await chooseOption(page, 'data-type', 'add_tags', true);
    await tabTo(page, 'rule-action-tags');
    await page.keyboard.type('Клавиатура');
    await page.keyboard.press('Tab');

    await tabTo(page, 'rule-save', { back: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('rule-version').waitFor();
    const saved = (await call(`${t.url}/api/v1/rules`, { token: admin.token })).body;
    const rules = (Array.isArray(saved) ? saved : saved.items) as Array<Record<string, any>>;
    const rule = rules.find((candidate) => candidate.name === RULE_NAME)!;
    expect(rule).toMatchObject({
      trigger: { source: 'lptracker', events: ['lead.created'] },
      conditions: { all: [{ field: 'lptracker.name', op: 'contains', value: 'VIP' }] },
      actions: [{ type: 'add_tags', tags: ['Клавиатура'] }],
    });
    expect(await ruleNames()).toEqual(['Раньше сделанное', RULE_NAME]);

    // back to the list, and the new rule moved up by the keyboard
    await tabTo(page, 'nav-rules', { back: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('rule-row').filter({ hasText: RULE_NAME }).waitFor();
    await tabTo(page, 'rule-up', { row: RULE_NAME });
    await page.keyboard.press('Enter');
    await page.getByTestId('rule-row').first().filter({ hasText: RULE_NAME }).waitFor();
    await waitFor(async () => (await ruleNames())[0] === RULE_NAME, 10_000, 'the new order saved');
    expect(await ruleNames()).toEqual([RULE_NAME, 'Раньше сделанное']);
  });
});

/// <reference lib="dom" />
import { TEST_ADMIN } from '../support/test-app';
import { consoleInBrowser, logInThroughForm } from './browser';

/** The lists of a fresh workspace that are empty, and the test id of each one's empty state. */
const EMPTY_LISTS: readonly [path: string, testId: string][] = [
  ['/contacts', 'contacts-empty'],
  ['/leads', 'leads-empty'],
  ['/events', 'events-empty'],
  ['/api-keys', 'api-keys-empty'],
  ['/imports', 'import-history-empty'],
  ['/rules', 'rules-empty'],
  ['/call-results', 'calls-empty'],
  ['/alerts', 'alerts-list-empty'],
];

/**
 * #15 §3 "a centred empty state like the API keys page on every list", in a real browser: on each empty list of a
 * fresh workspace the empty state's words sit in the middle of a box as wide as the list (at least half the page's
 * content), not at its left.
 */
describe('empty lists in a real browser', () => {
  const world = consoleInBrowser();

  it('shows a centred empty state on every empty list', async () => {
    const { b } = world;
    const { page } = b;
    await logInThroughForm(page, TEST_ADMIN.email, TEST_ADMIN.password);
    const placed: Record<string, { offCentre: number; share: number }> = {};
    for (const [path, testId] of EMPTY_LISTS) {
      await page.goto(path);
      const state = page.getByTestId(testId);
      await state.waitFor();
      placed[testId] = await state.evaluate((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const words = range.getBoundingClientRect();
        const box = element.getBoundingClientRect();
        const content = document.querySelector('main') ?? document.body;
        return {
          offCentre: Math.round(Math.abs(words.left + words.width / 2 - (box.left + box.width / 2))),
          share: Math.round((box.width / content.getBoundingClientRect().width) * 100) / 100,
        };
      });
    }
    const misplaced = Object.entries(placed)
      .filter(([, { offCentre, share }]) => offCentre > 4 || share < 0.5)
      .map(([testId, where]) => ({ testId, ...where }));
    expect(misplaced).toEqual([]);
  });
});

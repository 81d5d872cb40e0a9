import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
} from '../../testing/overlay-helpers';
import { makeUser, queryTestId, registerIcons, storeSession, text } from '../../testing/test-helpers';
import type { Role } from '../core/auth/auth.models';
import { authInterceptor } from '../core/auth/auth.interceptor';
import RulesPage from './rules-page';
import type { Rule, RuleListItem } from './rules.models';

function rule(n: number, enabled = true): Rule {
  return {
    id: `0000000${n}-0000-4000-8000-000000000000`,
    name: `Правило ${n}`,
    enabled,
    priority: n * 10,
    version: 1,
    schemaVersion: 1,
    trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
    conditions: { all: [] },
    actions: [{ type: 'stop' }],
    updatedBy: null,
    createdAt: '2026-03-05T10:00:00.000Z',
    updatedAt: '2026-03-05T10:00:00.000Z',
  };
}

/** As the list answers: with how often each rule fired on live events. */
const listed = (base: Rule, lastFiredAt: string | null, matches24h: number): RuleListItem => ({
  ...base,
  lastFiredAt,
  matches24h,
});

const RULES = [
  listed(rule(1), '2026-03-05T11:07:00.000Z', 4),
  listed(rule(2), null, 0),
  listed(rule(3, false), null, 0),
];

describe('RulesPage', { timeout: 20_000 }, () => {
  let fixture: ComponentFixture<RulesPage>;
  let backend: HttpTestingController;

  async function open(role: Role = 'admin'): Promise<void> {
    localStorage.clear();
    storeSession(makeUser(role));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RulesPage);
    await settle();
    backend
      .expectOne((req) => req.url === '/api/v1/rules')
      .flush({ items: RULES, total: 3, page: 1, limit: 100 });
    await settle();
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  const rows = (): HTMLElement[] =>
    Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>('[data-testid="rule-row"]'),
    );
  const inRow = (index: number, testId: string): HTMLElement =>
    rows()[index].querySelector<HTMLElement>(`[data-testid="${testId}"]`)!;
  const names = (): string[] =>
    rows().map((row) => text(row.querySelector('[data-testid="rule-name-link"]')));

  it('saves the order a row is dragged to through the reorder API', async () => {
    await open();
    expect(names()).toEqual(['Правило 1', 'Правило 2', 'Правило 3']);

    const list = fixture.debugElement.query(By.css('[data-testid="rules-list"]'));
    list.triggerEventHandler('cdkDropListDropped', { previousIndex: 0, currentIndex: 2 });
    await settle();
    const request = backend.expectOne((req) => req.method === 'POST' && req.url === '/api/v1/rules/reorder');
    expect(request.request.body).toEqual({ ids: [RULES[1].id, RULES[2].id, RULES[0].id] });
    expect(names()).toEqual(['Правило 2', 'Правило 3', 'Правило 1']);
    request.flush([rule(2), rule(3, false), rule(1)]);
    await settle();
    expect(names()).toEqual(['Правило 2', 'Правило 3', 'Правило 1']);
  });

  it('says when each rule last fired and how often in 24 hours, kept through a reorder and a toggle', async () => {
    await open();
    const activity = (index: number): string => text(inRow(index, 'rule-activity'));
    expect(activity(0)).toMatch(/^Срабатывало: 05\.03\.2026, \d\d:\d\d · За сутки: 4$/);
    expect(activity(1)).toBe('Ещё не срабатывало · За сутки: 0');

    // the reorder and the toggle answer rules without their activity: the row keeps what it showed
    inRow(0, 'rule-down').click();
    await settle();
    backend.expectOne('/api/v1/rules/reorder').flush([rule(2), rule(1), rule(3, false)]);
    await settle();
    expect(names()).toEqual(['Правило 2', 'Правило 1', 'Правило 3']);
    expect(activity(1)).toContain('За сутки: 4');
    (inRow(1, 'rule-enabled-toggle').querySelector('button') as HTMLElement).click();
    await settle();
    backend.expectOne(`/api/v1/rules/${RULES[0].id}/disable`).flush({ ...rule(1), enabled: false });
    await settle();
    expect(activity(1)).toContain('Срабатывало: 05.03.2026');
    expect(activity(1)).toContain('За сутки: 4');
  });

  it('moves a rule with the keyboard buttons too, and puts the order back when the server refuses', async () => {
    await open();
    expect((inRow(0, 'rule-up') as HTMLButtonElement).disabled).toBe(true);
    inRow(2, 'rule-up').click();
    await settle();
    const request = backend.expectOne('/api/v1/rules/reorder');
    expect(request.request.body).toEqual({ ids: [RULES[0].id, RULES[2].id, RULES[1].id] });
    request.flush({ title: 'Conflict', status: 409 }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(names()).toEqual(['Правило 1', 'Правило 2', 'Правило 3']);
    expect(queryTestId(fixture, 'rules-error')).not.toBeNull();
  });

  it('turns a rule off and on, copies it, and deletes it only after a confirmation', async () => {
    await open();
    (inRow(0, 'rule-enabled-toggle').querySelector('button') as HTMLElement).click();
    await settle();
    backend
      .expectOne((req) => req.method === 'POST' && req.url === `/api/v1/rules/${RULES[0].id}/disable`)
      .flush({
        ...rule(1),
        enabled: false,
      });
    await settle();

    inRow(1, 'rule-duplicate').click();
    await settle();
    backend.expectOne(`/api/v1/rules/${RULES[1].id}/duplicate`).flush({ ...rule(4, false) });
    await settle();
    backend
      .expectOne((req) => req.url === '/api/v1/rules')
      .flush({ items: RULES, total: 3, page: 1, limit: 100 });
    await settle();

    inRow(2, 'rule-delete').click();
    await settle();
    expect(text(overlayTestId('confirm-ok'))).toBe('Удалить');
    overlayTestId('confirm-cancel').click();
    await settle();
    backend.expectNone((req) => req.method === 'DELETE');

    inRow(2, 'rule-delete').click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    backend
      .expectOne((req) => req.method === 'DELETE' && req.url === `/api/v1/rules/${RULES[2].id}`)
      .flush(null);
    await settle();
    expect(names()).toEqual(['Правило 1', 'Правило 2']);
  });

  it('shows viewers the rules without the buttons that change them', async () => {
    await open('viewer');
    expect(rows()).toHaveLength(3);
    expect(queryTestId(fixture, 'rule-delete')).toBeNull();
    expect(queryTestId(fixture, 'rules-new')).toBeNull();
    expect(inRow(0, 'rule-enabled-toggle').querySelector('button')!.disabled).toBe(true);
  });
});

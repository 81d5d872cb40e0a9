import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { Router, provideRouter } from '@angular/router';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
} from '../../testing/overlay-helpers';
import { byTestId, registerIcons, text, typeInto } from '../../testing/test-helpers';
import { I18nPaginatorIntl } from '../core/i18n/i18n-paginator-intl';
import { I18nService } from '../core/i18n/i18n.service';
import AuditPage, { AUDIT_FILTER_DEBOUNCE_MS } from './audit-page';
import type { AuditEntry, AuditPage as AuditResult } from './audit.models';

const ROLE_CHANGED: AuditEntry = {
  id: 'a-1',
  at: '2026-03-05T10:15:00.000Z',
  actorType: 'user',
  actorId: 'u-1',
  actor: 'admin@example.com',
  action: 'user.role_changed',
  targetType: 'user',
  targetId: 'u-2',
  details: { email: 'anna@example.com', from: 'viewer', to: 'manager' },
  ip: '203.0.113.7',
};
const AMOCRM: AuditEntry = {
  ...ROLE_CHANGED,
  id: 'a-2',
  actorType: 'system',
  actorId: null,
  actor: null,
  action: 'amocrm.token_refreshed',
  details: null,
  ip: null,
};

function page(items: AuditEntry[], total: number, pageNo = 1, limit = 20): AuditResult {
  return { items, total, page: pageNo, limit };
}

describe('AuditPage', () => {
  let fixture: ComponentFixture<AuditPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideNoMaterialAnimations(),
        { provide: AUDIT_FILTER_DEBOUNCE_MS, useValue: 0 },
        { provide: MatPaginatorIntl, useClass: I18nPaginatorIntl },
        provideRouter([]),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AuditPage);
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function nextRequest(): TestRequest {
    return backend.expectOne((req) => req.url === '/api/v1/audit');
  }

  function params(req: TestRequest): Record<string, string> {
    const { params } = req.request;
    return Object.fromEntries(params.keys().map((key) => [key, params.get(key) ?? '']));
  }

  /** Lets the filters' debounce (0 ms in tests) run, then the app settle. */
  async function afterFilterChange(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
  }

  async function answer(req: TestRequest, result: AuditResult): Promise<void> {
    req.flush(result);
    await settle();
  }

  it('asks for the first page, newest first, and shows readable entries', async () => {
    const req = nextRequest();
    expect(params(req)).toEqual({ page: '1', limit: '20' });
    await answer(req, page([ROLE_CHANGED, AMOCRM], 2));

    const rows = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="audit-row"]'),
    );
    expect(text(rows[0]?.querySelector('[data-testid="audit-action-label"]') ?? null)).toBe('Роль изменена');
    const details = Array.from(rows[0]?.querySelectorAll('[data-testid="audit-details"] .detail') ?? []).map(
      (detail) => `${text(detail.querySelector('dt'))} ${text(detail.querySelector('dd'))}`,
    );
    expect(details).toEqual(['почта: anna@example.com', 'было: Наблюдатель', 'стало: Менеджер']);
    expect(text(rows[0] ?? null)).toContain('admin@example.com');
    expect(text(rows[0] ?? null)).toContain('203.0.113.7');
    // Unknown (newer) actions are shown as they are.
    expect(text(rows[1]?.querySelector('[data-testid="audit-action-label"]') ?? null)).toBe(
      'amocrm.token_refreshed',
    );
    expect(text(rows[1] ?? null)).toContain('Система');

    TestBed.inject(I18nService).setLang('en');
    await settle();
    expect(text(rows[0]?.querySelector('[data-testid="audit-action-label"]') ?? null)).toBe('Role changed');
  });

  it('pages on the server with the paginator', async () => {
    await answer(nextRequest(), page([ROLE_CHANGED], 45));
    expect(text(byTestId(fixture, 'audit-paginator'))).toContain('1–20 из 45');

    byTestId(fixture, 'audit-paginator')
      .querySelector<HTMLElement>('.mat-mdc-paginator-navigation-next')
      ?.click();
    await settle();

    const req = nextRequest();
    expect(params(req)).toEqual({ page: '2', limit: '20' });
    await answer(req, page([ROLE_CHANGED], 45, 2));
    expect(text(byTestId(fixture, 'audit-paginator'))).toContain('21–40 из 45');
  });

  it('sends the filters as query parameters and goes back to the first page', async () => {
    await answer(nextRequest(), page([ROLE_CHANGED], 45));
    byTestId(fixture, 'audit-paginator')
      .querySelector<HTMLElement>('.mat-mdc-paginator-navigation-next')
      ?.click();
    await settle();
    await answer(nextRequest(), page([ROLE_CHANGED], 45, 2));

    typeInto(byTestId(fixture, 'audit-actor'), ' anna ');
    await afterFilterChange();
    let req = nextRequest();
    expect(params(req)).toEqual({ page: '1', limit: '20', actor: 'anna' });
    await answer(req, page([], 0));
    expect(text(byTestId(fixture, 'audit-empty'))).toContain('По этим условиям ничего не нашлось');

    byTestId(fixture, 'audit-action').click();
    await settle();
    overlayTestId('audit-action-user.role_changed').click();
    await afterFilterChange();
    req = nextRequest();
    expect(params(req)).toEqual({ page: '1', limit: '20', actor: 'anna', action: 'user.role_changed' });
    await answer(req, page([ROLE_CHANGED], 1));

    const from = byTestId(fixture, 'audit-from');
    typeInto(from, '01.03.2026');
    from.dispatchEvent(new Event('blur'));
    const to = byTestId(fixture, 'audit-to');
    typeInto(to, '31.03.2026');
    to.dispatchEvent(new Event('blur'));
    await afterFilterChange();
    // Both ends of the period, as whole local days.
    req = nextRequest();
    expect(params(req)).toEqual({
      page: '1',
      limit: '20',
      actor: 'anna',
      action: 'user.role_changed',
      from: new Date(2026, 2, 1, 0, 0, 0, 0).toISOString(),
      to: new Date(2026, 2, 31, 23, 59, 59, 999).toISOString(),
    });
    await answer(req, page([], 0));

    byTestId(fixture, 'audit-clear').click();
    await afterFilterChange();
    req = nextRequest();
    expect(params(req)).toEqual({ page: '1', limit: '20' });
    await answer(req, page([], 0));
  });

  it('keeps the filters and the page in the address, and reads them from it (a reload)', async () => {
    await answer(nextRequest(), page([ROLE_CHANGED], 45));
    byTestId(fixture, 'audit-paginator')
      .querySelector<HTMLElement>('.mat-mdc-paginator-navigation-next')
      ?.click();
    await settle();
    await answer(nextRequest(), page([ROLE_CHANGED], 45, 2));
    expect(TestBed.inject(Router).url).toBe('/?page=2');

    typeInto(byTestId(fixture, 'audit-actor'), 'anna');
    await afterFilterChange();
    await answer(nextRequest(), page([ROLE_CHANGED], 45));
    await settle();
    expect(TestBed.inject(Router).url).toBe('/?actor=anna');

    // the address of a reload: the same filters and page are asked for and shown in the fields
    fixture.componentRef.setInput('actor', 'boris');
    fixture.componentRef.setInput('action', 'amocrm.');
    fixture.componentRef.setInput('from', '2026-03-01');
    fixture.componentRef.setInput('page', '3');
    await settle();
    const req = nextRequest();
    expect(params(req)).toEqual({
      page: '3',
      limit: '20',
      actor: 'boris',
      action: 'amocrm.',
      from: new Date(2026, 2, 1, 0, 0, 0, 0).toISOString(),
    });
    await answer(req, page([ROLE_CHANGED], 45, 3));
    expect((byTestId(fixture, 'audit-actor') as HTMLInputElement).value).toBe('boris');
    expect(text(byTestId(fixture, 'audit-paginator'))).toContain('41–45 из 45');
  });

  it('lists amoCRM, LPTracker and events actions in the action filter', async () => {
    await answer(nextRequest(), page([], 0));
    byTestId(fixture, 'audit-action').click();
    await settle();
    expect(text(overlayTestId('audit-action-amocrm.webhook_unsubscribed'))).toBe('Вебхук amoCRM отписан');
    expect(text(overlayTestId('audit-action-amocrm.connected'))).toBe('amoCRM подключена');
    expect(text(overlayTestId('audit-action-lptracker.project_enabled'))).toBe('Проект LPTracker включён');
    expect(text(overlayTestId('audit-action-inbox.event_replayed'))).toBe('Событие отправлено на повтор');
    overlayTestId('audit-action-amocrm.').click();
    await afterFilterChange();
    expect(params(nextRequest())).toEqual({ page: '1', limit: '20', action: 'amocrm.' });
  });

  it('breaks a long e-mail only before @ and dots, never at its hyphens', async () => {
    await answer(
      nextRequest(),
      page([{ ...ROLE_CHANGED, actor: 'anna-maria.petrova@romashka-group.ru' }], 1),
    );
    const actor = byTestId(fixture, 'audit-actor-text');
    const pieces = Array.from(actor.querySelectorAll('.unbroken')).map((piece) => piece.textContent);
    expect(pieces).toEqual(['anna-maria', '.petrova', '@romashka-group', '.ru']);
    expect(actor.querySelectorAll('wbr')).toHaveLength(4);
    expect(getComputedStyle(actor.querySelector('.unbroken')!).whiteSpace).toBe('nowrap');
    expect(text(actor)).toBe('anna-maria.petrova@romashka-group.ru');
  });

  it('shows a failure with a retry button', async () => {
    nextRequest().flush({ title: 'x', status: 503 }, { status: 503, statusText: 'Unavailable' });
    await settle();
    expect(text(byTestId(fixture, 'audit-error'))).toContain('Сервер временно недоступен');

    byTestId(fixture, 'audit-error').querySelector('button')?.click();
    await settle();
    await answer(nextRequest(), page([ROLE_CHANGED], 1));
    expect(byTestId(fixture, 'audit-table')).toBeTruthy();
  });

  it('sorts on the server by a clicked column header, keeps it in the address and when the filters are cleared', async () => {
    await answer(nextRequest(), page([ROLE_CHANGED], 1));
    byTestId(fixture, 'audit-sort-actor').click();
    await settle();
    const sorted = nextRequest();
    expect(params(sorted)).toEqual({ page: '1', limit: '20', sort: 'actor', order: 'asc' });
    await answer(sorted, page([ROLE_CHANGED], 1));
    expect(TestBed.inject(Router).url).toBe('/?sort=actor&order=asc');

    typeInto(byTestId(fixture, 'audit-actor'), 'anna');
    await afterFilterChange();
    expect(params(nextRequest())).toEqual({
      page: '1',
      limit: '20',
      actor: 'anna',
      sort: 'actor',
      order: 'asc',
    });
  });
});

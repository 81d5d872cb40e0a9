import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  queryOverlayTestId,
  settle,
} from '../../testing/overlay-helpers';
import { byTestId, makeUser, registerIcons, storeSession, text } from '../../testing/test-helpers';
import type { AlertItem, AlertPage } from './alerts-api';
import { AlertsBell } from './alerts-bell';

const alert = (overrides: Partial<AlertItem> = {}): AlertItem => ({
  id: '0190a000-0000-7000-8000-000000000001',
  condition: 'amocrm_webhook',
  subject: 'amocrm',
  state: 'active',
  title: 'amoCRM: уведомления не подключены',
  detail: 'amoCRM не присылает нам изменения сделок.',
  link: '/connections/amocrm',
  raisedAt: '2026-12-07T10:00:00.000Z',
  resolvedAt: null,
  readAt: null,
  ...overrides,
});

describe('AlertsBell', () => {
  let fixture: ComponentFixture<AlertsBell>;
  let backend: HttpTestingController;

  async function render(page: AlertPage): Promise<void> {
    localStorage.clear();
    storeSession(makeUser('viewer'));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AlertsBell);
    await fixture.whenStable();
    backend.expectOne('/api/v1/alerts?limit=10').flush(page);
    await settle();
  }

  const page = (items: AlertItem[], unread: number): AlertPage => ({
    items,
    total: items.length,
    page: 1,
    limit: 10,
    unread,
  });
  const badge = () => (fixture.nativeElement as HTMLElement).querySelector('.mat-badge-content');

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  it('shows the unread count and lists the alerts, open and resolved', async () => {
    await render(
      page(
        [
          alert(),
          alert({
            id: '0190a000-0000-7000-8000-000000000002',
            state: 'resolved',
            readAt: '2026-12-07T10:05:00.000Z',
            title: 'Есть события, которые не удалось обработать',
          }),
        ],
        1,
      ),
    );
    expect(text(badge())).toBe('1');
    expect(byTestId(fixture, 'alerts-bell').getAttribute('aria-label')).toBe('Уведомления, непрочитанных: 1');
    byTestId(fixture, 'alerts-bell').click();
    await settle();
    const items = Array.from(document.querySelectorAll('.cdk-overlay-container [data-testid="alert-item"]'));
    expect(items.map((item) => text(item))).toEqual([
      expect.stringContaining('amoCRM: уведомления не подключены'),
      expect.stringContaining('Есть события, которые не удалось обработать'),
    ]);
    expect(text(items[0])).toContain('не решено');
    expect(text(items[1])).toContain('решено');
    expect(items[0].classList).toContain('unread');
    expect(items[1].classList).not.toContain('unread');
  });

  it('marks an alert read and opens its page when chosen', async () => {
    await render(page([alert()], 1));
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    byTestId(fixture, 'alerts-bell').click();
    await settle();
    overlayTestId('alert-item').click();
    const read = backend.expectOne('/api/v1/alerts/0190a000-0000-7000-8000-000000000001/read');
    expect(read.request.method).toBe('POST');
    read.flush(alert({ readAt: '2026-12-07T10:10:00.000Z' }));
    await settle();
    expect(navigate).toHaveBeenCalledWith('/connections/amocrm');
    expect(badge()?.closest('.mat-badge-hidden') ?? null).not.toBeNull();
  });

  it('says so when there are no alerts, without a count', async () => {
    await render(page([], 0));
    expect(byTestId(fixture, 'alerts-bell').getAttribute('aria-label')).toBe('Уведомления, непрочитанных: 0');
    byTestId(fixture, 'alerts-bell').click();
    await settle();
    expect(text(overlayTestId('alerts-empty'))).toBe(
      'Уведомлений нет. Если что-то сломается, мы напишем сюда.',
    );
    expect(queryOverlayTestId('alert-item')).toBeNull();
  });

  it('links to the «Оповещения» page from the menu, also when there are no alerts', async () => {
    await render(page([], 0));
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    byTestId(fixture, 'alerts-bell').click();
    await settle();
    expect(text(overlayTestId('alerts-all'))).toBe('Все оповещения');
    overlayTestId('alerts-all').click();
    await settle();
    expect(navigate).toHaveBeenCalledWith('/alerts');
  });
});

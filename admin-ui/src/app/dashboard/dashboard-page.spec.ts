import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { byTestId, registerIcons, text } from '../../testing/test-helpers';
import DashboardPage from './dashboard-page';
import type { ReadinessReport } from './health/health.models';
import { HEALTH_POLL_INTERVAL_MS } from './health/readiness-store';

describe('DashboardPage', () => {
  let fixture: ComponentFixture<DashboardPage>;
  let backend: HttpTestingController;

  const allUp: ReadinessReport = {
    status: 'ok',
    checks: { database: { status: 'up', latencyMs: 3.4 }, redis: { status: 'up', latencyMs: 1 } },
  };
  const redisDown = {
    type: 'about:blank',
    title: 'Service Unavailable',
    status: 503,
    checks: {
      database: { status: 'up', latencyMs: 2 },
      redis: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:6379' },
    },
  };

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]), // the amoCRM card links to its page
        { provide: HEALTH_POLL_INTERVAL_MS, useValue: 60_000 },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(DashboardPage);
    await fixture.whenStable();
  });

  afterEach(() => {
    fixture.destroy();
    backend.verify();
  });

  async function answer(body: object, status = 200): Promise<void> {
    backend.expectOne('/health/ready').flush(body, { status, statusText: status === 200 ? 'OK' : 'Error' });
    await fixture.whenStable();
  }

  function card(name: string): HTMLElement {
    return byTestId(fixture, `dashboard-card-${name}`);
  }

  it('shows a green card per check and for the whole service when everything is up', async () => {
    await answer(allUp);

    expect(card('overall').dataset['status']).toBe('up');
    expect(text(card('overall'))).toContain('Всё работает');

    expect(card('database').dataset['status']).toBe('up');
    expect(text(card('database'))).toContain('База данных');
    expect(text(card('database'))).toContain('Работает');
    expect(text(card('database'))).toContain('Отклик: 3 мс');

    expect(card('redis').dataset['status']).toBe('up');
    expect(text(card('redis'))).toContain('Очередь (Redis)');
  });

  it('shows the failing part in red with its error when the backend answers 503', async () => {
    await answer(redisDown, 503);

    expect(card('overall').dataset['status']).toBe('down');
    expect(text(card('overall'))).toContain('Есть неполадки');
    expect(card('database').dataset['status']).toBe('up');
    expect(card('redis').dataset['status']).toBe('down');
    expect(text(card('redis'))).toContain('Не работает');
    expect(text(card('redis'))).toContain('Ошибка: connect ECONNREFUSED 127.0.0.1:6379');
  });

  it('says the server cannot be reached when the request fails', async () => {
    backend.expectOne('/health/ready').error(new ProgressEvent('error'));
    await fixture.whenStable();

    expect(card('overall').dataset['status']).toBe('unknown');
    expect(text(card('overall'))).toContain('Нет связи с сервером');
  });

  it('checks again on "refresh now" and updates the cards', async () => {
    await answer(allUp);
    byTestId(fixture, 'dashboard-refresh').click();
    await answer(redisDown, 503);

    expect(card('redis').dataset['status']).toBe('down');
  });
});

describe('DashboardPage polling', () => {
  afterEach(() => vi.useRealTimers());

  it('asks for the status again every 10 seconds', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    registerIcons();
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(DashboardPage);
    fixture.detectChanges();

    vi.advanceTimersByTime(0);
    backend.expectOne('/health/ready').flush({ status: 'ok', checks: {} });
    vi.advanceTimersByTime(9_000);
    backend.expectNone('/health/ready');
    vi.advanceTimersByTime(1_000);
    backend.expectOne('/health/ready').flush({ status: 'ok', checks: {} });

    fixture.destroy();
    vi.advanceTimersByTime(30_000);
    backend.expectNone('/health/ready');
  });
});

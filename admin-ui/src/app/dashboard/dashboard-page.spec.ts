import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { byTestId, queryTestId, registerIcons, text } from '../../testing/test-helpers';
import type { EventStats } from './events/event-stats.models';
import DashboardPage from './dashboard-page';
import type { ReadinessReport } from './health/health.models';
import { HEALTH_POLL_INTERVAL_MS } from './health/readiness-store';

const STATS_URL = '/api/v1/events/stats';

/** The last hour with traffic in its last two minutes. */
function stats(overrides: Partial<EventStats> = {}): EventStats {
  const start = Date.UTC(2026, 2, 5, 9, 16);
  const perMinute = Array.from({ length: 60 }, (_, index) => ({
    minute: new Date(start + index * 60_000).toISOString(),
    received: 0,
    duplicate: 0,
    done: 0,
    skipped: 0,
    retried: 0,
    failed: 0,
  }));
  Object.assign(perMinute[58], { received: 5, done: 4, failed: 1 });
  Object.assign(perMinute[59], { received: 3, done: 1, skipped: 1, retried: 1 });
  return {
    perMinute,
    failed: 3,
    queue: { waiting: 5, active: 2, delayed: 1 },
    oldestUnprocessedSeconds: 75,
    rejectedLastHour: 0,
    ...overrides,
  };
}

/** The charts, capacity and first steps (their own spec: flow/dashboard-flow.spec.ts) answer 404 here. */
function answerFlowCards(backend: HttpTestingController): void {
  for (const req of backend.match((r) => r.url.startsWith('/api/v1/dashboard/'))) {
    req.flush(null, { status: 404, statusText: 'Not Found' });
  }
}

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
    fixture.detectChanges();
    answerFlowCards(backend);
    await fixture.whenStable();
  });

  afterEach(() => {
    // The events cards ask for their numbers next to the health checks.
    for (const req of backend.match(STATS_URL).filter((pending) => !pending.cancelled)) {
      req.flush(stats());
    }
    answerFlowCards(backend);
    fixture.destroy();
    backend.verify();
  });

  async function answerStats(body: object, status = 200): Promise<void> {
    backend.expectOne(STATS_URL).flush(body, { status, statusText: status === 200 ? 'OK' : 'Error' });
    await fixture.whenStable();
  }

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
    TestBed.tick();
    answerFlowCards(backend);
    await answer(redisDown, 503);

    expect(card('redis').dataset['status']).toBe('down');
  });
  it('shows the events of the last hour as bars, the failed count with a link, the queue and the oldest wait', async () => {
    await answer(allUp);
    await answerStats(stats());

    const perMinute = card('events-per-minute');
    expect(perMinute.querySelectorAll('[data-testid="events-per-minute-bar"]')).toHaveLength(60);
    expect(text(perMinute)).toContain('Получено: 8');
    expect(text(byTestId(fixture, 'events-per-minute-legend'))).toBe(
      'готово: 5 пропущено: 1 будет повтор: 1 ошибка: 1',
    );
    const lastBar = perMinute.querySelectorAll('[data-testid="events-per-minute-bar"]')[59];
    expect(lastBar?.querySelectorAll('rect.done, rect.skipped, rect.retried')).toHaveLength(3);
    expect(text(lastBar?.querySelector('title') ?? null)).toContain('получено 3');

    const failed = card('failed-events');
    expect(failed.querySelector('[data-tone]')?.getAttribute('data-tone')).toBe('bad');
    expect(text(failed)).toContain('С ошибкой: 3');
    expect(byTestId(fixture, 'dashboard-failed-events-open').getAttribute('href')).toBe(
      '/events?status=failed',
    );

    expect(text(card('queue'))).toContain('Ждут: 5');
    expect(text(card('queue'))).toContain('в работе: 2, ждут повтора: 1');

    const oldest = card('oldest');
    expect(text(oldest)).toContain('Ждёт 1 мин 15 с');
    expect(oldest.querySelector('[data-tone]')?.getAttribute('data-tone')).toBe('warn');
  });

  it('shows calm cards when nothing failed and nothing waits', async () => {
    await answer(allUp);
    await answerStats(stats({ failed: 0, oldestUnprocessedSeconds: null }));
    expect(text(card('failed-events'))).toContain('Ошибок нет');
    expect(card('failed-events').querySelector('[data-tone]')?.getAttribute('data-tone')).toBe('ok');
    expect(text(card('oldest'))).toContain('Всё обработано');
    expect(card('oldest').querySelector('[data-tone]')?.getAttribute('data-tone')).toBe('ok');
  });

  it('hides the events cards when the server does not show them to this user (403)', async () => {
    await answer(allUp);
    await answerStats({ title: 'Forbidden', status: 403 }, 403);
    for (const name of ['events-per-minute', 'failed-events', 'queue', 'oldest']) {
      expect(card(name).hidden, name).toBe(true);
    }
    expect(queryTestId(fixture, 'dashboard-card-overall')?.hidden).toBe(false);
  });
});

describe('DashboardPage polling', () => {
  afterEach(() => vi.useRealTimers());

  it('asks for the status and the event numbers again every 10 seconds', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    registerIcons();
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(DashboardPage);
    fixture.detectChanges();

    TestBed.tick();
    vi.advanceTimersByTime(0);
    backend.expectOne('/health/ready').flush({ status: 'ok', checks: {} });
    backend.expectOne(STATS_URL).flush(stats());
    vi.advanceTimersByTime(9_000);
    backend.expectNone('/health/ready');
    backend.expectNone(STATS_URL);
    vi.advanceTimersByTime(1_000);
    backend.expectOne('/health/ready').flush({ status: 'ok', checks: {} });
    backend.expectOne(STATS_URL).flush(stats());

    answerFlowCards(backend);
    fixture.destroy();
    vi.advanceTimersByTime(30_000);
    backend.expectNone('/health/ready');
    backend.expectNone(STATS_URL);
  });
});

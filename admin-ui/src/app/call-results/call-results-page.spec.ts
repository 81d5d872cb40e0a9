import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  type TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';

import { problem } from '../../testing/amocrm-fixtures';
import { clearOverlays, provideNoMaterialAnimations, settle } from '../../testing/overlay-helpers';
import {
  byTestId,
  makeUser,
  queryTestId,
  registerIcons,
  storeSession,
  text,
} from '../../testing/test-helpers';
import { echarts } from '../shared/charts/echarts-setup';
import CallResultsPage from './call-results-page';
import type { CallGroup, CallItem, CallPage } from './call-results.models';

// jsdom has no ResizeObserver; the chart directive watches its element's size with one
class NoResize {
  observe(): void {
    // nothing to watch in jsdom
  }
  unobserve(): void {
    // nothing watched
  }
  disconnect(): void {
    // nothing watched
  }
}
globalThis.ResizeObserver ??= NoResize;

const call = (overrides: Partial<CallItem> = {}): CallItem => ({
  id: '0190c000-0000-7000-8000-000000000001',
  phone: '+79161234567',
  contactId: null,
  amocrmContactId: null,
  leadId: null,
  amocrmLeadId: 501,
  lptrackerLeadId: null,
  startedAt: '2026-12-07T09:30:00.000Z',
  durationSeconds: 65,
  direction: 'in',
  result: 'answered',
  recordingUrl: 'https://records.example/1.mp3',
  operator: 'Анна',
  source: 'api',
  sourceId: null,
  createdAt: '2026-12-07T09:31:00.000Z',
  ...overrides,
});

const page = (items: CallItem[]): CallPage => ({
  items,
  total: items.length,
  page: 1,
  limit: 20,
  totals: { count: 3, answered: 1, missed: 2, durationSeconds: 3725 },
});

const group = (key: string, answered: number, missed: number): CallGroup => ({
  key,
  count: answered + missed,
  answered,
  missed,
  durationSeconds: 0,
});

interface Series {
  id: string;
  name: string;
  data: number[];
}

describe('CallResultsPage', () => {
  let fixture: ComponentFixture<CallResultsPage>;
  let backend: HttpTestingController;

  const isList = (query: string) => (req: { urlWithParams: string }) =>
    req.urlWithParams === `/api/v1/call-results?${query}${query ? '&' : ''}page=1&limit=20`;
  const summary = (groupBy: string, query = ''): TestRequest =>
    backend.expectOne(`/api/v1/call-results/summary?${query}${query ? '&' : ''}groupBy=${groupBy}`);

  function render(): void {
    localStorage.clear();
    storeSession(makeUser('viewer'));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
        provideEchartsCore({ echarts }),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CallResultsPage);
    fixture.detectChanges();
  }

  function chartSeries(testId: string): Series[] {
    const element = fixture.debugElement.query(By.css(`[data-testid="${testId}"]`));
    expect(element).not.toBeNull();
    const options: EChartsCoreOption = element.injector.get(NgxEchartsDirective).options();
    return options['series'] as Series[];
  }

  afterEach(() => {
    fixture.destroy();
    backend.verify();
    clearOverlays();
  });

  it('lists the calls with totals and draws answered and unanswered calls per day and per operator', async () => {
    render();
    backend
      .expectOne(isList(''))
      .flush(
        page([
          call(),
          call({ id: 'c2', result: 'missed', direction: 'out', recordingUrl: null, operator: null }),
        ]),
      );
    summary('day').flush({ groupBy: 'day', groups: [group('2026-12-06', 0, 1), group('2026-12-07', 1, 1)] });
    summary('operator').flush({ groupBy: 'operator', groups: [group('Анна', 1, 1), group('', 0, 1)] });
    await settle();

    expect(text(byTestId(fixture, 'calls-total-count'))).toBe('3');
    expect(text(byTestId(fixture, 'calls-total-answered'))).toBe('1');
    expect(text(byTestId(fixture, 'calls-total-missed'))).toBe('2');
    expect(text(byTestId(fixture, 'calls-total-duration'))).toBe('1:02:05');
    const rows = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="call-row"]'),
    ).map((row) => Array.from(row.querySelectorAll('td')).map(text).slice(1));
    expect(rows).toEqual([
      ['+7 916 123-45-67', 'Входящий', 'Разговор', '1:05', 'Анна', 'API', '501', 'Слушать'],
      ['+7 916 123-45-67', 'Исходящий', 'Пропущен', '1:05', '—', 'API', '501', '—'],
    ]);

    const perDay = chartSeries('call-chart-day');
    expect(perDay.map((s) => [s.id, s.name, s.data])).toEqual([
      ['answered', 'С разговором', [0, 1]],
      ['missed', 'Без ответа', [1, 1]],
    ]);
    const operators = fixture.debugElement
      .query(By.css('[data-testid="call-chart-operator"]'))
      .injector.get(NgxEchartsDirective)
      .options() as { xAxis: { data: string[] } };
    expect(operators.xAxis.data).toEqual(['Анна', 'Без оператора']);
    expect(chartSeries('call-chart-operator')[1]?.data).toEqual([1, 1]);
  }, 30_000); // the first test loads ECharts itself

  it('sends the filters to the list and the charts, and names a phone the server could not read', async () => {
    render();
    backend.expectOne(isList('')).flush(page([call()]));
    summary('day').flush({ groupBy: 'day', groups: [] });
    summary('operator').flush({ groupBy: 'operator', groups: [] });
    await settle();

    const select = byTestId(fixture, 'calls-filter-result');
    (select.querySelector<HTMLElement>('.mat-mdc-select-trigger') ?? select).click();
    await settle();
    const option = Array.from(
      document.querySelectorAll<HTMLElement>('.cdk-overlay-container mat-option'),
    ).find((element) => text(element) === 'Пропущен');
    option?.click();
    TestBed.tick(); // the new filters go out (the page is not stable until they are answered)
    backend
      .expectOne(isList('result=missed'))
      .flush({ ...page([]), totals: { count: 0, answered: 0, missed: 0, durationSeconds: 0 } });
    summary('day', 'result=missed').flush({ groupBy: 'day', groups: [] });
    summary('operator', 'result=missed').flush({ groupBy: 'operator', groups: [] });
    await settle();
    expect(text(byTestId(fixture, 'calls-empty'))).toContain('Под эти фильтры звонки не подходят');
    expect(text(byTestId(fixture, 'call-charts-empty'))).toBe('За выбранный период звонков нет.');

    const phone = byTestId(fixture, 'calls-filter-phone') as HTMLInputElement;
    phone.value = '12';
    phone.dispatchEvent(new Event('change'));
    TestBed.tick();
    const bad = problem(400, {
      errors: [{ field: 'phone', code: 'invalid', message: 'phone must be a valid phone number' }],
    });
    backend.expectOne(isList('phone=12&result=missed')).flush(...bad);
    const perOperator = summary('operator', 'phone=12&result=missed');
    summary('day', 'phone=12&result=missed').flush(...bad);
    expect(perOperator.cancelled).toBe(true); // the charts ask no more once one part failed
    await settle();
    expect(text(byTestId(fixture, 'calls-error'))).toContain('Такой телефон не распознан');
    expect(queryTestId(fixture, 'call-charts-error')).not.toBeNull();
  });
});

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';

import { queryTestId, registerIcons, text } from '../../../testing/test-helpers';
import { AmocrmRateCard } from './amocrm-rate-card';
import { CapacityCard } from './capacity-card';
import { ChecklistCard } from './checklist-card';
import { DashboardFlowStore } from './dashboard-flow-store';
import { echarts } from '../../shared/charts/echarts-setup';
import { FlowChartCard } from './flow-chart-card';
import type { AmocrmRate, Capacity, Checklist, Flow, Funnel } from './flow.models';
import { FunnelCard } from './funnel-card';

@Component({
  imports: [ChecklistCard, CapacityCard, FlowChartCard, FunnelCard, AmocrmRateCard],
  providers: [DashboardFlowStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-checklist-card />
    <app-capacity-card />
    <app-flow-chart-card />
    <app-funnel-card />
    <app-amocrm-rate-card />
  `,
})
class Host {}

const HOUR = 3_600_000;

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

function flow(range: '24h' | '7d'): Flow {
  const count = range === '24h' ? 24 : 7;
  const size = range === '24h' ? HOUR : 24 * HOUR;
  const start = Date.UTC(2026, 11, 6, 12);
  return {
    range,
    bucket: range === '24h' ? 'hour' : 'day',
    buckets: Array.from({ length: count }, (_, i) => ({
      start: new Date(start + i * size).toISOString(),
      done: i === count - 1 ? 7 : 0,
      skipped: i === count - 1 ? 2 : 0,
      retried: i === count - 2 ? 1 : 0,
      failed: i === count - 1 ? 3 : 0,
      filtered: i === count - 1 ? 2 : 0,
    })),
    filtered: range === '24h' ? 2 : 5,
  };
}

const funnel: Funnel = {
  pipelines: [
    {
      id: 10,
      name: 'Продажи',
      stages: [
        { id: 100, name: 'Новая', count: 4 },
        { id: 101, name: 'Переговоры', count: 1 },
      ],
    },
  ],
};

const rate: AmocrmRate = {
  budget: 7,
  minutes: Array.from({ length: 60 }, (_, i) => ({
    minute: new Date(Date.UTC(2026, 11, 7, 10, i)).toISOString(),
    count: { interactive: i === 59 ? 60 : 0, sync: i === 59 ? 120 : 0, import: 0 },
    average: { interactive: i === 59 ? 1 : 0, sync: i === 59 ? 2 : 0, import: 0 },
    peak: i === 59 ? 5 : 0,
  })),
};

function capacity(advice: Capacity['advice'], scope: Capacity['scope'] = 'installation'): Capacity {
  const r = { average: 0.012, peak: 0.5, peakAt: '2026-12-07T05:00:00.000Z', total: 1000 };
  return { scope, webhooks: r, events: r, backlog: 3, lagSeconds: 600, growth: 3, advice };
}

function checklist(done: number): Checklist {
  const steps = (['amocrm', 'webhooks', 'lptracker', 'mapping', 'testLead'] as const).map((step, i) => ({
    step,
    done: i < done,
  }));
  return { steps, complete: done === steps.length };
}

describe('Dashboard flow cards', () => {
  let fixture: ComponentFixture<Host>;
  let backend: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideEchartsCore({ echarts }),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
  });

  afterEach(() => {
    fixture.destroy();
    backend.verify();
  });

  function answer(
    state: {
      flow?: Flow;
      capacity?: Capacity;
      funnel?: Funnel;
      rate?: AmocrmRate;
      checklist?: Checklist;
    } = {},
  ) {
    backend.expectOne('/api/v1/dashboard/flow?range=24h').flush(state.flow ?? flow('24h'));
    backend.expectOne('/api/v1/dashboard/capacity').flush(state.capacity ?? capacity('ok'));
    backend.expectOne('/api/v1/dashboard/funnel').flush(state.funnel ?? funnel);
    backend.expectOne('/api/v1/dashboard/amocrm-rate').flush(state.rate ?? rate);
    backend.expectOne('/api/v1/dashboard/checklist').flush(state.checklist ?? checklist(0));
  }

  function chartOptions(testId: string): EChartsCoreOption {
    const element = fixture.debugElement.query(By.css(`[data-testid="${testId}"]`));
    expect(element).not.toBeNull();
    return element.injector.get(NgxEchartsDirective).options();
  }

  interface Series {
    id: string;
    name: string;
    type: string;
    stack?: string;
    data: unknown[];
  }
  const seriesOf = (options: EChartsCoreOption) => options['series'] as Series[];

  it('draws the events chart stacked by outcome, and switches to 7 days by day', async () => {
    answer();
    await fixture.whenStable();

    const series = seriesOf(chartOptions('flow-chart'));
    expect(series.map((s) => [s.id, s.name, s.type, s.stack])).toEqual([
      ['done', 'Обработаны', 'bar', 'events'],
      ['skipped', 'Пропущены', 'bar', 'events'],
      ['retried', 'С повтором', 'bar', 'events'],
      ['failed', 'С ошибкой', 'bar', 'events'],
    ]);
    expect(series[0].data).toHaveLength(24);
    expect(series[0].data[23]).toBe(7);
    expect(series[3].data[23]).toBe(3);
    expect(series[2].data[22]).toBe(1);
    // the filtered count of the period under the chart (skipped with nothing sent)
    expect(queryTestId(fixture, 'flow-filtered')!.textContent).toContain('Отсеяно: 2.');
    // drawn by ECharts (SVG), not only configured
    await vi.waitFor(() =>
      expect(fixture.nativeElement.querySelector('[data-testid="flow-chart"] svg')).not.toBeNull(),
    );

    queryTestId(fixture, 'flow-range-7d')!.querySelector('button')!.click();
    fixture.detectChanges();
    backend.expectOne('/api/v1/dashboard/flow?range=7d').flush(flow('7d'));
    await fixture.whenStable();
    expect(seriesOf(chartOptions('flow-chart'))[0].data).toHaveLength(7);
    fixture.detectChanges();
    expect(queryTestId(fixture, 'flow-filtered')!.textContent).toContain('Отсеяно: 5.');
  }, 30_000); // the first test loads ECharts itself

  it('draws a funnel per pipeline with its stages in order, and the amoCRM lanes against the budget', async () => {
    answer();
    await fixture.whenStable();

    const [pipeline] = seriesOf(chartOptions('funnel-chart-10')) as (Series & {
      data: { name: string; value: number }[];
    })[];
    expect(pipeline.type).toBe('funnel');
    expect(pipeline.data).toEqual([
      { name: 'Новая', value: 4 },
      { name: 'Переговоры', value: 1 },
    ]);
    expect(text(fixture.nativeElement)).toContain('Продажи');

    const lanes = seriesOf(chartOptions('rate-chart')) as (Series & { markLine?: { data: unknown[] } })[];
    expect(lanes.map((s) => [s.id, s.name])).toEqual([
      ['interactive', 'Из приложений'],
      ['sync', 'Обмен'],
      ['import', 'Загрузка файлов'],
    ]);
    expect(lanes[1].data[59]).toBe(2);
    expect(lanes[0].markLine?.data).toEqual([{ yAxis: 7 }]);
    expect(text(queryTestId(fixture, 'rate-peak'))).toContain('Больше всего за секунду: 5 из 7');
  });

  it('says when there is nothing to draw: no deals, amoCRM not connected', async () => {
    answer({ funnel: { pipelines: [] }, rate: { budget: 7, minutes: [] } });
    await fixture.whenStable();
    expect(queryTestId(fixture, 'funnel-empty')).not.toBeNull();
    expect(queryTestId(fixture, 'rate-not-connected')).not.toBeNull();
    expect(queryTestId(fixture, 'rate-chart')).toBeNull();
  });

  it('shows the measured capacity and asks for a worker when the queue grows', async () => {
    answer({ capacity: capacity('add_worker') });
    await fixture.whenStable();
    const card = fixture.nativeElement.querySelector('app-event-metric-card') as HTMLElement;
    expect(card.getAttribute('data-tone')).toBe('bad');
    expect(text(card)).toContain('Очередь растёт — добавьте обработчик.');
    expect(text(queryTestId(fixture, 'capacity-scope'))).toBe('Вся установка');
    expect(text(queryTestId(fixture, 'capacity-webhooks'))).toContain('0,012 в секунду');
    expect(text(queryTestId(fixture, 'capacity-webhooks'))).toContain('в самую загруженную минуту 0,5');
  });

  it("says a workspace's figures are its own and sends a growing queue to the platform admin", async () => {
    answer({ capacity: capacity('tell_platform_admin', 'workspace') });
    await fixture.whenStable();
    const card = fixture.nativeElement.querySelector('app-event-metric-card') as HTMLElement;
    expect(text(queryTestId(fixture, 'capacity-scope'))).toBe('Ваше пространство');
    expect(card.getAttribute('data-tone')).toBe('bad');
    expect(text(card)).toContain('Очередь растёт — сообщите администратору платформы.');
    expect(text(card)).not.toContain('добавьте обработчик');
  });

  it('ticks the first steps from the API state, links each to its page, and hides once all are done', async () => {
    answer({ checklist: checklist(2) });
    await fixture.whenStable();
    const step = (name: string) => queryTestId(fixture, `checklist-${name}`)!;
    expect(
      ['amocrm', 'webhooks', 'lptracker', 'mapping', 'testLead'].map((s) => step(s).dataset['done']),
    ).toEqual(['true', 'true', 'false', 'false', 'false']);
    expect(text(queryTestId(fixture, 'checklist-progress'))).toBe('Готово 2 из 5');
    expect(step('lptracker').querySelector('a')!.getAttribute('href')).toBe('/connections/lptracker');
    expect(step('mapping').querySelector('a')!.getAttribute('href')).toBe('/mappings');
    expect(text(step('testLead'))).toContain('Отправьте пробную заявку из LPTracker');

    const store = fixture.debugElement.injector.get(DashboardFlowStore);
    store.checklist.reload();
    TestBed.tick();
    backend.expectOne('/api/v1/dashboard/checklist').flush(checklist(4));
    await fixture.whenStable();
    expect(step('mapping').dataset['done']).toBe('true');
    expect(step('testLead').dataset['done']).toBe('false');

    store.checklist.reload();
    TestBed.tick();
    backend.expectOne('/api/v1/dashboard/checklist').flush(checklist(5));
    await fixture.whenStable();
    expect(queryTestId(fixture, 'checklist')).toBeNull();
  });
});

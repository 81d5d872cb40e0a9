import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import type { MinuteStats } from './event-stats.models';
import { EventMetricCard, type MetricTone } from './event-metric-card';
import { EventStatsStore } from './event-stats-store';

/** Outcomes stacked in each bar, bottom up. */
const LAYERS = ['done', 'skipped', 'retried', 'failed'] as const;
type Layer = (typeof LAYERS)[number];

const BAR_STEP = 4;
const BAR_WIDTH = 3;
const CHART_HEIGHT = 48;

interface Bar {
  x: number;
  title: string;
  rects: { layer: Layer; y: number; height: number }[];
}

/**
 * Events of the last hour, one bar per minute (inline SVG, no chart library): what the processing
 * made of them stacked in colours — done, skipped, failed and retried — with the hour's totals.
 */
@Component({
  selector: 'app-events-per-minute-card',
  imports: [EventMetricCard, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[hidden]': 'store.forbidden()' },
  template: `
    <app-event-metric-card [title]="'dashboard.events.perMinute.title' | t" [value]="value()" [tone]="tone()">
      @if (bars(); as bars) {
        <svg
          class="chart"
          data-testid="events-per-minute-chart"
          role="img"
          preserveAspectRatio="none"
          [attr.viewBox]="viewBox()"
          [attr.aria-label]="value()"
        >
          <line class="axis" x1="0" [attr.x2]="width()" [attr.y1]="height - 0.5" [attr.y2]="height - 0.5" />
          @for (bar of bars; track bar.x) {
            <g class="bar" data-testid="events-per-minute-bar">
              <title>{{ bar.title }}</title>
              <rect class="hit" [attr.x]="bar.x" y="0" [attr.width]="step" [attr.height]="height" />
              @for (rect of bar.rects; track rect.layer) {
                <rect
                  [attr.class]="rect.layer"
                  [attr.x]="bar.x"
                  [attr.y]="rect.y"
                  [attr.width]="barWidth"
                  [attr.height]="rect.height"
                />
              }
            </g>
          }
        </svg>
        <div class="axis-labels">
          <span>{{ 'dashboard.events.perMinute.ago' | t }}</span>
          <span>{{ 'dashboard.events.perMinute.now' | t }}</span>
        </div>
        @if (empty()) {
          <p class="muted">{{ 'dashboard.events.perMinute.empty' | t }}</p>
        } @else {
          <ul class="legend" data-testid="events-per-minute-legend">
            @for (item of legend(); track item.layer) {
              <li>
                <span [class]="'swatch ' + item.layer" aria-hidden="true"></span>
                {{ item.label }}: {{ item.count }}
              </li>
            }
          </ul>
        }
      }
    </app-event-metric-card>
  `,
  styles: `
    :host {
      display: block;
    }
    .chart {
      display: block;
      width: 100%;
      height: 72px;
    }
    .hit {
      fill: transparent;
    }
    .bar:hover .hit {
      fill: color-mix(in srgb, var(--mat-sys-on-surface) 8%, transparent);
    }
    .axis {
      stroke: var(--mat-sys-outline-variant);
      stroke-width: 1;
      vector-effect: non-scaling-stroke;
    }
    .done {
      fill: var(--app-status-up);
      background: var(--app-status-up);
    }
    .skipped {
      fill: var(--mat-sys-outline);
      background: var(--mat-sys-outline);
    }
    .retried {
      fill: light-dark(#9a5b00, #ffb74d);
      background: light-dark(#9a5b00, #ffb74d);
    }
    .failed {
      fill: var(--mat-sys-error);
      background: var(--mat-sys-error);
    }
    .axis-labels {
      display: flex;
      justify-content: space-between;
      margin-top: 4px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      margin: 8px 0 0;
      padding: 0;
      list-style: none;
      font: var(--mat-sys-body-small);
    }
    .legend li {
      display: inline-flex;
      align-items: center;
      gap: 6px;
    }
    .swatch {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 2px;
    }
    .muted {
      margin: 8px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class EventsPerMinuteCard {
  protected readonly store = inject(EventStatsStore);
  private readonly i18n = inject(I18nService);

  protected readonly step = BAR_STEP;
  protected readonly barWidth = BAR_WIDTH;
  protected readonly height = CHART_HEIGHT;

  private readonly minutes = computed(() => this.store.stats()?.perMinute ?? null);
  protected readonly width = computed(() => Math.max(1, this.minutes()?.length ?? 60) * BAR_STEP);
  protected readonly viewBox = computed(() => `0 0 ${this.width()} ${CHART_HEIGHT}`);

  private readonly totals = computed(() => {
    const totals = { received: 0, done: 0, skipped: 0, retried: 0, failed: 0 };
    for (const minute of this.minutes() ?? []) {
      totals.received += minute.received;
      for (const layer of LAYERS) {
        totals[layer] += minute[layer];
      }
    }
    return totals;
  });
  protected readonly empty = computed(() => {
    const totals = this.totals();
    return totals.received + LAYERS.reduce((sum, layer) => sum + totals[layer], 0) === 0;
  });

  protected readonly value = computed(() => {
    if (this.minutes() === null) {
      return this.i18n.t(this.store.loading() ? 'dashboard.events.loading' : 'dashboard.events.noData');
    }
    return this.i18n.t('dashboard.events.perMinute.total', { count: this.totals().received });
  });
  /** Failures show in the bars and on their own card: the hour's total stays calm. */
  protected readonly tone = computed<MetricTone>(() =>
    this.minutes() === null || this.store.failed() ? 'neutral' : 'ok',
  );

  protected readonly legend = computed(() =>
    LAYERS.map((layer) => ({
      layer,
      label: this.i18n.t(`dashboard.events.perMinute.${layer}`),
      count: this.totals()[layer],
    })),
  );

  protected readonly bars = computed<Bar[] | null>(() => {
    const minutes = this.minutes();
    if (minutes === null) {
      return null;
    }
    const locale = this.i18n.locale();
    const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    const max = Math.max(1, ...minutes.map(stacked));
    return minutes.map((minute, index) => {
      let top = CHART_HEIGHT;
      const rects = LAYERS.filter((layer) => minute[layer] > 0).map((layer) => {
        const height = Math.max(1, (minute[layer] / max) * (CHART_HEIGHT - 2));
        top -= height;
        return { layer, y: top, height };
      });
      return {
        x: index * BAR_STEP,
        title: this.i18n.t('dashboard.events.perMinute.bar', {
          time: time.format(new Date(minute.minute)),
          received: minute.received,
          done: minute.done,
          skipped: minute.skipped,
          retried: minute.retried,
          failed: minute.failed,
        }),
        rects,
      };
    });
  });
}

function stacked(minute: MinuteStats): number {
  return LAYERS.reduce((sum, layer) => sum + minute[layer], 0);
}

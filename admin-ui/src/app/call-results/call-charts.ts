import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { NgxEchartsDirective } from 'ngx-echarts';
import { forkJoin } from 'rxjs';

import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { ThemeService } from '../core/theme/theme.service';
import { callBarsOptions, dayLabel } from './call-chart-options';
import { CallResultsApi } from './call-results-api';
import type { CallFilters } from './call-results.models';

/** Two charts over the filtered calls: answered and unanswered per day, and per operator. */
@Component({
  selector: 'app-call-charts',
  imports: [NgxEchartsDirective, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (summary.error()) {
      <p class="note" role="alert" data-testid="call-charts-error">{{ 'callResults.charts.failed' | t }}</p>
    } @else if (charts(); as shown) {
      <section class="chart-card">
        <h2 class="title">{{ 'callResults.charts.perDay' | t }}</h2>
        @if (shown.empty) {
          <p class="note" data-testid="call-charts-empty">{{ 'callResults.charts.empty' | t }}</p>
        } @else {
          <div
            class="chart"
            echarts
            data-testid="call-chart-day"
            [options]="shown.perDay"
            [theme]="theme()"
            [initOpts]="{ renderer: 'svg' }"
          ></div>
        }
      </section>
      <section class="chart-card">
        <h2 class="title">{{ 'callResults.charts.perOperator' | t }}</h2>
        @if (!shown.empty) {
          <div
            class="chart"
            echarts
            data-testid="call-chart-operator"
            [options]="shown.perOperator"
            [theme]="theme()"
            [initOpts]="{ renderer: 'svg' }"
          ></div>
        }
      </section>
    }
  `,
  styles: `
    :host {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr));
      gap: 16px;
    }
    .chart-card {
      padding: 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
    }
    .title {
      margin: 0 0 8px;
      font: var(--mat-sys-title-medium);
    }
    .chart {
      height: 260px;
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class CallCharts {
  private readonly api = inject(CallResultsApi);
  private readonly i18n = inject(I18nService);
  private readonly themeService = inject(ThemeService);

  readonly filters = input.required<CallFilters>();

  protected readonly summary = rxResource({
    params: () => this.filters(),
    stream: ({ params }) =>
      forkJoin({ day: this.api.summary(params, 'day'), operator: this.api.summary(params, 'operator') }),
  });
  /** The ECharts theme matching the console's. */
  protected readonly theme = computed(() => (this.themeService.mode() === 'dark' ? 'dark' : ''));

  protected readonly charts = computed(() => {
    if (!this.summary.hasValue()) return null;
    const { day, operator } = this.summary.value();
    const names = {
      answered: this.i18n.t('callResults.charts.answered'),
      missed: this.i18n.t('callResults.charts.missed'),
    };
    const locale = this.i18n.locale();
    const noOperator = this.i18n.t('callResults.charts.noOperator');
    return {
      empty: day.groups.length === 0,
      perDay: callBarsOptions(
        day.groups,
        day.groups.map((group) => dayLabel(group.key, locale)),
        names,
      ),
      perOperator: callBarsOptions(
        operator.groups,
        operator.groups.map((group) => group.key || noOperator),
        names,
      ),
    };
  });
}

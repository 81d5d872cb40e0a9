import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { NgxEchartsDirective } from 'ngx-echarts';

import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ChartCard } from './chart-card';
import { rateOptions } from './chart-options';
import { DashboardFlowStore } from './dashboard-flow-store';
import { LANES, type Lane } from './flow.models';

/** amoCRM requests per second by lane over the last hour, against the account's budget. */
@Component({
  selector: 'app-amocrm-rate-card',
  imports: [ChartCard, NgxEchartsDirective, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-chart-card [title]="'flow.rate.title' | t">
      @if (store.amocrmRate.error()) {
        <p class="note">{{ 'flow.loadFailed' | t }}</p>
      } @else if (store.amocrmRateData(); as rate) {
        @if (rate.minutes.length === 0) {
          <p class="note" data-testid="rate-not-connected">{{ 'flow.rate.notConnected' | t }}</p>
        } @else {
          <p class="note" data-testid="rate-peak">
            {{ 'flow.rate.peak' | t: { peak: peak(), budget: rate.budget } }}
          </p>
          <div
            class="chart"
            echarts
            data-testid="rate-chart"
            [options]="options()!"
            [theme]="store.chartTheme()"
            [initOpts]="{ renderer: 'svg' }"
          ></div>
        }
      }
    </app-chart-card>
  `,
  styles: `
    .chart {
      height: 240px;
    }
    .note {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class AmocrmRateCard {
  protected readonly store = inject(DashboardFlowStore);
  private readonly i18n = inject(I18nService);

  protected readonly peak = computed(() =>
    Math.max(0, ...(this.store.amocrmRateData()?.minutes ?? []).map((minute) => minute.peak)),
  );

  protected readonly options = computed(() => {
    const rate = this.store.amocrmRateData();
    if (!rate) return null;
    const names = Object.fromEntries(
      LANES.map((lane) => [lane, this.i18n.t(`flow.rate.lane.${lane}` as const)]),
    ) as Record<Lane, string>;
    return rateOptions(
      rate,
      names,
      this.i18n.t('flow.rate.budget', { budget: rate.budget }),
      this.i18n.locale(),
    );
  });
}

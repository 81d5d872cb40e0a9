import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { NgxEchartsDirective } from 'ngx-echarts';

import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ChartCard } from './chart-card';
import { funnelOptions } from './chart-options';
import { DashboardFlowStore } from './dashboard-flow-store';

/** Deals of the mirror by stage of each amoCRM pipeline, one funnel per pipeline. */
@Component({
  selector: 'app-funnel-card',
  imports: [ChartCard, NgxEchartsDirective, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-chart-card [title]="'flow.funnel.title' | t">
      @if (store.funnel.error()) {
        <p class="note">{{ 'flow.loadFailed' | t }}</p>
      } @else if (store.funnelData(); as funnel) {
        @for (item of charts(); track item.id) {
          <h3 class="pipeline">{{ item.name }}</h3>
          <div
            class="chart"
            echarts
            [attr.data-testid]="'funnel-chart-' + item.id"
            [options]="item.options"
            [theme]="store.chartTheme()"
            [initOpts]="{ renderer: 'svg' }"
          ></div>
        } @empty {
          <p class="note" data-testid="funnel-empty">{{ 'flow.funnel.empty' | t }}</p>
        }
      }
    </app-chart-card>
  `,
  styles: `
    .chart {
      height: 240px;
    }
    .pipeline {
      margin: 8px 0 0;
      font: var(--mat-sys-title-small);
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class FunnelCard {
  protected readonly store = inject(DashboardFlowStore);

  protected readonly charts = computed(() =>
    (this.store.funnelData()?.pipelines ?? []).map((pipeline) => ({
      id: pipeline.id,
      name: pipeline.name,
      options: funnelOptions(pipeline),
    })),
  );
}

import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { NgxEchartsDirective } from 'ngx-echarts';

import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { ChartCard } from './chart-card';
import { flowOptions } from './chart-options';
import { DashboardFlowStore } from './dashboard-flow-store';
import { OUTCOMES, type FlowRange, type Outcome } from './flow.models';

/** Events per hour over 24 hours or per day over 7 days, stacked by outcome. */
@Component({
  selector: 'app-flow-chart-card',
  imports: [ChartCard, MatButtonToggleGroup, MatButtonToggle, NgxEchartsDirective, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-chart-card [title]="'flow.events.title' | t">
      <mat-button-toggle-group
        chartControls
        hideSingleSelectionIndicator
        [value]="store.range()"
        (change)="setRange($event.value)"
        [attr.aria-label]="'flow.events.title' | t"
      >
        <mat-button-toggle value="24h" data-testid="flow-range-24h">{{
          'flow.events.range24h' | t
        }}</mat-button-toggle>
        <mat-button-toggle value="7d" data-testid="flow-range-7d">{{
          'flow.events.range7d' | t
        }}</mat-button-toggle>
      </mat-button-toggle-group>
      @if (store.flow.error()) {
        <p class="note" data-testid="flow-chart-error">{{ 'flow.loadFailed' | t }}</p>
      } @else if (options(); as chart) {
        @if (empty()) {
          <p class="note" data-testid="flow-chart-empty">{{ 'flow.events.empty' | t }}</p>
        }
        <div
          class="chart"
          echarts
          data-testid="flow-chart"
          [options]="chart"
          [theme]="store.chartTheme()"
          [initOpts]="{ renderer: 'svg' }"
        ></div>
        <p class="note" data-testid="flow-filtered">
          {{ 'flow.events.filtered' | t: { count: store.flowData()?.filtered ?? 0 } }}
        </p>
      }
    </app-chart-card>
  `,
  styles: `
    .chart {
      height: 280px;
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class FlowChartCard {
  protected readonly store = inject(DashboardFlowStore);
  private readonly i18n = inject(I18nService);

  protected readonly options = computed(() => {
    const flow = this.store.flowData();
    if (!flow) return null;
    const names = Object.fromEntries(
      OUTCOMES.map((outcome) => [outcome, this.i18n.t(`flow.outcome.${outcome}` as const)]),
    ) as Record<Outcome, string>;
    return flowOptions(flow, names, this.i18n.locale());
  });

  protected readonly empty = computed(() =>
    (this.store.flowData()?.buckets ?? []).every((b) => OUTCOMES.every((outcome) => b[outcome] === 0)),
  );

  protected setRange(range: FlowRange): void {
    this.store.range.set(range);
  }
}

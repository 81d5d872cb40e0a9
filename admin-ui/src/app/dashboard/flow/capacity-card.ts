import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { EventMetricCard, type MetricTone } from '../events/event-metric-card';
import { DashboardFlowStore } from './dashboard-flow-store';
import type { CapacityAdvice } from './flow.models';

const TONES: Record<CapacityAdvice, MetricTone> = {
  ok: 'ok',
  watch: 'warn',
  add_worker: 'bad',
  tell_platform_admin: 'bad',
};

/**
 * Measured webhooks/s and events/s over the last day against the busiest minute, and what to do; says whether the
 * figures are the whole installation's (the platform super-admin) or the workspace's.
 */
@Component({
  selector: 'app-capacity-card',
  imports: [EventMetricCard, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-event-metric-card [title]="'flow.capacity.title' | t" [value]="advice()" [tone]="tone()">
      @if (store.capacityData(); as c) {
        <p class="scope" data-testid="capacity-scope">{{ scope() }}</p>
        <p class="line" data-testid="capacity-webhooks">
          {{
            'flow.capacity.webhooks'
              | t: { average: number(c.webhooks.average), peak: number(c.webhooks.peak) }
          }}
        </p>
        <p class="line" data-testid="capacity-events">
          {{ 'flow.capacity.events' | t: { average: number(c.events.average), peak: number(c.events.peak) } }}
        </p>
        <p class="line">{{ 'flow.capacity.backlog' | t: { count: c.backlog } }}</p>
        @if (c.lagSeconds !== null) {
          <p class="line">{{ 'flow.capacity.lag' | t: { seconds: c.lagSeconds } }}</p>
        }
      } @else if (store.capacity.error()) {
        <p class="line">{{ 'flow.loadFailed' | t }}</p>
      }
    </app-event-metric-card>
  `,
  styles: `
    .scope {
      margin: 4px 0 0;
      font-weight: 500;
    }
    .line {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class CapacityCard {
  protected readonly store = inject(DashboardFlowStore);
  private readonly i18n = inject(I18nService);

  protected readonly advice = computed(() => {
    const capacity = this.store.capacityData();
    return capacity ? this.i18n.t(`flow.capacity.advice.${capacity.advice}` as const) : '—';
  });
  protected readonly scope = computed(() => {
    const capacity = this.store.capacityData();
    return capacity ? this.i18n.t(`flow.capacity.scope.${capacity.scope}` as const) : '';
  });
  protected readonly tone = computed<MetricTone>(() => {
    const capacity = this.store.capacityData();
    return capacity ? TONES[capacity.advice] : 'neutral';
  });

  protected number(value: number): string {
    return new Intl.NumberFormat(this.i18n.locale(), { maximumFractionDigits: 3 }).format(value);
  }
}

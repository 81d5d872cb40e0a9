import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { EventMetricCard, type MetricTone } from './event-metric-card';
import { EventStatsStore } from './event-stats-store';

/** The processing queue: waiting, being processed, and waiting for a retry. */
@Component({
  selector: 'app-queue-depth-card',
  imports: [EventMetricCard, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[hidden]': 'store.forbidden()' },
  template: `
    <app-event-metric-card [title]="'dashboard.events.queue.title' | t" [value]="value()" [tone]="tone()">
      @if (queue(); as queue) {
        <p class="meta" data-testid="queue-details">
          {{ 'dashboard.events.queue.details' | t: { active: queue.active, delayed: queue.delayed } }}
        </p>
      }
    </app-event-metric-card>
  `,
  styles: `
    :host {
      display: block;
    }
    .meta {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class QueueDepthCard {
  protected readonly store = inject(EventStatsStore);
  private readonly i18n = inject(I18nService);

  protected readonly queue = computed(() => this.store.stats()?.queue ?? null);
  protected readonly value = computed(() => {
    const queue = this.queue();
    if (queue === null) {
      return this.i18n.t(this.store.loading() ? 'dashboard.events.loading' : 'dashboard.events.noData');
    }
    return this.i18n.t('dashboard.events.queue.waiting', { count: queue.waiting });
  });
  protected readonly tone = computed<MetricTone>(() =>
    this.queue() === null || this.store.failed() ? 'neutral' : 'ok',
  );
}

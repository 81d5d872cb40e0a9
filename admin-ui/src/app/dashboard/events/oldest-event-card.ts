import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { formatAge } from '../../shared/format-age';
import { EventMetricCard, type MetricTone } from './event-metric-card';
import { EventStatsStore } from './event-stats-store';

/** Above this age (seconds) the oldest unprocessed event is shown in the warning colour. */
export const OLDEST_WARNING_SECONDS = 60;

/** How long the oldest event not processed yet has been waiting: amber above a minute. */
@Component({
  selector: 'app-oldest-event-card',
  imports: [EventMetricCard, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[hidden]': 'store.forbidden()' },
  template: `
    <app-event-metric-card [title]="'dashboard.events.oldest.title' | t" [value]="value()" [tone]="tone()">
      @if (tone() === 'warn') {
        <p class="meta" data-testid="oldest-slow">{{ 'dashboard.events.oldest.slow' | t }}</p>
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
export class OldestEventCard {
  protected readonly store = inject(EventStatsStore);
  private readonly i18n = inject(I18nService);

  private readonly seconds = computed(() => this.store.stats()?.oldestUnprocessedSeconds);
  protected readonly value = computed(() => {
    const seconds = this.seconds();
    if (seconds === undefined) {
      return this.i18n.t(this.store.loading() ? 'dashboard.events.loading' : 'dashboard.events.noData');
    }
    if (seconds === null) {
      return this.i18n.t('dashboard.events.oldest.none');
    }
    const age = formatAge(seconds, this.i18n.locale(), this.i18n.t.bind(this.i18n));
    return this.i18n.t('dashboard.events.oldest.age', { age });
  });
  protected readonly tone = computed<MetricTone>(() => {
    const seconds = this.seconds();
    if (seconds === undefined || this.store.failed()) {
      return 'neutral';
    }
    return seconds !== null && seconds > OLDEST_WARNING_SECONDS ? 'warn' : 'ok';
  });
}

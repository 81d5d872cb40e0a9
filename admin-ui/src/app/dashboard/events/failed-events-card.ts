import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { EventMetricCard, type MetricTone } from './event-metric-card';
import { EventStatsStore } from './event-stats-store';

/** Events in the dead letter (failed for good), with a link to the events page filtered by them. */
@Component({
  selector: 'app-failed-events-card',
  imports: [EventMetricCard, MatButton, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[hidden]': 'store.forbidden()', '[attr.data-count]': 'count()' },
  template: `
    <app-event-metric-card [title]="'dashboard.events.failed.title' | t" [value]="value()" [tone]="tone()">
      @if ((count() ?? 0) > 0) {
        <p class="hint">{{ 'dashboard.events.failed.hint' | t }}</p>
      }
      <a
        mat-button
        routerLink="/events"
        data-testid="dashboard-failed-events-open"
        [queryParams]="{ status: 'failed' }"
        >{{ 'dashboard.events.failed.open' | t }}</a
      >
    </app-event-metric-card>
  `,
  styles: `
    :host {
      display: block;
    }
    .hint {
      margin: 0 0 4px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class FailedEventsCard {
  protected readonly store = inject(EventStatsStore);
  private readonly i18n = inject(I18nService);

  protected readonly count = computed(() => this.store.stats()?.failed ?? null);
  protected readonly value = computed(() => {
    const count = this.count();
    if (count === null) {
      return this.i18n.t(this.store.loading() ? 'dashboard.events.loading' : 'dashboard.events.noData');
    }
    return count === 0
      ? this.i18n.t('dashboard.events.failed.none')
      : this.i18n.t('dashboard.events.failed.some', { count });
  });
  protected readonly tone = computed<MetricTone>(() => {
    const count = this.count();
    if (count === null || this.store.failed()) {
      return 'neutral';
    }
    return count > 0 ? 'bad' : 'ok';
  });
}

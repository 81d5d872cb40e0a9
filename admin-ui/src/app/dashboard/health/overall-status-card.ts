import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { StatusCard } from '../status-card/status-card';
import { ReadinessStore } from './readiness-store';

/** The whole service at a glance: up, down or unreachable, and when it was last checked. */
@Component({
  selector: 'app-overall-status-card',
  imports: [StatusCard, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-status]': 'store.overall()' },
  template: `
    <app-status-card
      [title]="'dashboard.overall.title' | t"
      [state]="store.overall()"
      [stateLabel]="stateLabel()"
    >
      @if (store.unreachable()) {
        <p class="hint">{{ 'dashboard.overall.unknownHint' | t }}</p>
      } @else if (store.overall() === 'down') {
        <p class="hint">{{ 'dashboard.overall.downHint' | t }}</p>
      }
      @if (updatedAt(); as time) {
        <p class="meta" data-testid="dashboard-updated-at">{{ 'dashboard.updatedAt' | t: { time } }}</p>
      }
    </app-status-card>
  `,
  styles: `
    .hint,
    .meta {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class OverallStatusCard {
  protected readonly store = inject(ReadinessStore);
  private readonly i18n = inject(I18nService);

  protected readonly stateLabel = computed(() => {
    if (this.store.loading()) {
      return this.i18n.t('dashboard.overall.loading');
    }
    return this.i18n.t(`dashboard.overall.${this.store.overall()}`);
  });

  protected readonly updatedAt = computed(() => {
    const at = this.store.updatedAt();
    return at ? at.toLocaleTimeString(this.i18n.locale()) : null;
  });
}

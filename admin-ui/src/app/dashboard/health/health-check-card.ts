import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';

import { I18nService } from '../../core/i18n/i18n.service';
import type { TranslationKey } from '../../core/i18n/i18n.types';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { StatusCard } from '../status-card/status-card';
import type { CheckView } from './readiness-store';

/** Names of known checks; an unknown check (a new queue, say) is shown under its own name. */
const CHECK_NAMES: Readonly<Record<string, TranslationKey>> = {
  database: 'dashboard.checks.database',
  redis: 'dashboard.checks.redis',
};

/** One dependency of the service (database, Redis…): up or down, latency, error. */
@Component({
  selector: 'app-health-check-card',
  imports: [StatusCard, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-status]': 'check().state' },
  template: `
    <app-status-card [title]="title()" [state]="check().state" [stateLabel]="stateLabel()">
      @if (check().latencyMs !== null) {
        <p class="meta" data-testid="check-latency">
          {{ 'dashboard.check.latency' | t: { ms: check().latencyMs ?? 0 } }}
        </p>
      }
      @if (check().error; as error) {
        <p class="error" data-testid="check-error">{{ 'dashboard.check.error' | t: { error } }}</p>
      }
    </app-status-card>
  `,
  styles: `
    .meta {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      margin: 4px 0 0;
      color: var(--mat-sys-error);
      overflow-wrap: anywhere;
    }
  `,
})
export class HealthCheckCard {
  private readonly i18n = inject(I18nService);

  readonly check = input.required<CheckView>();

  protected readonly title = computed(() => {
    const name = this.check().name;
    return Object.hasOwn(CHECK_NAMES, name) ? this.i18n.t(CHECK_NAMES[name]) : name;
  });

  protected readonly stateLabel = computed(() => this.i18n.t(`dashboard.check.${this.check().state}`));
}

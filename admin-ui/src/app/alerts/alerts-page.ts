import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { AuthService } from '../core/auth/auth.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { PageHeader } from '../core/ui/page-header';
import { AlertSettingsCard } from './alert-settings-card';
import { AlertsList } from './alerts-list';

/**
 * «Оповещения»: the settings (admins; others are told an admin changes them) and the list of alerts
 * (every role, as the bell).
 */
@Component({
  selector: 'app-alerts-page',
  imports: [PageHeader, AlertSettingsCard, AlertsList, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-page-header title="alerts.title" subtitle="alerts.subtitle" />
    <div class="cards">
      @if (isAdmin()) {
        <app-alert-settings-card />
      } @else {
        <p class="muted" data-testid="alert-settings-read-only">{{ 'alerts.settings.readOnly' | t }}</p>
      }
      <app-alerts-list />
    </div>
  `,
  styles: `
    .cards {
      display: flex;
      flex-direction: column;
      gap: 24px;
      max-width: 960px;
    }
    .muted {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export default class AlertsPage {
  private readonly auth = inject(AuthService);
  protected readonly isAdmin = computed(() => this.auth.hasRole(['admin']));
}

import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { AuthService } from '../core/auth/auth.service';
import { AmocrmWebhookState } from '../core/amocrm/amocrm-webhook-state';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { StatusCard, type StatusCardState } from './status-card/status-card';
import { AMOCRM_PAGE_PATH, AmocrmConnectionState } from '../core/amocrm/amocrm-connection-state';

/**
 * The amoCRM connection on the overview (read from the state the shell polls). Hidden from roles
 * that may not read the connection.
 */
@Component({
  selector: 'app-amocrm-dashboard-card',
  imports: [StatusCard, MatButton, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[hidden]': 'state.forbidden()' },
  template: `
    <app-status-card [title]="'amocrm.card.title' | t" [state]="cardState()" [stateLabel]="label()">
      @if (state.connection(); as connection) {
        @if (connection.accountName) {
          <p class="account">{{ connection.accountName }}</p>
        }
      }
      @if (webhook.degraded()) {
        <p class="account" data-testid="dashboard-amocrm-degraded">{{ 'amocrm.degraded.card' | t }}</p>
      }
      <a mat-button [routerLink]="pagePath" data-testid="dashboard-amocrm-open">{{
        'amocrm.card.open' | t
      }}</a>
    </app-status-card>
  `,
  styles: `
    :host {
      display: block;
    }
    .account {
      margin: 0 0 4px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class AmocrmDashboardCard {
  protected readonly state = inject(AmocrmConnectionState);
  private readonly i18n = inject(I18nService);
  protected readonly pagePath = AMOCRM_PAGE_PATH;

  protected readonly webhook = inject(AmocrmWebhookState);

  protected readonly cardState = computed<StatusCardState>(() => {
    const status = this.state.status();
    return status === 'connected'
      ? this.webhook.degraded()
        ? 'degraded'
        : 'up'
      : status === 'needs_reauth' || status === 'paused'
        ? 'down'
        : 'unknown';
  });
  protected readonly label = computed(() => {
    const status = this.state.status();
    if (this.webhook.degraded()) {
      return this.i18n.t('amocrm.degraded.status');
    }
    return status === null ? this.i18n.t('amocrm.card.unknown') : this.i18n.t(`amocrm.status.${status}`);
  });

  constructor() {
    // Only admins may read the subscription: for others the card shows the connection alone.
    if (inject(AuthService).hasRole(['admin'])) {
      this.webhook.load().subscribe({ error: () => undefined });
    }
  }
}

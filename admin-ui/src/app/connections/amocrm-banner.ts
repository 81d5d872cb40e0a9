import { ChangeDetectionStrategy, Component, InjectionToken, computed, inject } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { NavigationEnd, Router, RouterLink } from '@angular/router';
import { exhaustMap, filter, map, merge, startWith, timer } from 'rxjs';

import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { AMOCRM_PAGE_PATH, AmocrmConnectionState } from '../core/amocrm/amocrm-connection-state';
import { AMOCRM_PAUSE_REASONS } from '../core/amocrm/amocrm.models';

/** How often the shell re-reads the amoCRM connection (it also does after every navigation). */
export const AMOCRM_STATUS_POLL_MS = new InjectionToken<number>('AMOCRM_STATUS_POLL_MS', {
  factory: () => 60_000,
});

/**
 * The strip under the toolbar when amoCRM needs attention: "reconnect" or "sync stopped, because…",
 * with a link to the connection page. Lives in the shell, so it polls only while someone is signed in.
 */
@Component({
  selector: 'app-amocrm-banner',
  imports: [MatButton, MatIcon, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (message(); as message) {
      <div class="banner" role="alert" data-testid="amocrm-banner" [attr.data-status]="status()">
        <mat-icon class="icon" svgIcon="warning" />
        <span class="text">{{ message }}</span>
        @if (!onConnectionPage()) {
          <a mat-button class="link" data-testid="amocrm-banner-link" [routerLink]="pagePath">
            {{ 'amocrm.banner.open' | t }}
          </a>
        }
      </div>
    }
  `,
  styles: `
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      padding: 8px 16px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .icon {
      flex: none;
    }
    .text {
      flex: 1;
      min-width: 12em;
      font: var(--mat-sys-body-large);
    }
    .link {
      --mat-button-text-label-text-color: var(--mat-sys-on-error-container);
    }
  `,
})
export class AmocrmBanner {
  private readonly state = inject(AmocrmConnectionState);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  private readonly router = inject(Router);

  protected readonly pagePath = AMOCRM_PAGE_PATH;
  protected readonly status = this.state.status;

  private readonly navigations = this.router.events.pipe(filter((event) => event instanceof NavigationEnd));
  protected readonly onConnectionPage = toSignal(
    this.navigations.pipe(
      startWith(null),
      map(() => this.router.url.split('?')[0] === AMOCRM_PAGE_PATH),
    ),
    { initialValue: false },
  );

  protected readonly message = computed(() => {
    const connection = this.state.connection();
    if (connection?.status === 'needs_reauth') {
      return this.i18n.t('amocrm.banner.needs_reauth');
    }
    if (connection?.status === 'paused') {
      const reason = connection.pausedReason;
      const reasonText = this.i18n.t(
        reason && (AMOCRM_PAUSE_REASONS as readonly string[]).includes(reason)
          ? `amocrm.banner.pausedReasons.${reason}`
          : 'amocrm.banner.pausedReasons.unknown',
      );
      return this.i18n.t('amocrm.banner.paused', { reason: reasonText });
    }
    return null;
  });

  constructor() {
    merge(timer(0, inject(AMOCRM_STATUS_POLL_MS)), this.navigations)
      .pipe(
        filter(() => this.auth.isAuthenticated() && !this.state.forbidden()),
        exhaustMap(() => this.state.poll()),
        takeUntilDestroyed(),
      )
      .subscribe();
  }
}

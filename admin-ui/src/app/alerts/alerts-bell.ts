import { ChangeDetectionStrategy, Component, InjectionToken, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatBadge } from '@angular/material/badge';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { Router } from '@angular/router';
import { EMPTY, catchError, exhaustMap, filter, timer } from 'rxjs';

import { AuthService } from '../core/auth/auth.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { AlertsApi, type AlertItem } from './alerts-api';

/** How often the bell re-reads the alerts. */
export const ALERTS_POLL_MS = new InjectionToken<number>('ALERTS_POLL_MS', { factory: () => 60_000 });

/**
 * The bell in the toolbar: the number of unread alerts, the latest ones in a menu; choosing one marks it read
 * and opens the page where it is fixed.
 */
@Component({
  selector: 'app-alerts-bell',
  imports: [
    MatBadge,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    TranslatePipe,
    LocalDatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      mat-icon-button
      type="button"
      data-testid="alerts-bell"
      [matMenuTriggerFor]="alertsMenu"
      [matBadge]="unread() || null"
      [matBadgeHidden]="unread() === 0"
      matBadgeColor="warn"
      matBadgeSize="small"
      [attr.aria-label]="'alerts.bell' | t: { count: unread() }"
    >
      <mat-icon svgIcon="notifications" />
    </button>
    <mat-menu #alertsMenu="matMenu" xPosition="before" class="alerts-menu">
      @for (alert of items(); track alert.id) {
        <button
          mat-menu-item
          type="button"
          class="alert-item"
          data-testid="alert-item"
          [class.unread]="!alert.readAt"
          (click)="open(alert)"
        >
          <span class="alert-title">{{ alert.title }}</span>
          <span class="alert-meta">
            {{ alert.raisedAt | localDate }} ·
            {{ (alert.state === 'active' ? 'alerts.active' : 'alerts.resolved') | t }}
          </span>
        </button>
      } @empty {
        <div class="alerts-empty" data-testid="alerts-empty">{{ 'alerts.empty' | t }}</div>
      }
      <button mat-menu-item type="button" class="alerts-all" data-testid="alerts-all" (click)="openAll()">
        {{ 'alerts.all' | t }}
      </button>
    </mat-menu>
  `,
  styles: `
    .alert-item {
      height: auto;
      min-height: 56px;
      padding-block: 8px;
      white-space: normal;
    }
    .alert-title {
      display: block;
      font: var(--mat-sys-body-large);
    }
    .unread .alert-title {
      font-weight: 600;
    }
    .alert-meta {
      display: block;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .alerts-all {
      color: var(--mat-sys-primary);
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .alerts-empty {
      padding: 16px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class AlertsBell {
  private readonly api = inject(AlertsApi);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  protected readonly items = signal<AlertItem[]>([]);
  protected readonly unread = signal(0);

  constructor() {
    timer(0, inject(ALERTS_POLL_MS))
      .pipe(
        filter(() => this.auth.isAuthenticated()),
        exhaustMap(() => this.api.latest().pipe(catchError(() => EMPTY))),
        takeUntilDestroyed(),
      )
      .subscribe((page) => {
        this.items.set(page.items);
        this.unread.set(page.unread);
      });
  }

  protected openAll(): void {
    void this.router.navigateByUrl('/alerts');
  }

  protected open(alert: AlertItem): void {
    if (!alert.readAt) {
      this.api.markRead(alert.id).subscribe({
        next: (read) => {
          this.items.update((items) => items.map((item) => (item.id === read.id ? read : item)));
          this.unread.update((count) => Math.max(0, count - 1));
        },
        error: () => undefined,
      });
    }
    void this.router.navigateByUrl(alert.link);
  }
}

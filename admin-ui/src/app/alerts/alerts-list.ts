import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { finalize } from 'rxjs';

import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { AlertsApi, type AlertItem } from './alerts-api';

/** Alerts per request of the list. */
export const ALERTS_PAGE_SIZE = 20;

/** The workspace's alerts, newest first: open or resolved, unread ones marked, «Прочитано» per alert. */
@Component({
  selector: 'app-alerts-list',
  imports: [
    MatButton,
    MatCard,
    MatCardContent,
    MatCardHeader,
    MatCardTitle,
    MatProgressBar,
    RouterLink,
    TranslatePipe,
    LocalDatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="alerts-list">
      @if (loading()) {
        <mat-progress-bar class="progress" mode="indeterminate" />
      }
      <mat-card-header>
        <mat-card-title>{{ 'alerts.list.title' | t }}</mat-card-title>
      </mat-card-header>
      <mat-card-content>
        <p class="muted" data-testid="alerts-unread">{{ 'alerts.list.unread' | t: { count: unread() } }}</p>
        @if (loadError()) {
          <div class="alert" role="alert" data-testid="alerts-load-error">
            <span>{{ 'alerts.list.loadFailed' | t }}</span>
            <button mat-stroked-button type="button" (click)="reload()">{{ 'common.retry' | t }}</button>
          </div>
        }
        <ul class="alerts">
          @for (alert of items(); track alert.id) {
            <li
              class="alert-row"
              data-testid="alert-row"
              [class.unread]="!alert.readAt"
              [class.resolved]="alert.state === 'resolved'"
            >
              <div class="text">
                <div class="title">
                  <span class="state" [attr.data-state]="alert.state">
                    {{ (alert.state === 'active' ? 'alerts.active' : 'alerts.resolved') | t }}
                  </span>
                  {{ alert.title }}
                </div>
                <div class="detail">{{ alert.detail }}</div>
                <div class="meta">
                  {{ 'alerts.list.raised' | t: { time: (alert.raisedAt | localDate) ?? '' } }}
                  @if (alert.resolvedAt) {
                    · {{ 'alerts.list.resolvedAt' | t: { time: (alert.resolvedAt | localDate) ?? '' } }}
                  }
                </div>
              </div>
              <div class="row-actions">
                @if (alert.state === 'active') {
                  <a mat-stroked-button [routerLink]="alert.link" data-testid="alert-open">
                    {{ 'alerts.list.open' | t }}
                  </a>
                }
                @if (!alert.readAt) {
                  <button mat-button type="button" data-testid="alert-mark-read" (click)="markRead(alert)">
                    {{ 'alerts.list.markRead' | t }}
                  </button>
                }
              </div>
            </li>
          } @empty {
            @if (!loading() && !loadError()) {
              <li class="empty" data-testid="alerts-list-empty">{{ 'alerts.list.empty' | t }}</li>
            }
          }
        </ul>
        @if (items().length < total()) {
          <button
            mat-stroked-button
            type="button"
            data-testid="alerts-more"
            [disabled]="loading()"
            (click)="more()"
          >
            {{ 'alerts.list.more' | t }}
          </button>
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    :host {
      display: block;
    }
    mat-card {
      position: relative;
    }
    .progress {
      position: absolute;
      inset: 0 0 auto;
    }
    .muted {
      margin: 0 0 8px;
      color: var(--mat-sys-on-surface-variant);
    }
    .alert {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px;
      color: var(--mat-sys-error);
    }
    .alerts {
      margin: 0 0 12px;
      padding: 0;
      list-style: none;
    }
    .alert-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px 16px;
      padding: 12px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .text {
      flex: 1 1 320px;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .title {
      font: var(--mat-sys-body-large);
    }
    .unread .title {
      font-weight: 600;
    }
    .state {
      margin-inline-end: 6px;
      padding: 2px 8px;
      border-radius: 8px;
      font: var(--mat-sys-label-medium);
      color: var(--mat-sys-on-error-container);
      background: var(--mat-sys-error-container);
    }
    .state[data-state='resolved'] {
      color: var(--mat-sys-on-surface-variant);
      background: var(--mat-sys-surface-container-highest);
    }
    .detail,
    .meta {
      color: var(--mat-sys-on-surface-variant);
    }
    .meta {
      font: var(--mat-sys-body-small);
    }
    .row-actions {
      display: flex;
      gap: 8px;
    }
    .empty {
      padding: 32px 16px;
      text-align: center;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class AlertsList {
  private readonly api = inject(AlertsApi);
  private readonly notifier = inject(Notifier);

  protected readonly items = signal<AlertItem[]>([]);
  protected readonly total = signal(0);
  protected readonly unread = signal(0);
  protected readonly loading = signal(false);
  protected readonly loadError = signal(false);
  private page = 0;

  constructor() {
    this.reload();
  }

  protected reload(): void {
    this.page = 0;
    this.items.set([]);
    this.more();
  }

  protected more(): void {
    this.loadError.set(false);
    this.loading.set(true);
    this.api
      .page(this.page + 1, ALERTS_PAGE_SIZE)
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (page) => {
          this.page = page.page;
          const seen = new Set(this.items().map((item) => item.id));
          this.items.update((items) => [...items, ...page.items.filter((item) => !seen.has(item.id))]);
          this.total.set(page.total);
          this.unread.set(page.unread);
        },
        error: () => this.loadError.set(true),
      });
  }

  protected markRead(alert: AlertItem): void {
    this.api.markRead(alert.id).subscribe({
      next: (read) => {
        this.items.update((items) => items.map((item) => (item.id === read.id ? read : item)));
        this.unread.update((count) => Math.max(0, count - 1));
      },
      error: (error: unknown) => this.notifier.error(error),
    });
  }
}

import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatTooltip } from '@angular/material/tooltip';
import { type Observable, filter, finalize, switchMap } from 'rxjs';

import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { LptrackerApi } from '../core/lptracker/lptracker-api';
import type { LptrackerProjectRef, LptrackerWebhook } from '../core/lptracker/lptracker.models';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { lptrackerActionErrorMessage } from '../shared/lptracker-errors';

/**
 * The LPTracker callback: the URL LPTracker calls (admins copy it), whether each enabled project has
 * it (and how many other callbacks it keeps), and, for admins, register / remove with a confirmation.
 */
@Component({
  selector: 'app-lptracker-webhook-card',
  imports: [
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatCardActions,
    MatButton,
    MatIconButton,
    MatIcon,
    MatProgressBar,
    MatTooltip,
    TranslatePipe,
  ],
  template: `
    <mat-card appearance="outlined" class="card" data-testid="lptracker-webhook">
      @if (loading() || busy()) {
        <mat-progress-bar class="progress" mode="indeterminate" />
      }
      <mat-card-header>
        <mat-card-title>{{ 'lptracker.webhook.title' | t }}</mat-card-title>
      </mat-card-header>
      <mat-card-content>
        <p class="muted">{{ 'lptracker.webhook.subtitle' | t }}</p>
        @if (errorMessage(); as message) {
          <p class="alert" role="alert" data-testid="lptracker-webhook-error">{{ message }}</p>
        }
        @if (webhook(); as webhook) {
          <div class="url">
            <code data-testid="lptracker-webhook-url">{{ webhook.url }}</code>
            @if (canEdit()) {
              <button
                mat-icon-button
                type="button"
                data-testid="lptracker-webhook-copy"
                [attr.aria-label]="'lptracker.webhook.copy' | t"
                [matTooltip]="'lptracker.webhook.copy' | t"
                (click)="copy(webhook.url)"
              >
                <mat-icon svgIcon="content_copy" />
              </button>
            }
          </div>
          <ul class="projects">
            @for (project of webhook.projects; track project.projectId) {
              <li
                data-testid="lptracker-webhook-project"
                [attr.data-project-id]="project.projectId"
                [attr.data-registered]="project.registered"
              >
                <span>{{ nameOf(project.projectId) }}</span>
                <span class="state">
                  @if (project.registered === null) {
                    {{ 'lptracker.webhook.unknown' | t }}
                  } @else {
                    {{
                      (project.registered
                        ? 'lptracker.webhook.registered'
                        : 'lptracker.webhook.notRegistered'
                      ) | t
                    }}
                  }
                  @if (project.others) {
                    · {{ 'lptracker.webhook.others' | t: { count: project.others } }}
                  }
                </span>
              </li>
            }
          </ul>
        }
      </mat-card-content>
      @if (canEdit() && webhook(); as webhook) {
        <mat-card-actions class="actions">
          <button
            mat-flat-button
            type="button"
            data-testid="lptracker-webhook-register"
            [disabled]="busy()"
            (click)="register()"
          >
            {{ (webhook.wanted ? 'lptracker.webhook.registerAgain' : 'lptracker.webhook.register') | t }}
          </button>
          @if (webhook.wanted) {
            <button
              mat-button
              type="button"
              class="danger"
              data-testid="lptracker-webhook-unregister"
              [disabled]="busy()"
              (click)="unregister()"
            >
              {{ 'lptracker.webhook.unregister' | t }}
            </button>
          }
        </mat-card-actions>
      }
    </mat-card>
  `,
  styles: `
    .card {
      position: relative;
      overflow: hidden;
    }
    .progress {
      position: absolute;
      inset: 0 0 auto;
    }
    .muted,
    .state {
      color: var(--mat-sys-on-surface-variant);
    }
    .alert {
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .url {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .url code {
      overflow-wrap: anywhere;
    }
    .projects {
      list-style: none;
      margin: 8px 0 0;
      padding: 0;
    }
    .projects li {
      display: flex;
      justify-content: space-between;
      gap: 12px;
      padding: 6px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .danger:not(:disabled) {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LptrackerWebhookCard {
  private readonly api = inject(LptrackerApi);
  private readonly clipboard = inject(Clipboard);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);

  /** The enabled projects (names; a change reloads the state, since enabled projects get the callback). */
  readonly projects = input.required<readonly LptrackerProjectRef[]>();
  readonly canEdit = input(false);

  protected readonly webhook = signal<LptrackerWebhook | null>(null);
  protected readonly loading = signal(false);
  protected readonly busy = signal(false);
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : lptrackerActionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });

  constructor() {
    effect(() => {
      this.projects();
      this.load();
    });
  }

  protected nameOf(projectId: number): string {
    return this.projects().find((project) => project.id === projectId)?.name ?? `ID ${projectId}`;
  }

  protected copy(url: string): void {
    if (this.clipboard.copy(url)) {
      this.notifier.info('lptracker.webhook.copied');
    }
  }

  protected register(): void {
    this.confirmThen('register', this.api.registerWebhook(), 'lptracker.webhook.registeredNotice');
  }

  protected unregister(): void {
    this.confirmThen('unregister', this.api.unregisterWebhook(), 'lptracker.webhook.unregisteredNotice');
  }

  private load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api
      .webhook()
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (webhook) => this.webhook.set(webhook),
        error: (error: unknown) => this.error.set(error),
      });
  }

  private confirmThen(
    kind: 'register' | 'unregister',
    request: Observable<LptrackerWebhook>,
    notice: 'lptracker.webhook.registeredNotice' | 'lptracker.webhook.unregisteredNotice',
  ): void {
    confirmAction(this.dialog, {
      title: `lptracker.webhook.confirm.${kind}Title`,
      text: `lptracker.webhook.confirm.${kind}Text`,
      confirm: `lptracker.webhook.confirm.${kind}`,
      danger: kind === 'unregister',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busy.set(true);
          this.error.set(null);
          return request.pipe(finalize(() => this.busy.set(false)));
        }),
      )
      .subscribe({
        next: (webhook) => {
          this.webhook.set(webhook);
          this.notifier.info(notice);
        },
        error: (error: unknown) => this.error.set(error),
      });
  }
}

import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { Observable, filter, finalize, switchMap } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { LptrackerApi } from '../core/lptracker/lptracker-api';
import { LptrackerMetadataStore } from '../core/lptracker/lptracker-metadata-store';
import type { LptrackerConnection } from '../core/lptracker/lptracker.models';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { PageHeader } from '../core/ui/page-header';
import { lptrackerActionErrorMessage, lptrackerLastErrorKey } from '../shared/lptracker-errors';
import { LptrackerConnectForm } from './lptracker-connect-form';
import { LptrackerMetadataBrowser } from './lptracker-metadata-browser';
import { LptrackerProjectsCard } from './lptracker-projects-card';
import { LptrackerWebhookCard } from './lptracker-webhook-card';

type Action = 'check' | 'disconnect' | 'refresh';

/**
 * `/connections/lptracker`: the LPTracker connection (everyone sees it; admins connect, check,
 * disconnect and switch projects), the projects the login sees and the metadata browser.
 */
@Component({
  selector: 'app-lptracker-page',
  imports: [
    RouterLink,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatCardActions,
    MatButton,
    MatIconButton,
    MatIcon,
    MatProgressBar,
    LocalDatePipe,
    PageHeader,
    TranslatePipe,
    LptrackerConnectForm,
    LptrackerMetadataBrowser,
    LptrackerProjectsCard,
    LptrackerWebhookCard,
  ],
  templateUrl: './lptracker-page.html',
  styleUrl: './amocrm-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class LptrackerPage {
  private readonly api = inject(LptrackerApi);
  private readonly auth = inject(AuthService);
  private readonly metadataStore = inject(LptrackerMetadataStore);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);

  protected readonly connection = signal<LptrackerConnection | null>(null);
  protected readonly forbidden = signal(false);
  protected readonly isAdmin = computed(() => this.auth.user() !== null && this.auth.hasRole(['admin']));
  protected readonly loading = signal(true);
  private readonly loadError = signal<unknown>(null);
  protected readonly loadErrorMessage = computed(() => {
    const error = this.loadError();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });
  protected readonly busy = signal<Action | null>(null);
  private readonly actionError = signal<unknown>(null);
  protected readonly actionErrorMessage = computed(() => {
    const error = this.actionError();
    return error === null
      ? null
      : lptrackerActionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });
  /** The last error in plain words (the server's English text stays below it, for support). */
  protected readonly lastErrorKey = computed(() => {
    const lastError = this.connection()?.lastError;
    return lastError ? lptrackerLastErrorKey(lastError) : null;
  });
  /** The enabled project ids; a new array only when they change (the projects card reloads then). */
  protected readonly enabledIds = computed(
    () => (this.connection()?.projects ?? []).map((project) => project.id),
    { equal: (a, b) => a.join() === b.join() },
  );

  /** The enabled projects; a new array only when their ids change (the webhook card reloads then). */
  protected readonly enabledProjects = computed(() => this.connection()?.projects ?? [], {
    equal: (a, b) => a.map((project) => project.id).join() === b.map((project) => project.id).join(),
  });
  protected readonly enabledNames = computed(() =>
    (this.connection()?.projects ?? []).map((project) => project.name).join(', '),
  );

  private readonly formRequested = signal(false);
  protected readonly showConnectForm = computed(() => {
    const status = this.connection()?.status;
    return this.isAdmin() && status !== undefined && (status !== 'connected' || this.formRequested());
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api
      .connection()
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (connection) => this.show(connection),
        error: (error: unknown) => {
          if (error instanceof HttpErrorResponse && error.status === 403) {
            this.forbidden.set(true);
          } else {
            this.loadError.set(error);
          }
        },
      });
  }

  protected openForm(): void {
    this.formRequested.set(true);
  }

  protected closeForm(): void {
    this.formRequested.set(false);
  }

  protected onConnected(connection: LptrackerConnection): void {
    this.formRequested.set(false);
    this.actionError.set(null);
    this.show(connection);
    this.notifier.info('lptracker.connect.connected', { login: connection.login ?? '' });
  }

  protected check(): void {
    this.run('check', this.api.check()).subscribe((connection) => {
      this.show(connection);
      this.notifier.info('lptracker.checked');
    });
  }

  protected disconnect(): void {
    confirmAction(this.dialog, {
      title: 'lptracker.confirmDisconnect.title',
      text: 'lptracker.confirmDisconnect.text',
      confirm: 'lptracker.confirmDisconnect.confirm',
      params: { login: this.connection()?.login ?? '' },
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.run('disconnect', this.api.disconnect())),
      )
      .subscribe(() => {
        this.metadataStore.clear();
        this.notifier.info('lptracker.disconnected');
        this.load();
      });
  }

  protected refreshMetadata(): void {
    this.run('refresh', this.metadataStore.refresh()).subscribe(() =>
      this.notifier.info('lptracker.metadataRefreshed'),
    );
  }

  /** A project was switched on or off: the status and the metadata follow. */
  protected onProjectsChanged(): void {
    this.load();
  }

  private show(connection: LptrackerConnection): void {
    const before = this.connection();
    this.connection.set(connection);
    const ids = (value: LptrackerConnection): string => value.projects.map((project) => project.id).join();
    if (before?.status === connection.status && ids(before) === ids(connection)) {
      return;
    }
    if (connection.projects.length > 0) {
      this.metadataStore.load().subscribe({ error: () => undefined });
    } else {
      this.metadataStore.clear();
    }
  }

  /** Runs an action with its button busy; a failure is shown on the status card and the state re-read. */
  private run<T>(action: Action, request: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.busy.set(action);
      this.actionError.set(null);
      return request.pipe(finalize(() => this.busy.set(null))).subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          this.actionError.set(error);
          this.load();
          subscriber.complete();
        },
        complete: () => subscriber.complete(),
      });
    });
  }
}

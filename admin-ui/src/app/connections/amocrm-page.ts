import {
  ChangeDetectionStrategy,
  Component,
  type OnInit,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { Observable, filter, finalize, switchMap } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { PageHeader } from '../core/ui/page-header';
import { actionErrorMessage } from '../shared/amocrm-errors';
import { AmocrmApi } from '../core/amocrm/amocrm-api';
import { AmocrmConnectForm } from './amocrm-connect-form';
import { AmocrmConnectionState } from '../core/amocrm/amocrm-connection-state';
import { AmocrmMetadataBrowser } from './amocrm-metadata-browser';
import { AmocrmMetadataStore } from '../core/amocrm/amocrm-metadata-store';
import { AmocrmReconcileCard } from './amocrm-reconcile-card';
import { AmocrmWebhookCard } from './amocrm-webhook-card';
import { AmocrmWebhookState } from '../core/amocrm/amocrm-webhook-state';
import { AMOCRM_PAUSE_REASONS, type AmocrmConnection } from '../core/amocrm/amocrm.models';
import { OPEN_URL } from './open-url';

/** Codes the backend's OAuth callback may put in `?error=` (anything else is shown with its code). */
const CALLBACK_ERRORS = [
  'access_denied',
  'invalid_request',
  'invalid_state',
  'connection_changed',
  'referer_mismatch',
  'amocrm_unavailable',
  'code_rejected',
  'account_check_failed',
  'internal_error',
] as const;
type CallbackError = (typeof CALLBACK_ERRORS)[number];

type Action = 'resume' | 'disconnect' | 'refresh' | 'reconnect';

/** What the OAuth callback reported, shown once at the top of the page. */
type CallbackResult = { kind: 'connected' } | { kind: 'error'; code: string };

/**
 * `/connections/amocrm`: the state of the amoCRM connection (everyone), connecting, resuming,
 * disconnecting and the webhook (admins), reconciliation (everyone sees it, admins start it) and the amoCRM
 * metadata browser (everyone).
 */
@Component({
  selector: 'app-amocrm-page',
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
    LocalDatePipe,
    PageHeader,
    TranslatePipe,
    AmocrmConnectForm,
    AmocrmMetadataBrowser,
    AmocrmReconcileCard,
    AmocrmWebhookCard,
  ],
  templateUrl: './amocrm-page.html',
  styleUrl: './amocrm-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class AmocrmPage implements OnInit {
  private readonly api = inject(AmocrmApi);
  private readonly auth = inject(AuthService);
  private readonly state = inject(AmocrmConnectionState);
  private readonly metadataStore = inject(AmocrmMetadataStore);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  private readonly openUrl = inject(OPEN_URL);

  /** `?connected=1` after amoCRM's consent page sent the admin back. */
  readonly connected = input<string>();
  /** `?error=<code>` when connecting through the consent page failed. */
  readonly error = input<string>();

  protected readonly connection = this.state.connection;
  /** Connected, but amoCRM does not send its webhooks (known to admins, who may read the subscription). */
  protected readonly degraded = inject(AmocrmWebhookState).degraded;
  protected readonly forbidden = this.state.forbidden;
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
    return error === null ? null : actionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });

  /** The connect form is open by itself when there is nothing (working) to keep; else on request. */
  private readonly formRequested = signal(false);
  protected readonly showConnectForm = computed(() => {
    const status = this.connection()?.status;
    return (
      this.isAdmin() &&
      status !== undefined &&
      (status === 'not_connected' || status === 'needs_reauth' || this.formRequested())
    );
  });
  protected readonly callbackResult = signal<CallbackResult | null>(null);
  protected readonly callbackMessage = computed(() => {
    const result = this.callbackResult();
    if (!result) {
      return null;
    }
    if (result.kind === 'connected') {
      return this.i18n.t('amocrm.callback.connected');
    }
    return (CALLBACK_ERRORS as readonly string[]).includes(result.code)
      ? this.i18n.t(`amocrm.callback.errors.${result.code as CallbackError}`)
      : this.i18n.t('amocrm.callback.errors.unknown', { code: result.code });
  });

  protected readonly statusKey = computed<TranslationKey>(() => {
    const status = this.connection()?.status;
    if (this.degraded()) {
      return 'amocrm.degraded.status';
    }
    return status ? `amocrm.status.${status}` : 'amocrm.status.loading';
  });
  protected readonly pauseReasonKey = computed<TranslationKey | null>(() => {
    const connection = this.connection();
    if (connection?.status !== 'paused') {
      return null;
    }
    const reason = connection.pausedReason;
    return reason && (AMOCRM_PAUSE_REASONS as readonly string[]).includes(reason)
      ? `amocrm.pauseReasons.${reason}`
      : 'amocrm.pauseReasons.unknown';
  });

  constructor() {
    this.load();
  }

  ngOnInit(): void {
    // Read the result of the consent page once, then drop it from the address (a reload must not repeat it).
    this.takeCallbackResult();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.state
      .load()
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({ error: (error: unknown) => this.loadError.set(error) });
  }

  protected dismissCallback(): void {
    this.callbackResult.set(null);
  }

  protected openForm(): void {
    this.formRequested.set(true);
  }

  protected closeForm(): void {
    this.formRequested.set(false);
  }

  protected onConnected(connection: AmocrmConnection): void {
    this.state.set(connection);
    this.formRequested.set(false);
    this.callbackResult.set(null);
    this.notifier.info('amocrm.connect.connected', {
      account: connection.accountName ?? connection.subdomain ?? '',
    });
    this.metadataStore.load().subscribe({ error: () => undefined });
  }

  protected resume(): void {
    this.run('resume', this.api.resume()).subscribe((connection) => {
      this.state.set(connection);
      this.notifier.info('amocrm.resumed');
    });
  }

  /** Reconnect: straight to amoCRM's consent page for an OAuth integration, else the form. */
  protected reconnect(): void {
    if (this.connection()?.authKind !== 'oauth') {
      this.formRequested.set(true);
      return;
    }
    this.run('reconnect', this.api.authorizeUrl()).subscribe(({ url }) => this.openUrl(url));
  }

  protected disconnect(): void {
    const connection = this.connection();
    confirmAction(this.dialog, {
      title: 'amocrm.confirmDisconnect.title',
      text: 'amocrm.confirmDisconnect.text',
      confirm: 'amocrm.confirmDisconnect.confirm',
      params: { account: connection?.accountName ?? connection?.subdomain ?? '' },
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.run('disconnect', this.api.disconnect())),
      )
      .subscribe(() => {
        this.metadataStore.clear();
        this.notifier.info('amocrm.disconnected');
        this.load();
      });
  }

  protected refreshMetadata(): void {
    this.run('refresh', this.metadataStore.refresh()).subscribe(() =>
      this.notifier.info('amocrm.metadataRefreshed'),
    );
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

  private takeCallbackResult(): void {
    const error = this.error();
    const connected = this.connected();
    if (error) {
      this.callbackResult.set({ kind: 'error', code: error });
    } else if (connected) {
      this.callbackResult.set({ kind: 'connected' });
      this.metadataStore.load().subscribe({ error: () => undefined });
    } else {
      return;
    }
    void this.router.navigate([], {
      queryParams: { connected: null, error: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }
}

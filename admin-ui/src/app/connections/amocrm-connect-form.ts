import { Clipboard } from '@angular/cdk/clipboard';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatTab, MatTabGroup, MatTabLabel } from '@angular/material/tabs';
import { MatTooltip } from '@angular/material/tooltip';
import { type Observable, finalize, switchMap, tap } from 'rxjs';

import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { applyProblemToForm } from '../core/api/field-errors';
import { readProblem } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { actionErrorMessage } from '../shared/amocrm-errors';
import { AmocrmApi } from '../core/amocrm/amocrm-api';
import type { AmocrmConnection } from '../core/amocrm/amocrm.models';
import { DEFAULT_REDIRECT_URI, OPEN_URL } from './open-url';

type Method = 'oauth' | 'token';

/**
 * Connect amoCRM, two ways: an OAuth integration (save it, then the admin confirms access on
 * amoCRM's page, which sends them back to `/connections/amocrm?connected=1`) or a long-lived
 * token (checked by the server at once). Errors stay next to the form, which keeps its values.
 */
@Component({
  selector: 'app-amocrm-connect-form',
  imports: [
    ReactiveFormsModule,
    MatTabGroup,
    MatTab,
    MatTabLabel,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatSuffix,
    MatInput,
    MatButton,
    MatIconButton,
    MatIcon,
    MatTooltip,
    MatProgressBar,
    FieldErrorPipe,
    TranslatePipe,
  ],
  templateUrl: './amocrm-connect-form.html',
  styleUrl: './amocrm-connect-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AmocrmConnectForm {
  private readonly api = inject(AmocrmApi);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly clipboard = inject(Clipboard);
  private readonly openUrl = inject(OPEN_URL);
  private readonly fb = inject(NonNullableFormBuilder);

  /** The current connection, to prefill the subdomain, the integration id and the redirect URI. */
  readonly connection = input<AmocrmConnection | null>(null);
  /** Emitted after a token connection succeeded (the OAuth way leaves the page instead). */
  readonly connected = output<AmocrmConnection>();

  protected readonly oauthForm = this.fb.group({
    subdomain: ['', [Validators.required, Validators.maxLength(255)]],
    clientId: ['', [Validators.required, Validators.maxLength(128)]],
    clientSecret: ['', [Validators.required, Validators.maxLength(512)]],
    redirectUri: [inject(DEFAULT_REDIRECT_URI), [Validators.maxLength(512)]],
  });
  protected readonly tokenForm = this.fb.group({
    subdomain: ['', [Validators.required, Validators.maxLength(255)]],
    longLivedToken: ['', [Validators.required, Validators.minLength(20), Validators.maxLength(4000)]],
  });

  protected readonly tabIndex = signal(0);
  protected readonly submitting = signal<Method | null>(null);
  protected readonly redirecting = signal(false);
  private readonly failure = signal<{ method: Method; error: unknown } | null>(null);
  protected readonly errorFor = computed(() => {
    const failure = this.failure();
    if (!failure) {
      return null;
    }
    const detail = readProblem(failure.error)?.detail ?? null;
    return {
      method: failure.method,
      message: actionErrorMessage(failure.error, (key, params) => this.i18n.t(key, params)),
      detail,
    };
  });

  constructor() {
    // Prefill from the saved connection once it is known (never over what the admin typed).
    effect(() => {
      const connection = this.connection();
      if (!connection) {
        return;
      }
      fillIfPristine(this.oauthForm.controls.subdomain, connection.subdomain);
      fillIfPristine(this.tokenForm.controls.subdomain, connection.subdomain);
      fillIfPristine(this.oauthForm.controls.clientId, connection.clientId ?? null);
      fillIfPristine(this.oauthForm.controls.redirectUri, connection.redirectUri ?? null);
      if (connection.authKind === 'long_lived' && this.oauthForm.pristine && this.tokenForm.pristine) {
        this.tabIndex.set(1);
      }
    });
  }

  protected copyRedirectUri(): void {
    if (this.clipboard.copy(this.oauthForm.controls.redirectUri.value)) {
      this.notifier.info('amocrm.connect.copied');
    }
  }

  /** Saves the OAuth integration, then opens amoCRM's consent page. */
  protected connectOAuth(): void {
    if (this.submitting()) {
      return;
    }
    if (this.oauthForm.invalid) {
      this.oauthForm.markAllAsTouched();
      return;
    }
    const { subdomain, clientId, clientSecret, redirectUri } = this.oauthForm.getRawValue();
    this.run(
      'oauth',
      this.api
        .connect({
          subdomain: subdomain.trim(),
          clientId: clientId.trim(),
          clientSecret: clientSecret.trim(),
          ...(redirectUri.trim() ? { redirectUri: redirectUri.trim() } : {}),
        })
        .pipe(
          switchMap(() => this.api.authorizeUrl()),
          tap(({ url }) => {
            this.redirecting.set(true);
            this.openUrl(url);
          }),
        ),
      this.oauthForm,
    );
  }

  /** Connects with a long-lived token; the server checks it with amoCRM before answering. */
  protected connectToken(): void {
    if (this.submitting()) {
      return;
    }
    if (this.tokenForm.invalid) {
      this.tokenForm.markAllAsTouched();
      return;
    }
    const { subdomain, longLivedToken } = this.tokenForm.getRawValue();
    this.run(
      'token',
      this.api.connect({ subdomain: subdomain.trim(), longLivedToken: longLivedToken.trim() }).pipe(
        tap((connection) => {
          this.tokenForm.reset({ subdomain: connection.subdomain ?? subdomain.trim(), longLivedToken: '' });
          this.connected.emit(connection);
        }),
      ),
      this.tokenForm,
    );
  }

  private run(
    method: Method,
    request: Observable<unknown>,
    form: Parameters<typeof applyProblemToForm>[0],
  ): void {
    this.failure.set(null);
    this.submitting.set(method);
    request.pipe(finalize(() => this.submitting.set(null))).subscribe({
      error: (error: unknown) => {
        if (!applyProblemToForm(form, error)) {
          this.failure.set({ method, error });
        }
      },
    });
  }
}

function fillIfPristine(
  control: { pristine: boolean; value: string; setValue(value: string): void },
  value: string | null,
): void {
  if (value && control.pristine && control.value !== value) {
    control.setValue(value);
  }
}

import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import {
  MatCard,
  MatCardContent,
  MatCardHeader,
  MatCardSubtitle,
  MatCardTitle,
} from '@angular/material/card';
import { MatError, MatFormField, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { finalize } from 'rxjs';

import {
  describeHttpError,
  isWorkspaceDisabled,
  minutesToWait,
  readProblem,
  readRetryAfterSeconds,
} from '../core/api/problem-details';
import { AuthService, isSafeReturnUrl } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { LanguageToggle } from '../core/i18n/language-toggle';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { ThemeToggle } from '../core/theme/theme-toggle';

/** Statuses that mean "the backend is not there" (nginx answers 502/504 when it is down). */
const UNREACHABLE_STATUSES = [0, 502, 503, 504];

@Component({
  selector: 'app-login-page',
  imports: [
    ReactiveFormsModule,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardSubtitle,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatError,
    MatSuffix,
    MatInput,
    MatButton,
    MatIconButton,
    MatIcon,
    MatProgressBar,
    LanguageToggle,
    ThemeToggle,
    TranslatePipe,
  ],
  templateUrl: './login-page.html',
  styleUrl: './login-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18nService);

  /** Query parameters (bound by the router). */
  readonly returnUrl = input<string>();
  readonly reason = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly submitting = signal(false);
  protected readonly passwordVisible = signal(false);
  private readonly error = signal<unknown>(null);

  /** The error text in the current language (re-translated on a language switch). */
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null ? null : this.describeLoginError(error);
  });
  protected readonly showSessionExpired = computed(
    () => this.reason() === 'expired' && this.error() === null,
  );

  protected submit(): void {
    if (this.submitting()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.error.set(null);
    this.submitting.set(true);
    this.auth
      .login(email.trim(), password)
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: () => {
          const target = this.returnUrl();
          void this.router.navigateByUrl(isSafeReturnUrl(target) ? target : '/');
        },
        error: (error: unknown) => this.error.set(error),
      });
  }

  private describeLoginError(error: unknown): string {
    const status = error instanceof HttpErrorResponse ? error.status : -1;
    if (status === 401) {
      // The same text whether the email is unknown or the password is wrong.
      return this.i18n.t('login.wrongCredentials');
    }
    if (status === 429) {
      const seconds = readRetryAfterSeconds(error);
      return seconds === null
        ? this.i18n.t('login.lockedOutSoon')
        : this.i18n.t('login.lockedOut', { minutes: minutesToWait(seconds) });
    }
    if (UNREACHABLE_STATUSES.includes(status)) {
      return this.i18n.t('login.unreachable');
    }
    if (isWorkspaceDisabled(readProblem(error))) {
      return this.i18n.t('errors.workspaceDisabled');
    }
    if (status === 400 || status === 422) {
      return describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
    }
    return this.i18n.t('login.failed');
  }
}

import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import {
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { applyProblemToForm, setControlError } from '../core/api/field-errors';
import { describeHttpError, readProblem } from '../core/api/problem-details';
import { WRONG_PASSWORD_PROBLEM } from '../core/auth/auth.interceptor';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { PasswordField } from '../shared/password/password-field';
import { passwordPolicyValidator, sameAsValidator } from '../shared/password/password-policy';

/**
 * "Change password" from the user menu: the current password, the new one twice. On success the
 * new session replaces the old one (other devices are signed out) and a snack bar confirms it.
 */
@Component({
  selector: 'app-change-password-dialog',
  imports: [
    ReactiveFormsModule,
    MatButton,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatProgressBar,
    PasswordField,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (submitting()) {
      <mat-progress-bar class="progress" mode="indeterminate" />
    }
    <h2 mat-dialog-title>{{ 'account.changePassword.title' | t }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="change-password-form">
      <mat-dialog-content class="content">
        <p class="text">{{ 'account.changePassword.text' | t }}</p>
        @if (errorMessage(); as message) {
          <p class="alert" role="alert" data-testid="change-password-error">{{ message }}</p>
        }
        <app-password-field
          label="account.changePassword.current"
          autocomplete="current-password"
          testId="change-password-current"
          [control]="form.controls.currentPassword"
        />
        <app-password-field
          label="account.changePassword.new"
          testId="change-password-new"
          hint
          [control]="form.controls.newPassword"
        />
        <app-password-field
          label="account.changePassword.repeat"
          testId="change-password-repeat"
          [control]="form.controls.repeatPassword"
        />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close data-testid="change-password-cancel">
          {{ 'common.cancel' | t }}
        </button>
        <button mat-flat-button type="submit" data-testid="change-password-submit" [disabled]="submitting()">
          {{ 'account.changePassword.submit' | t }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .progress {
      position: absolute;
      inset: 0 0 auto;
    }
    .content {
      display: flex;
      flex-direction: column;
      gap: 16px;
      max-width: 440px;
    }
    .text {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .alert {
      margin: 0;
      padding: 12px 16px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
})
export class ChangePasswordDialog {
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly dialogRef = inject<MatDialogRef<ChangePasswordDialog, boolean>>(MatDialogRef);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly form = this.fb.group({
    currentPassword: ['', Validators.required],
    newPassword: ['', [Validators.required, passwordPolicyValidator(() => this.auth.user()?.email)]],
    repeatPassword: [
      '',
      [Validators.required, sameAsValidator((): string => this.form.controls.newPassword.value)],
    ],
  });
  protected readonly submitting = signal(false);
  private readonly error = signal<unknown>(null);
  /** The error text in the current language (re-translated on a language switch). */
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  constructor() {
    // A new "new password" may make the repeated one (in)valid.
    this.form.controls.newPassword.valueChanges.subscribe(() =>
      this.form.controls.repeatPassword.updateValueAndValidity({ emitEvent: false }),
    );
  }

  protected submit(): void {
    if (this.submitting()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { currentPassword, newPassword } = this.form.getRawValue();
    this.error.set(null);
    this.submitting.set(true);
    this.dialogRef.disableClose = true;
    this.auth
      .changePassword(currentPassword, newPassword)
      .pipe(
        finalize(() => {
          this.submitting.set(false);
          this.dialogRef.disableClose = false;
        }),
      )
      .subscribe({
        next: () => {
          this.notifier.info('account.changePassword.done');
          this.dialogRef.close(true);
        },
        error: (error: unknown) => this.showError(error),
      });
  }

  private showError(error: unknown): void {
    if (error instanceof HttpErrorResponse && readProblem(error)?.type === WRONG_PASSWORD_PROBLEM) {
      setControlError(this.form.controls.currentPassword, 'wrongCurrentPassword');
      return;
    }
    if (!applyProblemToForm(this.form, error)) {
      this.error.set(error);
    }
  }
}

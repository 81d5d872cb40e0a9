import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { PasswordField } from '../shared/password/password-field';
import { passwordPolicyValidator } from '../shared/password/password-policy';
import { applyProblemToForm } from '../core/api/field-errors';
import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { UsersApi } from './users-api';
import type { User } from './users.models';

/** An admin sets a new password for another user (their sessions end). Closes with the updated user. */
@Component({
  selector: 'app-reset-password-dialog',
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
    <h2 mat-dialog-title>{{ 'users.resetDialog.title' | t }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="user-reset-form">
      <mat-dialog-content class="content">
        <p class="text">{{ 'users.resetDialog.text' | t: { email: user.email } }}</p>
        @if (errorMessage(); as message) {
          <p class="alert" role="alert" data-testid="user-reset-error">{{ message }}</p>
        }
        <app-password-field
          label="users.resetDialog.password"
          testId="user-reset-password-input"
          generator
          hint
          [control]="form.controls.password"
        />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="submit" data-testid="user-reset-submit" [disabled]="submitting()">
          {{ 'users.resetDialog.submit' | t }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: '../shared/user-dialogs.scss',
})
export class ResetPasswordDialog {
  private readonly api = inject(UsersApi);
  private readonly i18n = inject(I18nService);
  private readonly dialogRef = inject<MatDialogRef<ResetPasswordDialog, User>>(MatDialogRef);
  protected readonly user = inject<User>(MAT_DIALOG_DATA);

  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', [Validators.required, passwordPolicyValidator(() => this.user.email)]],
  });
  protected readonly submitting = signal(false);
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  protected submit(): void {
    if (this.submitting()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.error.set(null);
    this.submitting.set(true);
    this.api
      .update(this.user.id, { password: this.form.controls.password.value })
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (user) => this.dialogRef.close(user),
        error: (error: unknown) => {
          if (!applyProblemToForm(this.form, error)) {
            this.error.set(error);
          }
        },
      });
  }
}

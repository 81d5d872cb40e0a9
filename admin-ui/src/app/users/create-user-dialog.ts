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
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect, MatSelectTrigger } from '@angular/material/select';
import { finalize } from 'rxjs';

import { PasswordField } from '../shared/password/password-field';
import { passwordPolicyValidator } from '../shared/password/password-policy';
import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { applyProblemToForm, setControlError } from '../core/api/field-errors';
import { describeHttpError } from '../core/api/problem-details';
import { ROLES, type Role } from '../core/auth/auth.models';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { UsersApi } from './users-api';
import type { User } from './users.models';
import { EMAIL_TAKEN_PROBLEM, problemType } from '../shared/user-problems';

/** "Add user": e-mail, password (with show/hide and generate) and role. Closes with the new user. */
@Component({
  selector: 'app-create-user-dialog',
  imports: [
    ReactiveFormsModule,
    MatButton,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    MatSelect,
    MatSelectTrigger,
    MatOption,
    MatProgressBar,
    PasswordField,
    FieldErrorPipe,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './create-user-dialog.html',
  styleUrl: '../shared/user-dialogs.scss',
})
export class CreateUserDialog {
  private readonly api = inject(UsersApi);
  private readonly i18n = inject(I18nService);
  private readonly dialogRef = inject<MatDialogRef<CreateUserDialog, User>>(MatDialogRef);

  protected readonly roles = ROLES;
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    password: [
      '',
      [Validators.required, passwordPolicyValidator((): string => this.form.controls.email.value)],
    ],
    role: ['manager' as Role, Validators.required],
  });
  protected readonly submitting = signal(false);
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  constructor() {
    // The password must not contain the e-mail's name: check again when the e-mail changes.
    this.form.controls.email.valueChanges.subscribe(() => {
      if (this.form.controls.password.value) {
        this.form.controls.password.updateValueAndValidity({ emitEvent: false });
      }
    });
  }

  protected submit(): void {
    if (this.submitting()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, password, role } = this.form.getRawValue();
    this.error.set(null);
    this.submitting.set(true);
    this.api
      .create({ email: email.trim(), password, role })
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (user) => this.dialogRef.close(user),
        error: (error: unknown) => this.showError(error),
      });
  }

  private showError(error: unknown): void {
    if (problemType(error) === EMAIL_TAKEN_PROBLEM) {
      setControlError(this.form.controls.email, 'emailTaken');
      return;
    }
    if (!applyProblemToForm(this.form, error)) {
      this.error.set(error);
    }
  }
}

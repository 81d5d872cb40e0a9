import { Clipboard } from '@angular/cdk/clipboard';
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
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect, MatSelectTrigger } from '@angular/material/select';
import { finalize } from 'rxjs';

import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { applyProblemToForm } from '../core/api/field-errors';
import { describeHttpError } from '../core/api/problem-details';
import { ROLES, type Role } from '../core/auth/auth.models';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { ApiKeysApi } from './api-keys-api';
import { API_KEY_HEADER, type ApiKey, type CreatedApiKey } from './api-keys.models';

/**
 * Two steps in one dialog: the name and permissions of a new key, then the key itself, shown
 * this once with a copy button, a warning and how to send it. Closes with the new key's record
 * (also when the user only closes the second step), or nothing when cancelled.
 */
@Component({
  selector: 'app-create-api-key-dialog',
  imports: [
    ReactiveFormsModule,
    MatButton,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatIcon,
    MatSelect,
    MatSelectTrigger,
    MatOption,
    MatProgressBar,
    FieldErrorPipe,
    TranslatePipe,
  ],
  templateUrl: './create-api-key-dialog.html',
  styleUrl: './create-api-key-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateApiKeyDialog {
  private readonly api = inject(ApiKeysApi);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly clipboard = inject(Clipboard);
  private readonly dialogRef = inject<MatDialogRef<CreateApiKeyDialog, ApiKey>>(MatDialogRef);

  protected readonly roles = ROLES;
  protected readonly header = API_KEY_HEADER;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    // a site form creates leads: the manager role can, the viewer only reads
    role: ['manager' as Role, Validators.required],
  });
  protected readonly submitting = signal(false);
  /** Set once the key is created: the dialog then shows it. */
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly copied = signal(false);
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
    const { name, role } = this.form.getRawValue();
    this.error.set(null);
    this.submitting.set(true);
    this.api
      .create({ name: name.trim(), role })
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (created) => {
          this.created.set(created);
          // The key must not be lost by a click outside or Esc: only "I have saved it" closes now.
          this.dialogRef.disableClose = true;
        },
        error: (error: unknown) => {
          if (!applyProblemToForm(this.form, error)) {
            this.error.set(error);
          }
        },
      });
  }

  protected copy(): void {
    const key = this.created()?.key;
    if (!key) {
      return;
    }
    if (this.clipboard.copy(key)) {
      this.copied.set(true);
      this.notifier.info('apiKeys.secret.copied');
    } else {
      this.notifier.info('apiKeys.secret.copyFailed');
    }
  }

  protected done(): void {
    this.dialogRef.close(this.created()?.apiKey);
  }
}

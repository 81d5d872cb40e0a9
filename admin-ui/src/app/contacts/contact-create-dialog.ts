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
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { actionErrorMessage } from '../shared/amocrm-errors';
import { applyProblemWithPhones } from '../shared/form-problems';
import { phoneOrEmailRequired, phoneValidator } from '../shared/phone';
import { ContactsApi } from '../shared/records/contacts-api';
import type { FoundOrCreatedContact } from '../shared/records/contacts.models';

/**
 * "New contact": name, phone and/or e-mail (one of them is needed). The server finds an existing contact by phone or e-mail
 * instead of making a duplicate; the dialog closes with the answer (`created` tells which).
 * When amoCRM is unavailable the form stays filled in with the reason above it.
 */
@Component({
  selector: 'app-contact-create-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatButton,
    MatProgressBar,
    FieldErrorPipe,
    TranslatePipe,
  ],
  templateUrl: './contact-create-dialog.html',
  styleUrl: '../shared/form-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactCreateDialog {
  private readonly api = inject(ContactsApi);
  private readonly i18n = inject(I18nService);
  private readonly dialogRef = inject<MatDialogRef<ContactCreateDialog, FoundOrCreatedContact>>(MatDialogRef);

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      name: ['', [Validators.required, Validators.maxLength(255)]],
      phone: ['', [phoneValidator, Validators.maxLength(40)]],
      email: ['', [Validators.email, Validators.maxLength(254)]],
    },
    { validators: phoneOrEmailRequired },
  );
  protected readonly submitting = signal(false);
  private readonly failure = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.failure();
    return error === null ? null : actionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });

  protected submit(): void {
    if (this.submitting()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, phone, email } = this.form.getRawValue();
    this.failure.set(null);
    this.submitting.set(true);
    this.api
      .create({
        name: name.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
      })
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (contact) => this.dialogRef.close(contact),
        error: (error: unknown) => {
          if (!applyProblemWithPhones(this.form, error, ['phone'])) {
            this.failure.set(error);
          }
        },
      });
  }
}

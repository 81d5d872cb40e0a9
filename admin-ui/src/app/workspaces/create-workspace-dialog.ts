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

import { PasswordField } from '../shared/password/password-field';
import { passwordPolicyValidator } from '../shared/password/password-policy';
import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { applyProblemToForm, setControlError } from '../core/api/field-errors';
import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { EMAIL_TAKEN_PROBLEM, problemType } from '../shared/user-problems';
import { WorkspacesApi } from './workspaces-api';
import type { Workspace } from './workspaces.models';

/** The result of the dialog: the new workspace and the e-mail of its first admin. */
export interface CreatedWorkspace {
  workspace: Workspace;
  adminEmail: string;
}

/** "Create workspace": its name and its first admin (e-mail, password). */
@Component({
  selector: 'app-create-workspace-dialog',
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
    MatProgressBar,
    PasswordField,
    FieldErrorPipe,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (submitting()) {
      <mat-progress-bar class="progress" mode="indeterminate" />
    }
    <h2 mat-dialog-title>{{ 'workspaces.createDialog.title' | t }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="workspace-create-form">
      <mat-dialog-content class="content">
        @if (errorMessage(); as message) {
          <p class="alert" role="alert" data-testid="workspace-create-error">{{ message }}</p>
        }
        <mat-form-field>
          <mat-label>{{ 'workspaces.createDialog.name' | t }}</mat-label>
          <input
            matInput
            formControlName="name"
            autocomplete="off"
            maxlength="120"
            data-testid="workspace-name"
          />
          <mat-hint>{{ 'workspaces.createDialog.nameHint' | t }}</mat-hint>
          <mat-error>{{ form.controls.name.errors | fieldError }}</mat-error>
        </mat-form-field>

        <h3 class="section">{{ 'workspaces.createDialog.adminSection' | t }}</h3>
        <mat-form-field>
          <mat-label>{{ 'workspaces.createDialog.adminEmail' | t }}</mat-label>
          <input
            matInput
            type="email"
            formControlName="adminEmail"
            autocomplete="off"
            inputmode="email"
            data-testid="workspace-admin-email"
          />
          <mat-error>{{ form.controls.adminEmail.errors | fieldError }}</mat-error>
        </mat-form-field>
        <app-password-field
          label="workspaces.createDialog.adminPassword"
          testId="workspace-admin-password"
          generator
          hint
          [control]="form.controls.adminPassword"
        />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="submit" data-testid="workspace-create-submit" [disabled]="submitting()">
          {{ 'workspaces.createDialog.submit' | t }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: '../shared/user-dialogs.scss',
  styles: `
    .section {
      margin: 8px 0 0;
      font: var(--mat-sys-title-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class CreateWorkspaceDialog {
  private readonly api = inject(WorkspacesApi);
  private readonly i18n = inject(I18nService);
  private readonly dialogRef = inject<MatDialogRef<CreateWorkspaceDialog, CreatedWorkspace>>(MatDialogRef);

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(120)]],
    adminEmail: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    adminPassword: [
      '',
      [Validators.required, passwordPolicyValidator((): string => this.form.controls.adminEmail.value)],
    ],
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
    this.form.controls.adminEmail.valueChanges.subscribe(() => {
      if (this.form.controls.adminPassword.value) {
        this.form.controls.adminPassword.updateValueAndValidity({ emitEvent: false });
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
    const { name, adminEmail, adminPassword } = this.form.getRawValue();
    this.error.set(null);
    this.submitting.set(true);
    this.api
      .create({ name: name.trim(), adminEmail: adminEmail.trim(), adminPassword })
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (workspace) => this.dialogRef.close({ workspace, adminEmail: adminEmail.trim() }),
        error: (error: unknown) => this.showError(error),
      });
  }

  private showError(error: unknown): void {
    if (problemType(error) === EMAIL_TAKEN_PROBLEM) {
      setControlError(this.form.controls.adminEmail, 'emailTaken');
      return;
    }
    if (!applyProblemToForm(this.form, error)) {
      this.error.set(error);
    }
  }
}

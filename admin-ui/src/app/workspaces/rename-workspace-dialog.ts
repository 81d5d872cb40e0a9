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
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { applyProblemToForm } from '../core/api/field-errors';
import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { WorkspacesApi } from './workspaces-api';
import type { Workspace } from './workspaces.models';

/** "Rename workspace": a new name; closes with the workspace as the server answered. */
@Component({
  selector: 'app-rename-workspace-dialog',
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
    MatProgressBar,
    FieldErrorPipe,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (submitting()) {
      <mat-progress-bar class="progress" mode="indeterminate" />
    }
    <h2 mat-dialog-title>{{ 'workspaces.renameDialog.title' | t }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="workspace-rename-form">
      <mat-dialog-content class="content">
        @if (errorMessage(); as message) {
          <p class="alert" role="alert" data-testid="workspace-rename-error">{{ message }}</p>
        }
        <mat-form-field>
          <mat-label>{{ 'workspaces.renameDialog.name' | t }}</mat-label>
          <input
            matInput
            formControlName="name"
            autocomplete="off"
            maxlength="120"
            required
            data-testid="workspace-rename-name"
          />
          <mat-error>{{ form.controls.name.errors | fieldError }}</mat-error>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="submit" data-testid="workspace-rename-submit" [disabled]="submitting()">
          {{ 'workspaces.renameDialog.submit' | t }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styleUrl: '../shared/user-dialogs.scss',
})
export class RenameWorkspaceDialog {
  private readonly api = inject(WorkspacesApi);
  private readonly i18n = inject(I18nService);
  private readonly dialogRef = inject<MatDialogRef<RenameWorkspaceDialog, Workspace>>(MatDialogRef);
  private readonly workspace = inject<Workspace>(MAT_DIALOG_DATA);

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.workspace.name, [Validators.required, Validators.maxLength(120), Validators.pattern(/\S/)]],
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
      .rename(this.workspace.id, this.form.getRawValue().name.trim())
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (workspace) => this.dialogRef.close(workspace),
        error: (error: unknown) => {
          if (!applyProblemToForm(this.form, error)) {
            this.error.set(error);
          }
        },
      });
  }
}

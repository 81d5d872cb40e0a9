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
import {
  type AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { finalize } from 'rxjs';

import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { applyProblemToForm } from '../core/api/field-errors';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { LptrackerApi } from '../core/lptracker/lptracker-api';
import type { LptrackerConnection } from '../core/lptracker/lptracker.models';
import { lptrackerActionErrorMessage } from '../shared/lptracker-errors';

/**
 * Connect LPTracker: login, password and the first project (the server logs in, checks that the
 * login sees the project, and only then stores anything). A refusal naming a field is shown under
 * that field; anything else above the form, which keeps its values.
 */
@Component({
  selector: 'app-lptracker-connect-form',
  imports: [
    ReactiveFormsModule,
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
  template: `
    @if (submitting()) {
      <mat-progress-bar class="progress" mode="indeterminate" />
    }
    <form
      class="form"
      [formGroup]="form"
      (ngSubmit)="submit()"
      novalidate
      data-testid="lptracker-connect-form"
    >
      <p class="help">{{ 'lptracker.connect.help' | t }}</p>
      @if (errorMessage(); as message) {
        <div class="alert" role="alert" data-testid="lptracker-connect-error">{{ message }}</div>
      }
      <mat-form-field>
        <mat-label>{{ 'lptracker.connect.login' | t }}</mat-label>
        <input
          matInput
          formControlName="login"
          autocomplete="off"
          spellcheck="false"
          data-testid="lptracker-login"
        />
        <mat-hint>{{ 'lptracker.connect.loginHint' | t }}</mat-hint>
        <mat-error data-testid="lptracker-login-error">{{
          form.controls.login.errors | fieldError
        }}</mat-error>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'lptracker.connect.password' | t }}</mat-label>
        <input
          matInput
          type="password"
          formControlName="password"
          autocomplete="new-password"
          data-testid="lptracker-password"
        />
        <mat-error data-testid="lptracker-password-error">{{
          form.controls.password.errors | fieldError
        }}</mat-error>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'lptracker.connect.projectId' | t }}</mat-label>
        <input
          matInput
          inputmode="numeric"
          formControlName="projectId"
          autocomplete="off"
          data-testid="lptracker-project-id"
        />
        <mat-hint>{{ 'lptracker.connect.projectIdHint' | t }}</mat-hint>
        <mat-error data-testid="lptracker-project-id-error">{{
          form.controls.projectId.errors | fieldError
        }}</mat-error>
      </mat-form-field>
      <div class="actions">
        <button
          mat-flat-button
          type="submit"
          data-testid="lptracker-connect-submit"
          [disabled]="submitting()"
        >
          {{ 'lptracker.connect.submit' | t }}
        </button>
      </div>
    </form>
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      gap: 4px;
      max-width: 480px;
    }
    .help {
      margin: 0 0 12px;
      color: var(--mat-sys-on-surface-variant);
    }
    .alert {
      margin-bottom: 12px;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .actions {
      display: flex;
      justify-content: flex-end;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LptrackerConnectForm {
  private readonly api = inject(LptrackerApi);
  private readonly i18n = inject(I18nService);
  private readonly fb = inject(NonNullableFormBuilder);

  /** The current connection, to prefill the login and the first project. */
  readonly connection = input<LptrackerConnection | null>(null);
  /** Emitted once LPTracker accepted the login and the project. */
  readonly connected = output<LptrackerConnection>();

  protected readonly form = this.fb.group({
    login: ['', [Validators.required, Validators.maxLength(255)]],
    password: ['', [Validators.required, Validators.maxLength(255)]],
    projectId: ['', [Validators.required, wholeNumber]],
  });

  protected readonly submitting = signal(false);
  private readonly failure = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const failure = this.failure();
    return failure === null
      ? null
      : lptrackerActionErrorMessage(failure, (key, params) => this.i18n.t(key, params));
  });

  constructor() {
    effect(() => {
      const connection = this.connection();
      const { login, projectId } = this.form.controls;
      if (connection?.login && login.pristine && login.value === '') {
        login.setValue(connection.login);
      }
      const first = connection?.projects[0];
      if (first && projectId.pristine && projectId.value === '') {
        projectId.setValue(String(first.id));
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
    const { login, password, projectId } = this.form.getRawValue();
    this.failure.set(null);
    this.submitting.set(true);
    this.api
      .connect({ login: login.trim(), password, projectId: Number(projectId.trim()) })
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (connection) => {
          this.form.reset({
            login: connection.login ?? login.trim(),
            password: '',
            projectId: projectId.trim(),
          });
          this.connected.emit(connection);
        },
        error: (error: unknown) => {
          if (!applyProblemToForm(this.form, error)) {
            this.failure.set(error);
          }
        },
      });
  }
}

/** A project number: positive digits only (worded by `validation.isInt`). */
function wholeNumber(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();
  return value === '' || (/^\d{1,15}$/.test(value) && Number(value) > 0) ? null : { isInt: true };
}

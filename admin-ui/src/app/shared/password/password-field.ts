import { Clipboard } from '@angular/cdk/clipboard';
import {
  ChangeDetectionStrategy,
  ChangeDetectorRef,
  booleanAttribute,
  Component,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { type FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatIconButton } from '@angular/material/button';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatTooltip } from '@angular/material/tooltip';
import { switchMap } from 'rxjs';

import { FieldErrorPipe } from '../../core/api/field-error.pipe';
import type { TranslationKey } from '../../core/i18n/i18n.types';
import { TranslatePipe } from '../../core/i18n/translate.pipe';
import { Notifier } from '../../core/notify/notifier';
import { generatePassword } from './password-policy';

/**
 * A password input with show/hide and, for new passwords, a "generate" button (the generated
 * password is shown, with a copy button). Errors (required, policy, server) appear under it.
 *
 * `<app-password-field [control]="form.controls.password" label="users.createDialog.password" generator testId="user-password" />`
 */
@Component({
  selector: 'app-password-field',
  imports: [
    ReactiveFormsModule,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatSuffix,
    MatInput,
    MatIconButton,
    MatIcon,
    MatTooltip,
    FieldErrorPipe,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-form-field class="field">
      <mat-label>{{ label() | t }}</mat-label>
      <input
        matInput
        spellcheck="false"
        autocapitalize="off"
        [formControl]="control()"
        [type]="visible() ? 'text' : 'password'"
        [attr.autocomplete]="autocomplete()"
        [attr.data-testid]="testId()"
        (input)="generated.set(false)"
      />
      <span matSuffix class="suffix">
        @if (generator()) {
          @if (generated()) {
            <button
              mat-icon-button
              type="button"
              [attr.data-testid]="testId() + '-copy'"
              [attr.aria-label]="'password.copy' | t"
              [matTooltip]="'password.copy' | t"
              (click)="copy()"
            >
              <mat-icon svgIcon="content_copy" />
            </button>
          }
          <button
            mat-icon-button
            type="button"
            [attr.data-testid]="testId() + '-generate'"
            [attr.aria-label]="'password.generate' | t"
            [matTooltip]="'password.generate' | t"
            (click)="generate()"
          >
            <mat-icon svgIcon="autorenew" />
          </button>
        }
        <button
          mat-icon-button
          type="button"
          [attr.data-testid]="testId() + '-visibility'"
          [attr.aria-label]="(visible() ? 'login.hidePassword' : 'login.showPassword') | t"
          [attr.aria-pressed]="visible()"
          (click)="visible.set(!visible())"
        >
          <mat-icon [svgIcon]="visible() ? 'visibility_off' : 'visibility'" />
        </button>
      </span>
      @if (generated()) {
        <mat-hint>{{ 'password.generated' | t }}</mat-hint>
      } @else if (hint()) {
        <mat-hint>{{ 'password.hint' | t }}</mat-hint>
      }
      <mat-error>{{ control().errors | fieldError }}</mat-error>
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }
    .field {
      width: 100%;
    }
    .suffix {
      display: inline-flex;
      margin-right: 4px;
    }
  `,
})
export class PasswordField {
  private readonly clipboard = inject(Clipboard);
  private readonly notifier = inject(Notifier);

  readonly control = input.required<FormControl<string>>();
  readonly label = input.required<TranslationKey>();
  /** `new-password` for new ones, `current-password` for the one being checked. */
  readonly autocomplete = input<'new-password' | 'current-password'>('new-password');
  /** Show the "generate" button. */
  readonly generator = input(false, { transform: booleanAttribute });
  /** Show the policy as a hint. */
  readonly hint = input(false, { transform: booleanAttribute });
  readonly testId = input('password');

  protected readonly visible = signal(false);
  protected readonly generated = signal(false);

  constructor() {
    // The parent may mark the control touched or put a server error on it: show that here too.
    const changeDetector = inject(ChangeDetectorRef);
    toObservable(this.control)
      .pipe(
        switchMap((control) => control.events),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe(() => changeDetector.markForCheck());
  }

  protected generate(): void {
    const control = this.control();
    control.setValue(generatePassword());
    control.markAsDirty();
    control.markAsTouched();
    this.visible.set(true);
    this.generated.set(true);
  }

  protected copy(): void {
    if (this.clipboard.copy(this.control().value)) {
      this.notifier.info('password.copied');
    }
  }
}

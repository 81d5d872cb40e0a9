import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormField, MatLabel, type SubscriptSizing } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';

import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';

/**
 * A labelled Material text box (or a text area when `rows` is given) that reports its text when the user is
 * done with it (the `change` event: leaving the box or pressing Enter), not on every key. The host is a block:
 * size and place it like a form field (`flex`, `width`); the field fills it.
 */
@Component({
  selector: 'app-text-field',
  imports: [MatFormField, MatLabel, MatInput, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-form-field class="field" [subscriptSizing]="subscriptSizing()">
      <mat-label>{{ label() | t }}</mat-label>
      @if (rows(); as rows) {
        <textarea
          #area
          matInput
          [rows]="rows"
          [attr.maxlength]="maxLength()"
          [attr.data-testid]="testId()"
          [disabled]="disabled()"
          [value]="value()"
          (change)="changed.emit(area.value)"
        ></textarea>
      } @else {
        <input
          #box
          matInput
          [type]="type()"
          [attr.min]="min()"
          [attr.maxlength]="maxLength()"
          [attr.data-testid]="testId()"
          [disabled]="disabled()"
          [value]="value()"
          (change)="changed.emit(box.value)"
        />
      }
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }
    .field {
      width: 100%;
    }
  `,
})
export class TextField {
  readonly label = input.required<TranslationKey>();
  readonly value = input.required<string | number | boolean | null>();
  readonly testId = input<string | null>(null);
  readonly type = input<'text' | 'number'>('text');
  readonly min = input<number | null>(null);
  readonly maxLength = input<number | null>(null);
  /** A text area this many rows high instead of a one-line box. */
  readonly rows = input<number | null>(null);
  readonly disabled = input(false);
  readonly subscriptSizing = input<SubscriptSizing>('fixed');
  /** The text as the user left it. */
  readonly changed = output<string>();
}

import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatFormField, MatLabel, MatPrefix, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';

import { TranslatePipe } from '../core/i18n/translate.pipe';
import type { TranslationKey } from '../core/i18n/i18n.types';

/**
 * The search box of the list pages: a search icon, the text, and a clear button once something is typed.
 * `<app-search-field class="search" label="contacts.searchHint" testId="contacts-search"
 *   [(value)]="text" />` — `value` changes on every keystroke; the page debounces it.
 */
@Component({
  selector: 'app-search-field',
  imports: [MatFormField, MatLabel, MatPrefix, MatSuffix, MatInput, MatIconButton, MatIcon, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-form-field class="field">
      <mat-label>{{ label() | t }}</mat-label>
      <mat-icon matPrefix svgIcon="search" />
      <input
        #box
        matInput
        type="search"
        autocomplete="off"
        [attr.maxlength]="maxLength()"
        [attr.data-testid]="testId()"
        [placeholder]="placeholder() ? (placeholder()! | t) : ''"
        [value]="value()"
        (input)="value.set(box.value)"
      />
      @if (value()) {
        <button
          mat-icon-button
          matSuffix
          type="button"
          [attr.aria-label]="'contacts.clearSearch' | t"
          (click)="value.set('')"
        >
          <mat-icon svgIcon="close" />
        </button>
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
export class SearchField {
  readonly label = input.required<TranslationKey>();
  readonly placeholder = input<TranslationKey | null>(null);
  readonly testId = input.required<string>();
  readonly maxLength = input<number | null>(null);
  readonly value = model('');
}

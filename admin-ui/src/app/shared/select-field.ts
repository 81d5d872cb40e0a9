import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormField, MatLabel, type SubscriptSizing } from '@angular/material/form-field';
import { MatOption, MatSelect } from '@angular/material/select';

import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';

/** What a select may hold (null is the «none» choice, see `SelectField.none`). */
export type SelectValue = string | number | boolean | null;

/**
 * One choice of a select: shown as `label`, or as the translation of `key`; `type`, when given, is put on
 * the option as `data-type` (for tests and browser specs that pick a choice by its kind).
 */
export interface SelectOption<V extends SelectValue = SelectValue> {
  readonly value: V;
  readonly label?: string;
  readonly key?: TranslationKey;
  readonly type?: string;
}

/** Choices from records with an id and a name (pipelines, statuses, stages, staff…). */
export function namedOptions<V extends SelectValue>(
  items: readonly { readonly id: V; readonly name: string }[],
): SelectOption<V>[] {
  return items.map((item) => ({ value: item.id, label: item.name }));
}

/** Choices from records with an id and a label (the rule editor's users, projects, fields…). */
export function labelledOptions<V extends SelectValue>(
  items: readonly { readonly id: V; readonly label: string }[],
): SelectOption<V>[] {
  return items.map((item) => ({ value: item.id, label: item.label }));
}

/** Choices from fixed values, each shown by its dictionary key. */
export function keyedOptions<V extends SelectValue>(
  values: readonly V[],
  keyOf: (value: V) => TranslationKey,
): SelectOption<V>[] {
  return values.map((value) => ({ value, key: keyOf(value) }));
}

/**
 * A labelled Material select over a list of choices, optionally headed by a «none» choice (null) with its
 * own words. It reports the user's pick only (not values the page sets). The host is a block: size and
 * place it like a form field (`flex`, `width`); the field fills it.
 */
@Component({
  selector: 'app-select-field',
  imports: [MatFormField, MatLabel, MatSelect, MatOption, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-form-field class="field" [subscriptSizing]="subscriptSizing()">
      @if (label(); as label) {
        <mat-label>{{ label | t }}</mat-label>
      }
      @let hint = placeholder();
      <mat-select
        [attr.data-testid]="testId()"
        [attr.aria-label]="ariaLabel()"
        [placeholder]="hint ? (hint | t) : ''"
        [value]="value()"
        [disabled]="disabled()"
        (selectionChange)="picked.emit($event.value)"
      >
        @if (none(); as none) {
          <mat-option [value]="null">{{ none | t }}</mat-option>
        }
        @for (option of options(); track option.value) {
          <mat-option [value]="option.value" [attr.data-type]="option.type ?? null">
            {{ option.key ? (option.key | t) : option.label }}
          </mat-option>
        }
      </mat-select>
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
export class SelectField<V extends SelectValue> {
  /** The chosen value (null or a value no choice has: nothing is shown). */
  readonly value = input.required<V>();
  readonly options = input.required<readonly SelectOption<NonNullable<V>>[]>();
  /** The field's label (a dictionary key); leave it out for a field labelled by `ariaLabel`. */
  readonly label = input<TranslationKey | null>(null);
  /** The words of a first choice that means «none» (its value is null); give it only when `value` may be null. */
  readonly none = input<TranslationKey | null>(null);
  readonly placeholder = input<TranslationKey | null>(null);
  readonly ariaLabel = input<string | null>(null);
  readonly testId = input<string | null>(null);
  readonly disabled = input(false);
  readonly subscriptSizing = input<SubscriptSizing>('fixed');
  readonly picked = output<V>();
}

import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import {
  MatAutocomplete,
  MatAutocompleteTrigger,
  MatOptgroup,
  MatOption,
} from '@angular/material/autocomplete';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';

import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { type RuleField, type RuleFieldGroup, findField, searchFields } from './rule-catalog';

const GROUPS: readonly RuleFieldGroup[] = ['lead', 'contact', 'view', 'lptracker', 'event'];

/**
 * A searchable picker over the fields of both systems: type part of a field's name and pick it, grouped by
 * where the field lives. A reference the catalog does not know is shown as it is.
 */
@Component({
  selector: 'app-rule-field-picker',
  imports: [
    MatFormField,
    MatLabel,
    MatInput,
    MatAutocomplete,
    MatAutocompleteTrigger,
    MatOptgroup,
    MatOption,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-form-field class="field" subscriptSizing="dynamic">
      <mat-label>{{ label() | t }}</mat-label>
      <input
        #box
        matInput
        autocomplete="off"
        maxlength="100"
        [attr.data-testid]="testId()"
        [attr.aria-invalid]="error() !== null"
        [disabled]="disabled()"
        [value]="typing() ? query() : shown()"
        [matAutocomplete]="auto"
        (focus)="startTyping()"
        (input)="query.set(box.value)"
      />
      <mat-autocomplete
        #auto="matAutocomplete"
        (optionSelected)="choose($event.option.value)"
        (closed)="typing.set(false)"
      >
        @for (entry of groups(); track entry.group) {
          <mat-optgroup [label]="groupLabel(entry.group) | t">
            @for (field of entry.fields; track field.ref) {
              <mat-option
                [value]="field.ref"
                [attr.data-testid]="testId() + '-option'"
                [attr.data-ref]="field.ref"
              >
                {{ field.name }}
              </mat-option>
            }
          </mat-optgroup>
        } @empty {
          <mat-option disabled>{{ 'rules.condition.nothing' | t }}</mat-option>
        }
      </mat-autocomplete>
    </mat-form-field>
    @if (error(); as error) {
      <p class="error" role="alert" [attr.data-testid]="testId() + '-error'">{{ error }}</p>
    }
  `,
  styles: `
    :host {
      display: block;
      min-width: 200px;
    }
    .field {
      width: 100%;
    }
    .error {
      margin: 4px 0 0;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class RuleFieldPicker {
  readonly fields = input.required<readonly RuleField[]>();
  readonly value = input<string | null>(null);
  readonly label = input<TranslationKey>('rules.condition.field');
  readonly testId = input.required<string>();
  readonly disabled = input(false);
  readonly error = input<string | null>(null);
  readonly picked = output<string>();

  protected readonly query = signal('');
  protected readonly typing = signal(false);
  protected readonly groups = computed(() => {
    const matching = searchFields(this.fields(), this.typing() ? this.query() : '');
    return GROUPS.map((group) => ({
      group,
      fields: matching.filter((field) => field.group === group),
    })).filter((entry) => entry.fields.length > 0);
  });
  protected readonly shown = computed(() => {
    const ref = this.value();
    if (!ref) {
      return '';
    }
    return findField(this.fields(), ref)?.name ?? ref;
  });

  protected startTyping(): void {
    this.query.set('');
    this.typing.set(true);
  }

  protected choose(ref: string): void {
    this.typing.set(false);
    this.picked.emit(ref);
  }

  protected groupLabel(group: RuleFieldGroup): TranslationKey {
    return `rules.groups.${group}`;
  }
}

import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import {
  MatAutocomplete,
  MatAutocompleteTrigger,
  MatOptgroup,
  MatOption,
} from '@angular/material/autocomplete';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';

import { I18nService } from '../core/i18n/i18n.service';
import { ru } from '../core/i18n/ru';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { type FieldGroup, type PickerField, groupFields } from './mapping-catalog';
import type { FieldRef } from './mappings.models';

/**
 * A searchable field picker: type part of a field's name (or its type) and pick it from the list,
 * grouped by where the field lives (LPTracker lead / contact / view, amoCRM lead / contact).
 * A field the catalog no longer knows is shown by its reference, marked as missing.
 */
@Component({
  selector: 'app-field-picker',
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
        [disabled]="disabled()"
        [value]="typing() ? query() : shown()"
        [matAutocomplete]="auto"
        (focus)="startTyping()"
        (input)="query.set(box.value)"
      />
      <mat-autocomplete
        #auto="matAutocomplete"
        panelWidth="360px"
        [displayWith]="display"
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
                {{ field.name }} <span class="type">· {{ typeLabel(field.type) }}</span>
              </mat-option>
            }
          </mat-optgroup>
        } @empty {
          <mat-option disabled>{{ 'mappings.picker.nothing' | t }}</mat-option>
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
      min-width: 180px;
    }
    .field {
      width: 100%;
    }
    .error {
      margin: 4px 0 0;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
    .type {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class FieldPicker {
  private readonly i18n = inject(I18nService);

  readonly fields = input.required<readonly PickerField[]>();
  readonly value = input<FieldRef | null>(null);
  readonly label = input.required<TranslationKey>();
  readonly testId = input.required<string>();
  readonly disabled = input(false);
  /** What is wrong with the chosen field, in the user's words (shown under the field). */
  readonly error = input<string | null>(null);
  readonly picked = output<FieldRef>();

  protected readonly query = signal('');
  protected readonly typing = signal(false);
  protected readonly groups = computed(() => groupFields(this.fields(), this.typing() ? this.query() : ''));
  /** The chosen field's name, or its reference when the catalog does not know it. */
  protected readonly shown = computed(() => this.display(this.value()));

  protected startTyping(): void {
    this.query.set('');
    this.typing.set(true);
  }

  protected choose(ref: FieldRef): void {
    this.typing.set(false);
    this.picked.emit(ref);
  }

  /** A field's type in words (an unknown type as the CRM names it). */
  protected typeLabel(type: string): string {
    return Object.hasOwn(ru.mappings.fieldTypes, type)
      ? this.i18n.t(`mappings.fieldTypes.${type as keyof typeof ru.mappings.fieldTypes}`)
      : type;
  }

  protected groupLabel(group: FieldGroup): TranslationKey {
    return `mappings.groups.${group}`;
  }

  /** What the box shows for a chosen reference. */
  protected readonly display = (ref: FieldRef | null): string => {
    if (ref === null) {
      return '';
    }
    const known = this.fields().find((field) => field.ref === ref);
    return known ? known.name : this.i18n.t('mappings.picker.missing', { ref });
  };
}

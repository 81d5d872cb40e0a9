import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';

import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { ru } from '../core/i18n/ru';
import { GroupedPicker, type PickerChoiceGroup } from '../shared/grouped-picker';
import { type PickerField, groupFields } from './mapping-catalog';
import type { FieldRef } from './mappings.models';

/**
 * A searchable field picker: type part of a field's name (or its type) and pick it from the list,
 * grouped by where the field lives (LPTracker lead / contact / view, amoCRM lead / contact).
 * A field the catalog no longer knows is shown by its reference, marked as missing.
 */
@Component({
  selector: 'app-field-picker',
  imports: [GroupedPicker],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-grouped-picker
      nothing="mappings.picker.nothing"
      panelWidth="360px"
      [groupsFor]="groupsFor"
      [display]="display"
      [value]="value()"
      [label]="label()"
      [testId]="testId()"
      [disabled]="disabled()"
      [error]="error()"
      (picked)="picked.emit($event)"
    />
  `,
  styles: `
    :host {
      display: block;
      min-width: 180px;
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

  /** The fields matching `query`, grouped, each followed by its type in words. */
  protected readonly groupsFor = (query: string): PickerChoiceGroup[] =>
    groupFields(this.fields(), query).map((entry) => ({
      key: entry.group,
      label: `mappings.groups.${entry.group}`,
      choices: entry.fields.map((field) => ({
        ref: field.ref,
        name: field.name,
        note: this.typeLabel(field.type),
      })),
    }));

  /** What the box shows for a chosen reference. */
  protected readonly display = (ref: FieldRef | null): string => {
    if (ref === null) {
      return '';
    }
    const known = this.fields().find((field) => field.ref === ref);
    return known ? known.name : this.i18n.t('mappings.picker.missing', { ref });
  };

  /** A field's type in words (an unknown type as the CRM names it). */
  private typeLabel(type: string): string {
    return Object.hasOwn(ru.mappings.fieldTypes, type)
      ? this.i18n.t(`mappings.fieldTypes.${type as keyof typeof ru.mappings.fieldTypes}`)
      : type;
  }
}

import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import type { TranslationKey } from '../core/i18n/i18n.types';
import { GroupedPicker, type PickerChoiceGroup } from '../shared/grouped-picker';
import { type RuleField, type RuleFieldGroup, findField, searchFields } from './rule-catalog';

const GROUPS: readonly RuleFieldGroup[] = ['lead', 'contact', 'view', 'lptracker', 'event'];

/**
 * A searchable picker over the fields of both systems: type part of a field's name and pick it, grouped by
 * where the field lives. A reference the catalog does not know is shown as it is.
 */
@Component({
  selector: 'app-rule-field-picker',
  imports: [GroupedPicker],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-grouped-picker
      nothing="rules.condition.nothing"
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
      min-width: 200px;
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

  /** The fields whose name or reference contains `query`, grouped by where they live. */
  protected readonly groupsFor = (query: string): PickerChoiceGroup[] => {
    const matching = searchFields(this.fields(), query);
    return GROUPS.map((group) => ({
      key: group,
      label: `rules.groups.${group}` as const,
      choices: matching.filter((field) => field.group === group),
    })).filter((entry) => entry.choices.length > 0);
  };

  /** The chosen field's name, or the reference itself when the catalog does not know it. */
  protected readonly display = (ref: string | null): string =>
    ref ? (findField(this.fields(), ref)?.name ?? ref) : '';
}

import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';

import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { type RuleField, findField, operatorsFor } from './rule-catalog';
import { RuleFieldPicker } from './rule-field-picker';
import { listOf, scalarOf, textOf, valueKind, withField, withOperator } from './rule-value';
import type { RuleCondition, RuleOperator, RuleScalar } from './rules.models';

/**
 * One condition: field (searchable over both systems), an operator that fits the field's type, and a value
 * control that fits both (options of an enum, two values for `between`, none for `empty`). Server errors for
 * `<path>.field`, `.op`, `.value` are shown under their control.
 */
@Component({
  selector: 'app-rule-condition',
  imports: [
    MatFormField,
    MatLabel,
    MatHint,
    MatInput,
    MatSelect,
    MatOption,
    MatCheckbox,
    MatIconButton,
    MatIcon,
    TranslatePipe,
    RuleFieldPicker,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './rule-condition.html',
  styleUrl: './rule-condition.scss',
})
export class RuleConditionEditor {
  private readonly i18n = inject(I18nService);

  readonly condition = input.required<RuleCondition>();
  readonly path = input.required<string>();
  readonly fields = input.required<readonly RuleField[]>();
  readonly errors = input<Record<string, string>>({});
  readonly readonly = input(false);
  readonly changed = output<RuleCondition>();
  readonly removed = output<void>();

  protected readonly field = computed(() => findField(this.fields(), this.condition().field));
  protected readonly old = computed(() => this.condition().field.startsWith('old.'));
  protected readonly operators = computed(() => operatorsFor(this.field()));
  protected readonly kind = computed(() => valueKind(this.field(), this.condition().op));
  protected readonly fieldError = computed(() => {
    if (this.condition().field !== '' && this.field() === null && !this.errorAt('field')) {
      return this.i18n.t('rules.condition.unknownField');
    }
    return this.errorAt('field');
  });
  protected readonly valueError = computed(
    () => this.errorAt('value') ?? this.errorAt('value[0]') ?? this.errorAt('value[1]'),
  );
  protected readonly list = computed((): RuleScalar[] => {
    const value = this.condition().value;
    return Array.isArray(value) ? value : [];
  });

  protected opKey(op: RuleOperator): TranslationKey {
    return `rules.operators.${op}`;
  }

  protected errorAt(key: string): string | null {
    return this.errors()[`${this.path()}.${key}`] ?? null;
  }

  protected text(value: unknown): string {
    return textOf(value);
  }

  protected pickField(ref: string): void {
    const base = ref.startsWith('old.') ? ref.slice(4) : ref;
    const full = this.old() && !base.startsWith('event.') ? `old.${base}` : base;
    this.changed.emit(withField(this.condition(), full, operatorsFor(findField(this.fields(), base))));
  }

  protected setOld(old: boolean): void {
    const current = this.condition().field;
    const base = current.startsWith('old.') ? current.slice(4) : current;
    this.changed.emit({ ...this.condition(), field: old ? `old.${base}` : base });
  }

  protected setOperator(op: RuleOperator): void {
    this.changed.emit(withOperator(this.condition(), op, this.field()));
  }

  protected setValue(value: RuleScalar | RuleScalar[]): void {
    this.changed.emit({ ...this.condition(), value });
  }

  protected setText(text: string): void {
    this.setValue(scalarOf(this.field(), text));
  }

  protected setList(text: string): void {
    this.setValue(listOf(this.field(), text));
  }

  protected setBetween(index: 0 | 1, text: string): void {
    const value = this.condition().value;
    const pair: RuleScalar[] = Array.isArray(value) ? [...value] : ['', ''];
    pair[index] = scalarOf(this.field(), text);
    this.setValue([pair[0] ?? '', pair[1] ?? '']);
  }
}

import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatIcon } from '@angular/material/icon';

import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { type SelectOption, SelectField, labelledOptions, namedOptions } from '../shared/select-field';
import { TextField } from '../shared/text-field';
import type { RuleField } from './rule-catalog';
import { RuleFieldPicker } from './rule-field-picker';
import { scalarOf } from './rule-value';
import { RULE_ACTION_TYPES, type RuleAction, type RuleActionType } from './rules.models';

const NO_OPTIONS: readonly SelectOption<number>[] = [];

function typeKey(type: RuleActionType): TranslationKey {
  return `rules.actionTypes.${type}`;
}

/** A choice of an action picker: an amoCRM or LPTracker id and its name. */
export interface NumberedOption {
  id: number;
  label: string;
}

/** The choices the action pickers offer (from the amoCRM and LPTracker metadata). */
export interface ActionChoices {
  pipelines: { id: number; name: string; statuses: { id: number; name: string }[] }[];
  users: NumberedOption[];
  stages: NumberedOption[];
  lptrackerFields: NumberedOption[];
  projects: NumberedOption[];
  /** amoCRM lead fields `update_lead` may write. */
  leadFields: RuleField[];
}

/** Every setting an action may have, for the template (each type uses its own). */
export interface ActionView {
  type: RuleActionType;
  system?: 'amocrm' | 'lptracker';
  pipelineId?: number | null;
  statusId?: number | null;
  stageId?: number | null;
  responsibleUserId?: number | null;
  nameTemplate?: string | null;
  mappingProjectId?: number | null;
  useMapping?: boolean;
  values?: { field: string; value: string | number | boolean }[];
  tags?: string[];
  text?: string;
  dueInHours?: number;
  custom?: { fieldId: number | null; value: string | number }[];
}

/** A fresh action of `type`, its settings empty. */
export function newAction(type: RuleActionType): RuleAction {
  switch (type) {
    case 'find_or_create_lead':
      return {
        type,
        pipelineId: null,
        statusId: null,
        responsibleUserId: null,
        nameTemplate: null,
        mappingProjectId: null,
      };
    case 'update_lead':
      return { type, useMapping: true, values: [] };
    case 'move_stage':
      return { type, system: 'amocrm', pipelineId: null, statusId: null };
    case 'add_tags':
      return { type, tags: [] };
    case 'add_note':
      return { type, text: '' };
    case 'create_task':
      return { type, text: '', dueInHours: 24, responsibleUserId: null };
    case 'update_lptracker_lead':
      return { type, stageId: null, custom: [] };
    default:
      return { type };
  }
}

/**
 * The rule's actions in order: type, settings with pickers, move up/down, remove. Server errors for
 * `actions[i].<setting>` are shown under their control; `call_back` warns that it places a real call.
 */
@Component({
  selector: 'app-rule-actions',
  imports: [
    MatCheckbox,
    MatButton,
    MatIconButton,
    MatIcon,
    TranslatePipe,
    RuleFieldPicker,
    SelectField,
    TextField,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './rule-actions.html',
  styleUrl: './rule-actions.scss',
})
export class RuleActionsEditor {
  readonly actions = input.required<RuleAction[]>();
  readonly choices = input.required<ActionChoices>();
  readonly errors = input<Record<string, string>>({});
  readonly readonly = input(false);
  readonly changed = output<RuleAction[]>();

  protected readonly typeOptions: SelectOption<RuleActionType>[] = RULE_ACTION_TYPES.map((type) => ({
    value: type,
    key: typeKey(type),
    type,
  }));
  protected readonly systemOptions: SelectOption<'amocrm' | 'lptracker'>[] = [
    { value: 'amocrm', label: 'amoCRM' },
    { value: 'lptracker', label: 'LPTracker' },
  ];
  protected readonly pipelineOptions = computed(() => namedOptions(this.choices().pipelines));
  protected readonly userOptions = computed(() => labelledOptions(this.choices().users));
  protected readonly projectOptions = computed(() => labelledOptions(this.choices().projects));
  protected readonly stageOptions = computed(() => labelledOptions(this.choices().stages));
  protected readonly lptrackerFieldOptions = computed(() => labelledOptions(this.choices().lptrackerFields));
  /** Each pipeline's statuses as choices (one list per pipeline, kept while the choices stay). */
  private readonly statusesByPipeline = computed(
    () => new Map(this.choices().pipelines.map((pipeline) => [pipeline.id, namedOptions(pipeline.statuses)])),
  );

  protected error(index: number, key?: string): string | null {
    return this.errors()[key ? `actions[${index}].${key}` : `actions[${index}]`] ?? null;
  }

  protected view(action: RuleAction): ActionView {
    return action;
  }

  protected statusOptions(pipelineId: number | null): readonly SelectOption<number>[] {
    return (pipelineId === null ? undefined : this.statusesByPipeline().get(pipelineId)) ?? NO_OPTIONS;
  }

  protected tagsText(tags: string[]): string {
    return tags.join(', ');
  }

  protected add(): void {
    this.changed.emit([...this.actions(), newAction('add_note')]);
  }

  protected setType(index: number, type: RuleActionType): void {
    this.replace(index, newAction(type));
  }

  /** Merges `patch` into action `index` (the patch fits that action's type). */
  protected patch(index: number, patch: Record<string, unknown>): void {
    const action = this.actions()[index];
    if (action) {
      this.replace(index, { ...action, ...patch });
    }
  }

  protected setSystem(index: number, system: 'amocrm' | 'lptracker'): void {
    this.replace(
      index,
      system === 'amocrm'
        ? { type: 'move_stage', system, pipelineId: null, statusId: null }
        : { type: 'move_stage', system, stageId: null },
    );
  }

  protected setTags(index: number, text: string): void {
    const tags = text
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '');
    this.patch(index, { tags });
  }

  protected numberOrNull(text: string): number | null {
    return text.trim() === '' ? null : Number(text);
  }

  protected setValueRow(index: number, row: number, patch: { field?: string; value?: string }): void {
    const action = this.actions()[index];
    if (action?.type !== 'update_lead') {
      return;
    }
    const values = action.values.map((entry, i) => {
      if (i !== row) {
        return entry;
      }
      const field = patch.field ?? entry.field;
      const value =
        patch.value === undefined
          ? entry.value
          : scalarOf(this.choices().leadFields.find((f) => f.ref === field) ?? null, patch.value);
      return { field, value };
    });
    this.replace(index, { ...action, values });
  }

  protected addValueRow(index: number): void {
    const action = this.actions()[index];
    if (action?.type === 'update_lead') {
      this.replace(index, { ...action, values: [...action.values, { field: 'lead.name', value: '' }] });
    }
  }

  protected setCustomRow(
    index: number,
    row: number,
    patch: { fieldId?: number | null; value?: string },
  ): void {
    const action = this.actions()[index];
    if (action?.type !== 'update_lptracker_lead') {
      return;
    }
    const custom = action.custom.map((entry, i) => (i === row ? { ...entry, ...patch } : entry));
    this.replace(index, { ...action, custom });
  }

  protected addCustomRow(index: number): void {
    const action = this.actions()[index];
    if (action?.type === 'update_lptracker_lead') {
      this.replace(index, { ...action, custom: [...action.custom, { fieldId: null, value: '' }] });
    }
  }

  protected removeRow(index: number, key: 'values' | 'custom', row: number): void {
    const action = this.actions()[index];
    if (action?.type === 'update_lead' && key === 'values') {
      this.replace(index, { ...action, values: action.values.filter((_, i) => i !== row) });
    }
    if (action?.type === 'update_lptracker_lead' && key === 'custom') {
      this.replace(index, { ...action, custom: action.custom.filter((_, i) => i !== row) });
    }
  }

  protected move(index: number, by: -1 | 1): void {
    const next = [...this.actions()];
    const [moved] = next.splice(index, 1);
    if (moved) {
      next.splice(index + by, 0, moved);
      this.changed.emit(next);
    }
  }

  protected remove(index: number): void {
    this.changed.emit(this.actions().filter((_, i) => i !== index));
  }

  private replace(index: number, action: RuleAction): void {
    this.changed.emit(this.actions().map((current, i) => (i === index ? action : current)));
  }
}

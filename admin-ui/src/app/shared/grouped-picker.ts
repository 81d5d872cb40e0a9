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

/** One choice of a grouped picker: its reference (what is stored), its name and an optional note after it. */
export interface PickerChoice {
  readonly ref: string;
  readonly name: string;
  readonly note?: string;
}

/** The choices of one group, under its heading (a dictionary key). */
export interface PickerChoiceGroup {
  readonly key: string;
  readonly label: TranslationKey;
  readonly choices: readonly PickerChoice[];
}

/**
 * A searchable picker: the user types part of a name and picks from the list, grouped under headings. The page
 * supplies the grouping (`groupsFor`, called with what is typed, '' for all) and how a chosen reference reads
 * (`display`, also for a reference no group has). While typing, the box shows the query; otherwise the choice.
 * An error, when given, is shown under the box (role alert) and marks the box invalid.
 */
@Component({
  selector: 'app-grouped-picker',
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
        [panelWidth]="panelWidth()"
        [displayWith]="display()"
        (optionSelected)="choose($event.option.value)"
        (closed)="typing.set(false)"
      >
        @for (group of groups(); track group.key) {
          <mat-optgroup [label]="group.label | t">
            @for (choice of group.choices; track choice.ref) {
              <mat-option
                [value]="choice.ref"
                [attr.data-testid]="testId() + '-option'"
                [attr.data-ref]="choice.ref"
              >
                {{ choice.name }}
                @if (choice.note; as note) {
                  <span class="note">· {{ note }}</span>
                }
              </mat-option>
            }
          </mat-optgroup>
        } @empty {
          <mat-option disabled>{{ nothing() | t }}</mat-option>
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
    }
    .field {
      width: 100%;
    }
    .error {
      margin: 4px 0 0;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class GroupedPicker {
  readonly groupsFor = input.required<(query: string) => readonly PickerChoiceGroup[]>();
  /** How a chosen reference reads in the box ('' for none). */
  readonly display = input.required<(ref: string | null) => string>();
  readonly value = input<string | null>(null);
  readonly label = input.required<TranslationKey>();
  /** What the list says when nothing matches what is typed. */
  readonly nothing = input.required<TranslationKey>();
  readonly testId = input.required<string>();
  readonly disabled = input(false);
  /** What is wrong with the choice, in the user's words (shown under the box). */
  readonly error = input<string | null>(null);
  /** The list's width (CSS); '' for the box's. */
  readonly panelWidth = input('');
  readonly picked = output<string>();

  protected readonly query = signal('');
  protected readonly typing = signal(false);
  protected readonly groups = computed(() => this.groupsFor()(this.typing() ? this.query() : ''));
  protected readonly shown = computed(() => this.display()(this.value()));

  protected startTyping(): void {
    this.query.set('');
    this.typing.set(true);
  }

  protected choose(ref: string): void {
    this.typing.set(false);
    this.picked.emit(ref);
  }
}

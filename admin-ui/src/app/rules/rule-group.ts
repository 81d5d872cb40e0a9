import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatIcon } from '@angular/material/icon';

import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import type { RuleField } from './rule-catalog';
import { RuleConditionEditor } from './rule-condition';
import { type EditorGroup, type EditorNode, type GroupKind, childPath, isGroup } from './rule-tree';
import type { RuleCondition } from './rules.models';

const KINDS: readonly GroupKind[] = ['all', 'any', 'not'];

/**
 * A condition group (all / any / not) with its conditions and nested groups; groups nest by using this
 * component inside itself. Each change emits the whole new group.
 */
@Component({
  selector: 'app-rule-group',
  imports: [
    MatButton,
    MatIconButton,
    MatIcon,
    MatButtonToggleGroup,
    MatButtonToggle,
    TranslatePipe,
    RuleConditionEditor,
    RuleGroupEditor,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <fieldset
      class="group"
      data-testid="rule-group"
      [attr.data-path]="path()"
      [attr.data-kind]="group().kind"
    >
      <legend class="head">
        <mat-button-toggle-group
          hideSingleSelectionIndicator
          data-testid="rule-group-kind"
          [attr.aria-label]="'rules.groups.kind' | t"
          [value]="group().kind"
          [disabled]="readonly()"
          (change)="setKind($event.value)"
        >
          @for (kind of kinds; track kind) {
            <mat-button-toggle [value]="kind" [attr.data-testid]="'rule-group-kind-' + kind">{{
              kindKey(kind) | t
            }}</mat-button-toggle>
          }
        </mat-button-toggle-group>
        @if (removable() && !readonly()) {
          <button
            mat-icon-button
            type="button"
            data-testid="rule-group-remove"
            [attr.aria-label]="'rules.groups.remove' | t"
            (click)="removed.emit()"
          >
            <mat-icon svgIcon="close" />
          </button>
        }
      </legend>
      @if (errors()[path()]; as error) {
        <p class="error" role="alert" data-testid="rule-group-error">{{ error }}</p>
      }
      <div class="children">
        @for (child of group().children; track $index) {
          @if (isGroup(child)) {
            <app-rule-group
              [group]="child"
              [path]="pathOf($index)"
              [fields]="fields()"
              [errors]="errors()"
              [readonly]="readonly()"
              [removable]="true"
              (changed)="replace($index, $event)"
              (removed)="remove($index)"
            />
          } @else {
            <app-rule-condition
              [condition]="child"
              [path]="pathOf($index)"
              [fields]="fields()"
              [errors]="errors()"
              [readonly]="readonly()"
              (changed)="replace($index, $event)"
              (removed)="remove($index)"
            />
          }
        } @empty {
          <p class="muted">{{ 'rules.groups.emptyGroup' | t }}</p>
        }
      </div>
      @if (!readonly()) {
        <div class="add">
          <button
            mat-stroked-button
            type="button"
            data-testid="rule-group-add-condition"
            [disabled]="group().kind === 'not' && group().children.length > 0"
            (click)="add({ field: '', op: 'eq' })"
          >
            <mat-icon svgIcon="add" /> {{ 'rules.groups.addCondition' | t }}
          </button>
          <button
            mat-stroked-button
            type="button"
            data-testid="rule-group-add-group"
            [disabled]="group().kind === 'not' && group().children.length > 0"
            (click)="add({ kind: 'any', children: [] })"
          >
            <mat-icon svgIcon="add" /> {{ 'rules.groups.addGroup' | t }}
          </button>
        </div>
      }
    </fieldset>
  `,
  styles: `
    .group {
      display: grid;
      gap: 8px;
      margin: 0;
      padding: 8px 12px 12px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-left: 4px solid var(--mat-sys-primary);
      border-radius: 8px;
    }
    .head {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 0 4px;
    }
    .children {
      display: grid;
      gap: 8px;
    }
    .add {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .muted {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      margin: 0;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class RuleGroupEditor {
  readonly group = input.required<EditorGroup>();
  readonly path = input.required<string>();
  readonly fields = input.required<readonly RuleField[]>();
  readonly errors = input<Record<string, string>>({});
  readonly readonly = input(false);
  readonly removable = input(false);
  readonly changed = output<EditorGroup>();
  readonly removed = output<void>();

  protected readonly kinds = KINDS;
  protected readonly isGroup = isGroup;

  protected kindKey(kind: GroupKind): TranslationKey {
    return `rules.groups.${kind}`;
  }

  protected pathOf(index: number): string {
    return childPath(this.group(), this.path(), index);
  }

  protected setKind(kind: GroupKind): void {
    this.changed.emit({ ...this.group(), kind });
  }

  protected add(node: EditorNode): void {
    this.changed.emit({ ...this.group(), children: [...this.group().children, node] });
  }

  protected replace(index: number, node: EditorGroup | RuleCondition): void {
    this.changed.emit({
      ...this.group(),
      children: this.group().children.map((child, i) => (i === index ? node : child)),
    });
  }

  protected remove(index: number): void {
    this.changed.emit({ ...this.group(), children: this.group().children.filter((_, i) => i !== index) });
  }
}

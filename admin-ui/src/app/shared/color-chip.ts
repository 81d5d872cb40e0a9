import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { chipColors } from './status-color';

/**
 * A small rounded label painted in a given colour, e.g. an amoCRM stage:
 * `<app-color-chip [color]="status.color" [label]="status.name" />`. Without a usable colour it
 * keeps the theme's neutral chip look. The host exposes `data-color` for tests.
 */
@Component({
  selector: 'app-color-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[attr.data-color]': 'colors()?.background ?? null',
    '[style.--chip-bg]': 'colors()?.background ?? null',
    '[style.--chip-fg]': 'colors()?.text ?? null',
    '[attr.title]': 'label()',
  },
  template: `<span class="label">{{ label() }}</span>`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      max-width: 100%;
      height: 24px;
      padding: 0 10px;
      border-radius: 12px;
      box-sizing: border-box;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      vertical-align: middle;
      background: var(--chip-bg, var(--mat-sys-surface-container-high));
      color: var(--chip-fg, var(--mat-sys-on-surface-variant));
      border: 1px solid color-mix(in srgb, var(--chip-fg, var(--mat-sys-outline)) 14%, transparent);
    }
    .label {
      overflow: hidden;
      text-overflow: ellipsis;
    }
  `,
})
export class ColorChip {
  readonly label = input.required<string>();
  readonly color = input<string | null | undefined>(null);

  protected readonly colors = computed(() => chipColors(this.color()));
}

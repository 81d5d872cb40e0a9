import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';

import { I18nService } from '../core/i18n/i18n.service';
import { statusLabel } from './event-labels';
import type { EventStatus, SkipReason } from './events.models';

/**
 * The status of an event as a coloured chip: «готово» green, «ошибка» red, «в очереди» /
 * «обрабатывается» blue, «пропущено (дубль)» and «отклонено вручную» grey. The host carries
 * `data-status` (and `data-skip-reason`) for tests; the label is repeated as a tooltip for narrow cells.
 */
@Component({
  selector: 'app-event-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[attr.data-status]': 'status()',
    '[attr.data-skip-reason]': 'skipReason()',
    '[class]': '"chip status-" + status()',
    '[attr.title]': 'label()',
  },
  template: `<span class="dot" aria-hidden="true"></span><span class="label">{{ label() }}</span>`,
  styles: `
    :host {
      --chip-fg: var(--mat-sys-on-surface-variant);
      --chip-bg: var(--mat-sys-surface-container-high);
      display: inline-flex;
      align-items: center;
      gap: 6px;
      max-width: 100%;
      height: 24px;
      padding: 0 10px 0 8px;
      border-radius: 12px;
      box-sizing: border-box;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      vertical-align: middle;
      color: var(--chip-fg);
      background: var(--chip-bg);
    }
    .dot {
      flex: none;
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: currentColor;
    }
    .label {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    :host(.status-received) {
      --chip-bg: transparent;
      box-shadow: inset 0 0 0 1px var(--mat-sys-outline);
    }
    :host(.status-queued) {
      --chip-fg: var(--mat-sys-on-secondary-container);
      --chip-bg: var(--mat-sys-secondary-container);
    }
    :host(.status-processing) {
      --chip-fg: var(--mat-sys-on-primary-container);
      --chip-bg: var(--mat-sys-primary-container);
    }
    :host(.status-processing) .dot {
      animation: pulse 1.2s ease-in-out infinite;
    }
    :host(.status-done) {
      --chip-fg: var(--app-status-up);
      --chip-bg: color-mix(in srgb, var(--app-status-up) 16%, transparent);
    }
    :host(.status-failed) {
      --chip-fg: var(--mat-sys-on-error-container);
      --chip-bg: var(--mat-sys-error-container);
    }
    :host(.status-skipped) .dot {
      background: transparent;
      box-shadow: inset 0 0 0 1.5px currentColor;
    }
    :host(.status-dismissed) {
      --chip-bg: transparent;
      box-shadow: inset 0 0 0 1px var(--mat-sys-outline-variant);
    }
    @keyframes pulse {
      50% {
        opacity: 0.3;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      :host(.status-processing) .dot {
        animation: none;
      }
    }
  `,
})
export class EventStatusChip {
  private readonly i18n = inject(I18nService);

  readonly status = input.required<EventStatus>();
  readonly skipReason = input<SkipReason | null>(null);

  protected readonly label = computed(() =>
    statusLabel(this.status(), this.skipReason(), this.i18n.t.bind(this.i18n)),
  );
}

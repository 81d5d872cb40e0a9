import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';

import type { AppIconName } from '../../core/icons/app-icons';

export type StatusCardState = 'up' | 'degraded' | 'down' | 'unknown';

const STATE_ICONS: Record<StatusCardState, AppIconName> = {
  up: 'check_circle',
  degraded: 'warning',
  down: 'error',
  unknown: 'help',
};

/**
 * A dashboard card with a title, a coloured state line and free content below.
 * Any dashboard card (health, events per minute, queue depth…) can be built on it.
 */
@Component({
  selector: 'app-status-card',
  imports: [MatCard, MatCardHeader, MatCardTitle, MatCardContent, MatIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-status]': 'state()' },
  template: `
    <mat-card appearance="outlined" class="card" [class]="'state-' + state()">
      <mat-card-header>
        <mat-card-title class="title">{{ title() }}</mat-card-title>
      </mat-card-header>
      <mat-card-content>
        <p class="state" data-testid="status-card-state">
          <mat-icon class="state-icon" [svgIcon]="icon()" aria-hidden="true" />
          <span>{{ stateLabel() }}</span>
        </p>
        <ng-content />
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    :host {
      display: block;
    }
    .card {
      height: 100%;
      border-left: 4px solid var(--status-color);
    }
    .state-up {
      --status-color: var(--app-status-up);
    }
    .state-degraded {
      --status-color: light-dark(#8a5300, #ffb870);
    }
    .state-down {
      --status-color: var(--app-status-down);
    }
    .state-unknown {
      --status-color: var(--mat-sys-outline);
    }
    .title {
      font: var(--mat-sys-title-medium);
    }
    .state {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 12px 0 8px;
      font: var(--mat-sys-headline-small);
      color: var(--status-color);
    }
    .state-icon {
      flex: none;
    }
  `,
})
export class StatusCard {
  readonly title = input.required<string>();
  readonly state = input.required<StatusCardState>();
  readonly stateLabel = input.required<string>();

  protected readonly icon = computed(() => STATE_ICONS[this.state()]);
}

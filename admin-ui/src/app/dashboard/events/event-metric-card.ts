import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';

/** `ok` green, `warn` amber, `bad` red, `neutral` grey (loading, no data). */
export type MetricTone = 'ok' | 'warn' | 'bad' | 'neutral';

/**
 * The frame of the events cards on the overview: a title, one big value in the tone's colour and free
 * content below; it looks like `app-status-card`, with a warning tone as well. The host carries
 * `data-tone` for tests.
 */
@Component({
  selector: 'app-event-metric-card',
  imports: [MatCard, MatCardHeader, MatCardTitle, MatCardContent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-tone]': 'tone()' },
  template: `
    <mat-card appearance="outlined" class="card" [class]="'tone-' + tone()">
      <mat-card-header>
        <mat-card-title class="title">{{ title() }}</mat-card-title>
      </mat-card-header>
      <mat-card-content>
        <p class="value" data-testid="metric-value">{{ value() }}</p>
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
      border-left: 4px solid var(--tone-color);
    }
    .tone-ok {
      --tone-color: var(--app-status-up);
    }
    .tone-warn {
      --tone-color: light-dark(#9a5b00, #ffb74d);
    }
    .tone-bad {
      --tone-color: var(--app-status-down);
    }
    .tone-neutral {
      --tone-color: var(--mat-sys-outline);
    }
    .title {
      font: var(--mat-sys-title-medium);
    }
    .value {
      margin: 12px 0 8px;
      font: var(--mat-sys-headline-small);
      color: var(--tone-color);
    }
    .tone-neutral .value {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class EventMetricCard {
  readonly title = input.required<string>();
  readonly value = input.required<string>();
  readonly tone = input<MetricTone>('neutral');
}

import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';

/** The frame of a chart on the overview: a title, a slot for controls, and the chart below. */
@Component({
  selector: 'app-chart-card',
  imports: [MatCard, MatCardHeader, MatCardTitle, MatCardContent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="card">
      <mat-card-header class="header">
        <mat-card-title class="title">{{ title() }}</mat-card-title>
        <ng-content select="[chartControls]" />
      </mat-card-header>
      <mat-card-content>
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
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 8px;
      margin-bottom: 8px;
    }
    .title {
      font: var(--mat-sys-title-medium);
    }
  `,
})
export class ChartCard {
  readonly title = input.required<string>();
}

import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';

import { AmocrmDashboardCard } from './amocrm-dashboard-card';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { EventStatsStore } from './events/event-stats-store';
import { EventsPerMinuteCard } from './events/events-per-minute-card';
import { FailedEventsCard } from './events/failed-events-card';
import { OldestEventCard } from './events/oldest-event-card';
import { QueueDepthCard } from './events/queue-depth-card';
import { HealthCheckCard } from './health/health-check-card';
import { OverallStatusCard } from './health/overall-status-card';
import { ReadinessStore } from './health/readiness-store';
import { AmocrmRateCard } from './flow/amocrm-rate-card';
import { CapacityCard } from './flow/capacity-card';
import { ChecklistCard } from './flow/checklist-card';
import { DashboardFlowStore } from './flow/dashboard-flow-store';
import { FlowChartCard } from './flow/flow-chart-card';
import { FunnelCard } from './flow/funnel-card';

/**
 * The overview: a grid of independent cards. A new card (events per minute, failed events,
 * queue depth…) is its own component, usually built on `app-status-card`, with its own store
 * provided here, and one more element in the grid below.
 */
@Component({
  selector: 'app-dashboard-page',
  imports: [
    MatButton,
    MatIcon,
    TranslatePipe,
    OverallStatusCard,
    HealthCheckCard,
    AmocrmDashboardCard,
    EventsPerMinuteCard,
    FailedEventsCard,
    QueueDepthCard,
    OldestEventCard,
    ChecklistCard,
    CapacityCard,
    FlowChartCard,
    FunnelCard,
    AmocrmRateCard,
  ],
  providers: [ReadinessStore, EventStatsStore, DashboardFlowStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="header">
      <div>
        <h1 class="title">{{ 'dashboard.title' | t }}</h1>
        <p class="subtitle">{{ 'dashboard.subtitle' | t }}</p>
      </div>
      <button mat-stroked-button type="button" data-testid="dashboard-refresh" (click)="refresh()">
        <mat-icon svgIcon="refresh" />
        {{ 'dashboard.refresh' | t }}
      </button>
    </header>

    <app-checklist-card class="checklist" />

    <section class="grid" data-testid="dashboard-cards" aria-live="polite">
      <app-overall-status-card data-testid="dashboard-card-overall" />
      @for (check of readiness.checks(); track check.name) {
        <app-health-check-card [check]="check" [attr.data-testid]="'dashboard-card-' + check.name" />
      }
      <app-amocrm-dashboard-card data-testid="dashboard-card-amocrm" />
      <app-events-per-minute-card data-testid="dashboard-card-events-per-minute" />
      <app-failed-events-card data-testid="dashboard-card-failed-events" />
      <app-queue-depth-card data-testid="dashboard-card-queue" />
      <app-oldest-event-card data-testid="dashboard-card-oldest" />
      <app-capacity-card data-testid="dashboard-card-capacity" />
    </section>

    <section class="charts" data-testid="dashboard-charts">
      <app-flow-chart-card class="wide" />
      <app-funnel-card />
      <app-amocrm-rate-card />
    </section>
  `,
  styles: `
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      justify-content: space-between;
      gap: 16px;
      margin-bottom: 24px;
    }
    .title {
      margin: 0;
      font: var(--mat-sys-headline-medium);
    }
    .subtitle {
      margin: 4px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
      gap: 16px;
    }
    .checklist {
      display: block;
      margin-bottom: 16px;
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr));
      gap: 16px;
      margin-top: 16px;
    }
    .wide {
      grid-column: 1 / -1;
    }
  `,
})
export default class DashboardPage {
  protected readonly readiness = inject(ReadinessStore);
  private readonly eventStats = inject(EventStatsStore);
  private readonly flow = inject(DashboardFlowStore);

  protected refresh(): void {
    this.readiness.refresh();
    this.eventStats.refresh();
    this.flow.refresh();
  }
}

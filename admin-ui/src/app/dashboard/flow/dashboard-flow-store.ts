import { Injectable, type ResourceRef, type Signal, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';

import { ThemeService } from '../../core/theme/theme.service';
import { DashboardFlowApi } from './dashboard-flow-api';
import type { FlowRange } from './flow.models';

/**
 * The figures of the dashboard's charts, capacity card and checklist: read when the page opens and on
 * "refresh now". Provided by the dashboard page.
 */
@Injectable()
export class DashboardFlowStore {
  private readonly api = inject(DashboardFlowApi);
  private readonly theme = inject(ThemeService);

  readonly range = signal<FlowRange>('24h');
  readonly flow = rxResource({ params: () => this.range(), stream: ({ params }) => this.api.flow(params) });
  readonly capacity = rxResource({ stream: () => this.api.capacity() });
  readonly funnel = rxResource({ stream: () => this.api.funnel() });
  readonly amocrmRate = rxResource({ stream: () => this.api.amocrmRate() });
  readonly checklist = rxResource({ stream: () => this.api.checklist() });

  /** The last answers (undefined while loading or after an error: a resource in error throws on `value()`). */
  readonly flowData = valueOf(this.flow);
  readonly capacityData = valueOf(this.capacity);
  readonly funnelData = valueOf(this.funnel);
  readonly amocrmRateData = valueOf(this.amocrmRate);
  readonly checklistData = valueOf(this.checklist);

  /** The ECharts theme matching the console's. */
  readonly chartTheme = computed(() => (this.theme.mode() === 'dark' ? 'dark' : ''));

  refresh(): void {
    this.flow.reload();
    this.capacity.reload();
    this.funnel.reload();
    this.amocrmRate.reload();
    this.checklist.reload();
  }
}

function valueOf<T>(resource: ResourceRef<T | undefined>): Signal<T | undefined> {
  return computed(() => (resource.hasValue() ? resource.value() : undefined));
}

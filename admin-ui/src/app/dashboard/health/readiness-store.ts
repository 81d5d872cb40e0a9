import { Injectable, InjectionToken, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Subject, catchError, map, merge, of, switchMap, timer } from 'rxjs';

import { HealthApi } from './health-api';
import type { HealthCheck, ReadinessReport } from './health.models';

export const HEALTH_POLL_INTERVAL_MS = new InjectionToken<number>('HEALTH_POLL_INTERVAL_MS', {
  factory: () => 10_000,
});

/** What a status card shows: `unknown` while loading or when the server cannot be reached. */
export type DisplayState = 'up' | 'down' | 'unknown';

export interface CheckView {
  name: string;
  state: DisplayState;
  latencyMs: number | null;
  error: string | null;
}

interface Poll {
  report: ReadinessReport | null;
  failed: boolean;
  at: Date;
}

/**
 * Polls `GET /health/ready` while the dashboard is open (provided by the page, so polling stops
 * when the page is left) and exposes the result as signals for the status cards.
 */
@Injectable()
export class ReadinessStore {
  private readonly api = inject(HealthApi);
  private readonly reload$ = new Subject<void>();
  private lastReport: ReadinessReport | null = null;

  private readonly poll = toSignal(
    merge(timer(0, inject(HEALTH_POLL_INTERVAL_MS)), this.reload$).pipe(
      switchMap(() =>
        this.api.ready().pipe(
          map((report): Poll => {
            this.lastReport = report;
            return { report, failed: false, at: new Date() };
          }),
          catchError(() => of<Poll>({ report: this.lastReport, failed: true, at: new Date() })),
        ),
      ),
    ),
    { initialValue: null },
  );

  readonly loading = computed(() => this.poll() === null);
  readonly unreachable = computed(() => this.poll()?.failed === true);
  readonly updatedAt = computed(() => this.poll()?.at ?? null);

  /** Overall state: every check up → up; any down → down; no answer → unknown. */
  readonly overall = computed<DisplayState>(() => {
    const poll = this.poll();
    if (!poll || poll.failed || !poll.report) {
      return 'unknown';
    }
    const checks = Object.values(poll.report.checks);
    return checks.length > 0 && checks.every((check) => check.status === 'up') ? 'up' : 'down';
  });

  /** One entry per check; after a failed poll the last known checks are shown as unknown. */
  readonly checks = computed<CheckView[]>(() => {
    const poll = this.poll();
    if (!poll?.report) {
      return [];
    }
    return Object.entries(poll.report.checks).map(([name, check]) => toView(name, check, poll.failed));
  });

  refresh(): void {
    this.reload$.next();
  }
}

function toView(name: string, check: HealthCheck, stale: boolean): CheckView {
  return {
    name,
    state: stale ? 'unknown' : check.status === 'up' ? 'up' : 'down',
    latencyMs: !stale && typeof check.latencyMs === 'number' ? Math.round(check.latencyMs) : null,
    error: !stale && check.status !== 'up' ? (check.error ?? null) : null,
  };
}

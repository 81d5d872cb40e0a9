import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { EMPTY, Subject, catchError, map, merge, of, switchMap, takeWhile, timer } from 'rxjs';

import { EventStatsApi } from './event-stats-api';
import type { EventStats } from './event-stats.models';
import { pageVisible } from '../../core/page-visibility';
import { HEALTH_POLL_INTERVAL_MS } from '../health/readiness-store';

interface Poll {
  stats: EventStats | null;
  /** The last request failed (the last known numbers are kept). */
  failed: boolean;
  /** The server does not show the numbers to this user (403): the cards hide. */
  forbidden: boolean;
}

/**
 * `GET /api/v1/events/stats` for the events cards of the overview: read when the page opens, then
 * every 10 seconds like the health cards (not while the tab is hidden), and on "refresh now".
 * Provided by the dashboard page, so polling stops when the page is left; after a 403 it stops.
 */
@Injectable()
export class EventStatsStore {
  private readonly api = inject(EventStatsApi);
  private readonly reload$ = new Subject<void>();
  private readonly interval = inject(HEALTH_POLL_INTERVAL_MS);
  private last: EventStats | null = null;

  private readonly poll = toSignal(
    merge(
      toObservable(pageVisible()).pipe(switchMap((visible) => (visible ? timer(0, this.interval) : EMPTY))),
      this.reload$,
    ).pipe(
      switchMap(() =>
        this.api.stats().pipe(
          map((stats): Poll => {
            this.last = stats;
            return { stats, failed: false, forbidden: false };
          }),
          catchError((error: unknown) =>
            of<Poll>({
              stats: this.last,
              failed: true,
              forbidden: error instanceof HttpErrorResponse && error.status === 403,
            }),
          ),
        ),
      ),
      takeWhile((poll) => !poll.forbidden, true),
    ),
    { initialValue: null },
  );

  readonly loading = computed(() => this.poll() === null);
  readonly stats = computed(() => this.poll()?.stats ?? null);
  readonly failed = computed(() => this.poll()?.failed === true);
  readonly forbidden = computed(() => this.poll()?.forbidden === true);

  refresh(): void {
    this.reload$.next();
  }
}

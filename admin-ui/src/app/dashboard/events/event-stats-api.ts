import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../../core/api/api-client';
import type { EventStats } from './event-stats.models';

/** `GET /api/v1/events/stats`: the dashboard's figures of the event pipeline. */
@Injectable({ providedIn: 'root' })
export class EventStatsApi extends ApiClient {
  stats(): Observable<EventStats> {
    return this.get<EventStats>('/events/stats');
  }
}

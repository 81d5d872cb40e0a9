import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import type {
  EventDetail,
  EventFilterParams,
  EventListItem,
  EventListParams,
  EventPage,
  ReplayMode,
} from './events.models';

/** `/api/v1/events`: everyone reads; managers and admins replay and dismiss. */
@Injectable({ providedIn: 'root' })
export class EventsApi extends ApiClient {
  list(params: EventListParams): Observable<EventPage> {
    return this.get<EventPage>('/events', { ...params });
  }

  getOne(id: string): Observable<EventDetail> {
    return this.get<EventDetail>(`/events/${encodeURIComponent(id)}`);
  }

  /** Processes a finished event again (202: queued). */
  replay(id: string, mode: ReplayMode): Observable<{ id: string; status: 'queued' }> {
    return this.post(`/events/${encodeURIComponent(id)}/replay`, { mode });
  }

  /** Replays every finished event matching `filter` (failed ones when it has no status), in the background. */
  bulkReplay(filter: EventFilterParams, mode: ReplayMode): Observable<{ count: number }> {
    return this.post('/events/replay', { filter, mode });
  }

  dismiss(id: string): Observable<EventListItem> {
    return this.post<EventListItem>(`/events/${encodeURIComponent(id)}/dismiss`);
  }
}

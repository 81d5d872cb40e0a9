import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';

/** One alert as `GET /api/v1/alerts` lists it. */
export interface AlertItem {
  id: string;
  condition: string;
  subject: string;
  state: 'active' | 'resolved';
  title: string;
  detail: string;
  /** Console path where it is fixed, e.g. `/connections/amocrm`. */
  link: string;
  raisedAt: string;
  resolvedAt: string | null;
  readAt: string | null;
}

export interface AlertPage {
  items: AlertItem[];
  total: number;
  page: number;
  limit: number;
  unread: number;
}

/** `/api/v1/alerts`: the list with the unread count (every role), read marks. */
@Injectable({ providedIn: 'root' })
export class AlertsApi extends ApiClient {
  latest(limit = 10): Observable<AlertPage> {
    return this.get<AlertPage>('/alerts', { limit });
  }

  markRead(id: string): Observable<AlertItem> {
    return this.post<AlertItem>(`/alerts/${encodeURIComponent(id)}/read`, {});
  }
}

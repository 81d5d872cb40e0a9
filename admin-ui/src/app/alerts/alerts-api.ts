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
  /** When you read it: read marks are per person. */
  readAt: string | null;
}

/** `GET/PUT /api/v1/alerts/settings` (admins): conditions, thresholds and the Telegram chat. */
export interface AlertSettings {
  amocrmConnection: boolean;
  lptrackerConnection: boolean;
  amocrmWebhook: boolean;
  deadLetter: boolean;
  deadLetterCount: number;
  inboxLag: boolean;
  inboxLagMinutes: number;
  mappingBroken: boolean;
  importFailed: boolean;
  /** No webhook from amoCRM or LPTracker for `noWebhookHours` of working time (off by default). */
  noWebhook: boolean;
  noWebhookHours: number;
  /** 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  workingHoursFrom: number;
  workingHoursTo: number;
  /** IANA zone, e.g. `Europe/Moscow`. */
  timeZone: string;
  telegramChatId: string | null;
  /** A bot token is stored; the token itself is never returned. */
  tokenSet: boolean;
}

/** What `PUT /api/v1/alerts/settings` takes: only the fields given change; `null` removes the token/chat. */
export type AlertSettingsUpdate = Partial<Omit<AlertSettings, 'tokenSet'>> & {
  telegramBotToken?: string | null;
};

export interface AlertPage {
  items: AlertItem[];
  total: number;
  page: number;
  limit: number;
  unread: number;
}

/** `/api/v1/alerts`: the list with the unread count (every role), read marks; settings and test (admins). */
@Injectable({ providedIn: 'root' })
export class AlertsApi extends ApiClient {
  latest(limit = 10): Observable<AlertPage> {
    return this.get<AlertPage>('/alerts', { limit });
  }

  page(page: number, limit: number): Observable<AlertPage> {
    return this.get<AlertPage>('/alerts', { page, limit });
  }

  settings(): Observable<AlertSettings> {
    return this.get<AlertSettings>('/alerts/settings');
  }

  saveSettings(update: AlertSettingsUpdate): Observable<AlertSettings> {
    return this.put<AlertSettings>('/alerts/settings', update);
  }

  /** Sends a test message with the stored bot (204; 409 when not set, 502 when Telegram refused). */
  sendTest(): Observable<void> {
    return this.post<void>('/alerts/telegram/test', {});
  }

  markRead(id: string): Observable<AlertItem> {
    return this.post<AlertItem>(`/alerts/${encodeURIComponent(id)}/read`, {});
  }
}

import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../api/api-client';
import type {
  AmocrmConnection,
  AmocrmMetadata,
  AmocrmReconcileStatus,
  AmocrmWebhook,
  ConnectOAuthRequest,
  ConnectTokenRequest,
  RotatedWebhookSecret,
} from './amocrm.models';

/** `/api/v1/connections/amocrm`: the connection (admins change it), metadata and webhook. */
@Injectable({ providedIn: 'root' })
export class AmocrmApi extends ApiClient {
  connection(): Observable<AmocrmConnection> {
    return this.get<AmocrmConnection>('/connections/amocrm');
  }

  connect(request: ConnectOAuthRequest | ConnectTokenRequest): Observable<AmocrmConnection> {
    return this.put<AmocrmConnection>('/connections/amocrm', request);
  }

  authorizeUrl(): Observable<{ url: string }> {
    return this.get<{ url: string }>('/connections/amocrm/authorize-url');
  }

  disconnect(): Observable<void> {
    return this.delete('/connections/amocrm');
  }

  resume(): Observable<AmocrmConnection> {
    return this.post<AmocrmConnection>('/connections/amocrm/resume');
  }

  metadata(): Observable<AmocrmMetadata> {
    return this.get<AmocrmMetadata>('/connections/amocrm/metadata');
  }

  refreshMetadata(): Observable<AmocrmMetadata> {
    return this.post<AmocrmMetadata>('/connections/amocrm/metadata/refresh');
  }

  webhook(): Observable<AmocrmWebhook> {
    return this.get<AmocrmWebhook>('/connections/amocrm/webhook');
  }

  subscribeWebhook(events: readonly string[]): Observable<AmocrmWebhook> {
    return this.post<AmocrmWebhook>('/connections/amocrm/webhook', { events });
  }

  unsubscribeWebhook(): Observable<AmocrmWebhook> {
    return this.delete<AmocrmWebhook>('/connections/amocrm/webhook');
  }

  rotateWebhookSecret(): Observable<RotatedWebhookSecret> {
    return this.post<RotatedWebhookSecret>('/connections/amocrm/webhook/rotate-secret');
  }

  reconcileStatus(): Observable<AmocrmReconcileStatus> {
    return this.get<AmocrmReconcileStatus>('/connections/amocrm/reconcile');
  }

  /** Queues a reconciliation pass now (admins); answered 202 `{queued: true}`. */
  reconcile(): Observable<{ queued: true }> {
    return this.post<{ queued: true }>('/connections/amocrm/reconcile');
  }
}

import { Injectable } from '@angular/core';
import { type Observable, map } from 'rxjs';

import { ApiClient } from '../api/api-client';
import type {
  ConnectLptrackerRequest,
  LptrackerConnection,
  LptrackerMetadata,
  LptrackerVisibleProject,
  LptrackerWebhook,
} from './lptracker.models';

/** `/api/v1/connections/lptracker`: the connection and projects (admins change them) and the metadata. */
@Injectable({ providedIn: 'root' })
export class LptrackerApi extends ApiClient {
  connection(): Observable<LptrackerConnection> {
    return this.get<LptrackerConnection>('/connections/lptracker');
  }

  connect(request: ConnectLptrackerRequest): Observable<LptrackerConnection> {
    return this.put<LptrackerConnection>('/connections/lptracker', request);
  }

  disconnect(): Observable<void> {
    return this.delete('/connections/lptracker');
  }

  check(): Observable<LptrackerConnection> {
    return this.post<LptrackerConnection>('/connections/lptracker/check');
  }

  projects(): Observable<LptrackerVisibleProject[]> {
    return this.get<{ items: LptrackerVisibleProject[] }>('/connections/lptracker/projects').pipe(
      map((page) => page.items),
    );
  }

  enableProject(projectId: number): Observable<LptrackerConnection> {
    return this.post<LptrackerConnection>('/connections/lptracker/projects', { projectId });
  }

  disableProject(projectId: number): Observable<void> {
    return this.delete(`/connections/lptracker/projects/${projectId}`);
  }

  metadata(): Observable<LptrackerMetadata> {
    return this.get<LptrackerMetadata>('/connections/lptracker/metadata');
  }

  refreshMetadata(): Observable<LptrackerMetadata> {
    return this.post<LptrackerMetadata>('/connections/lptracker/metadata/refresh');
  }

  webhook(): Observable<LptrackerWebhook> {
    return this.get<LptrackerWebhook>('/connections/lptracker/webhook');
  }

  /** Adds our callback URL to every enabled project (other callbacks are kept). */
  registerWebhook(): Observable<LptrackerWebhook> {
    return this.post<LptrackerWebhook>('/connections/lptracker/webhook');
  }

  /** Removes only our callback URL. */
  unregisterWebhook(): Observable<LptrackerWebhook> {
    return this.delete<LptrackerWebhook>('/connections/lptracker/webhook');
  }
}

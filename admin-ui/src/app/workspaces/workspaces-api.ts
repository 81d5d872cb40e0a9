import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import type { CreateWorkspaceRequest, Workspace } from './workspaces.models';

/** `/api/v1/workspaces` (super admins only). */
@Injectable({ providedIn: 'root' })
export class WorkspacesApi extends ApiClient {
  list(): Observable<Workspace[]> {
    return this.get<Workspace[]>('/workspaces');
  }

  create(request: CreateWorkspaceRequest): Observable<Workspace> {
    return this.post<Workspace>('/workspaces', request);
  }

  /** `PATCH /workspaces/:id`: a new name (audited). */
  rename(id: string, name: string): Observable<Workspace> {
    return this.patch<Workspace>(`/workspaces/${encodeURIComponent(id)}`, { name });
  }
}

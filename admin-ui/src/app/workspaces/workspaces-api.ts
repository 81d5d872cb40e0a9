import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import type { CreateWorkspaceRequest, CurrentWorkspace, Workspace } from './workspaces.models';

/** `/api/v1/workspaces` (super admins only, except `current`). */
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

  /** `POST /workspaces/:id/disable|enable`: turn it off (its users and keys are refused) or on again (audited). */
  setDisabled(id: string, disabled: boolean): Observable<Workspace> {
    return this.post<Workspace>(`/workspaces/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`);
  }

  /** `POST /workspaces/:id/open`: work in it for the rest of this session (your own one: back home; audited). */
  open(id: string): Observable<CurrentWorkspace> {
    return this.post<CurrentWorkspace>(`/workspaces/${encodeURIComponent(id)}/open`);
  }

  /** `GET /workspaces/current`: where you work now (any signed-in user). */
  current(): Observable<CurrentWorkspace> {
    return this.get<CurrentWorkspace>('/workspaces/current');
  }
}
